// A scripted HTTP/2 server for the connection tests: builds server frames
// with the frame serialiser and an HPACK encoder, and reads what the
// client sent with the frame reader and an HPACK decoder.

import { HpackDecoder } from "../../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../../src/protocol/hpack/encoder.ts";
import {
  CONNECTION_PREFACE,
  H2Connection,
  type H2ConnectionOptions,
} from "../../../src/protocol/h2/connection.ts";
import {
  type Frame,
  FrameReader,
  serializeFrame,
} from "../../../src/protocol/h2/frames.ts";

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `make()` called `count` times, concatenated. */
export function repeated(count: number, make: () => Uint8Array): Uint8Array {
  return concat(...Array.from({ length: count }, make));
}

export class ScriptedServer {
  encoder: HpackEncoder = new HpackEncoder();
  decoder: HpackDecoder = new HpackDecoder();
  #reader = new FrameReader();
  #sawPreface = false;

  frame(frame: Frame): Uint8Array {
    return serializeFrame(frame);
  }

  settings(settings: Array<[number, number]> = []): Uint8Array {
    return serializeFrame({ type: "SETTINGS", ack: false, settings });
  }

  settingsAck(): Uint8Array {
    return serializeFrame({ type: "SETTINGS", ack: true, settings: [] });
  }

  headers(
    streamId: number,
    headers: Array<[string, string]>,
    endStream = false,
  ): Uint8Array {
    const fragment = this.encoder.encode(headers);
    return this.headersFrame(streamId, fragment, endStream, true);
  }

  /** A HEADERS frame of an encoded block: without END_HEADERS unless asked. */
  headersFrame(
    streamId: number,
    fragment: Uint8Array,
    endStream = false,
    endHeaders = false,
  ): Uint8Array {
    return serializeFrame({
      type: "HEADERS",
      streamId,
      endStream,
      endHeaders,
      fragment,
    });
  }

  /** A CONTINUATION frame; END_HEADERS when `endHeaders`. */
  continuation(
    streamId: number,
    fragment: Uint8Array,
    endHeaders = false,
  ): Uint8Array {
    return serializeFrame({
      type: "CONTINUATION",
      streamId,
      endHeaders,
      fragment,
    });
  }

  data(
    streamId: number,
    data: Uint8Array | string,
    endStream = false,
    padLength = 0,
  ): Uint8Array {
    return serializeFrame({
      type: "DATA",
      streamId,
      endStream,
      data: typeof data === "string" ? new TextEncoder().encode(data) : data,
      padLength,
    });
  }

  /** Parse what the client sent (the preface is checked and skipped once). */
  read(bytes: Uint8Array): Frame[] {
    if (!this.#sawPreface) {
      const head = bytes.subarray(0, CONNECTION_PREFACE.length);
      if (head.join() !== CONNECTION_PREFACE.join()) {
        throw new Error("No preface");
      }
      bytes = bytes.subarray(CONNECTION_PREFACE.length);
      this.#sawPreface = true;
    }
    this.#reader.maxFrameSize = (1 << 24) - 1;
    this.#reader.push(bytes);
    const frames: Frame[] = [];
    for (let f = this.#reader.next(); f !== null; f = this.#reader.next()) {
      frames.push(f);
    }
    return frames;
  }

  /** Decode the header block of a HEADERS frame the client sent. */
  decodeHeaders(frame: Frame): Array<[string, string]> {
    if (frame.type !== "HEADERS") {
      throw new Error(`Expected HEADERS, got ${frame.type}`);
    }
    return this.decoder.decode(frame.fragment);
  }
}

/** A client that has sent its preface and exchanged empty SETTINGS with the server. */
export function connected(
  options: H2ConnectionOptions = {},
  serverSettings: Array<[number, number]> = [],
): { conn: H2Connection; server: ScriptedServer } {
  const conn = new H2Connection(options);
  const server = new ScriptedServer();
  conn.initiate();
  server.read(conn.dataToSend());
  conn.receiveData(
    concat(server.settings(serverSettings), server.settingsAck()),
  );
  server.read(conn.dataToSend()); // the SETTINGS ACK
  return { conn, server };
}

export const REQUEST: Array<[string, string]> = [
  [":method", "GET"],
  [":scheme", "https"],
  [":authority", "example.org"],
  [":path", "/"],
];
