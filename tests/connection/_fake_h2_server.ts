// A reactive HTTP/2 server over an in-memory NetworkStream, built on the
// frame codec and HPACK: the connection and pool tests script it per frame.

import assert from "node:assert/strict";
import { ReadError } from "../../src/errors.ts";
import type { NetworkStream, TlsOptions } from "../../src/net/network.ts";
import { HpackDecoder } from "../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../src/protocol/hpack/encoder.ts";
import { CONNECTION_PREFACE } from "../../src/protocol/h2/connection.ts";
import {
  type Frame,
  FrameReader,
  serializeFrame,
} from "../../src/protocol/h2/frames.ts";

const enc = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// A reactive HTTP/2 server over an in-memory NetworkStream.

/** A request the server saw. */
export interface ServerRequest {
  streamId: number;
  headers: Array<[string, string]>;
  body: Uint8Array[];
  ended: boolean;
}

/** The fake server: a NetworkStream whose peer speaks HTTP/2. */
export class FakeH2Server implements NetworkStream {
  alpnProtocol: string | null = "h2";
  readonly remoteAddr: string | null = "127.0.0.1:443";
  readonly localAddr: string | null = "127.0.0.1:50000";
  readonly received: Frame[] = [];
  readonly requests = new Map<number, ServerRequest>();
  encoder: HpackEncoder = new HpackEncoder();
  #decoder = new HpackDecoder();
  #reader = new FrameReader();
  #preface = false;
  #out: Uint8Array[] = [];
  #eof = false;
  #closed = false;
  #wake: (() => void) | null = null;
  #listeners: Array<() => void> = [];
  /** Called for every complete request (END_STREAM seen). */
  onRequest: (req: ServerRequest) => void = () => {};
  /** Called for every frame received. */
  onFrame: (frame: Frame) => void = () => {};

  /** Streams the client opened that neither side ended or reset yet. */
  open = 0;
  /** The most streams open at once. */
  maxOpen = 0;
  #answered = new Set<number>();

  constructor(settings: Array<[number, number]> = []) {
    this.send({ type: "SETTINGS", ack: false, settings });
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  send(frame: Frame): void {
    if (
      (frame.type === "HEADERS" || frame.type === "DATA") && frame.endStream ||
      frame.type === "RST_STREAM"
    ) {
      this.#closeStream(frame.streamId);
    }
    this.push(serializeFrame(frame));
  }

  #closeStream(streamId: number): void {
    if (!this.requests.has(streamId) || this.#answered.has(streamId)) return;
    this.#answered.add(streamId);
    this.open--;
  }

  push(bytes: Uint8Array): void {
    this.#out.push(bytes);
    this.#wake?.();
  }

  hangUp(): void {
    this.#eof = true;
    this.#wake?.();
  }

  respond(
    streamId: number,
    status: number,
    body: string | Uint8Array = "",
    headers: Array<[string, string]> = [],
  ): void {
    const data = typeof body === "string" ? enc.encode(body) : body;
    this.send({
      type: "HEADERS",
      streamId,
      endStream: data.length === 0,
      endHeaders: true,
      fragment: this.encoder.encode([[":status", String(status)], ...headers]),
    });
    if (data.length > 0) {
      this.send({ type: "DATA", streamId, endStream: true, data });
    }
  }

  /** Resolves once `predicate` holds (checked after every write). */
  until(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!predicate()) return;
        this.#listeners = this.#listeners.filter((l) => l !== check);
        resolve();
      };
      this.#listeners.push(check);
    });
  }

  read(_maxBytes: number, _timeout: number | null): Promise<Uint8Array | null> {
    if (this.#closed) return Promise.reject(new ReadError("Connection closed"));
    if (this.#out.length > 0) {
      return Promise.resolve(concat(...this.#out.splice(0)));
    }
    if (this.#eof) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#wake = () => {
        this.#wake = null;
        if (this.#closed) reject(new ReadError("Connection closed"));
        else if (this.#out.length > 0) resolve(concat(...this.#out.splice(0)));
        else resolve(null);
      };
    });
  }

  write(data: Uint8Array, _timeout: number | null): Promise<void> {
    if (this.#closed) return Promise.reject(new ReadError("Connection closed"));
    let bytes = data;
    if (!this.#preface) {
      assert.deepEqual(
        bytes.subarray(0, CONNECTION_PREFACE.length),
        CONNECTION_PREFACE,
      );
      bytes = bytes.subarray(CONNECTION_PREFACE.length);
      this.#preface = true;
    }
    this.#reader.push(bytes);
    for (let f = this.#reader.next(); f !== null; f = this.#reader.next()) {
      this.received.push(f);
      this.#handle(f);
      this.onFrame(f);
    }
    for (const listener of [...this.#listeners]) listener();
    return Promise.resolve();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
  }

  startTls(
    _options: TlsOptions,
    _timeout: number | null,
  ): Promise<NetworkStream> {
    // TLS is pretend: the same stream, with ALPN as set.
    return Promise.resolve(this);
  }

  #handle(frame: Frame): void {
    if (frame.type === "SETTINGS" && !frame.ack) {
      this.send({ type: "SETTINGS", ack: true, settings: [] });
    } else if (frame.type === "HEADERS") {
      const req: ServerRequest = {
        streamId: frame.streamId,
        headers: this.#decoder.decode(frame.fragment),
        body: [],
        ended: frame.endStream,
      };
      this.requests.set(frame.streamId, req);
      this.open++;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      if (req.ended) this.onRequest(req);
    } else if (frame.type === "RST_STREAM") {
      this.#closeStream(frame.streamId);
    } else if (frame.type === "DATA") {
      const req = this.requests.get(frame.streamId)!;
      req.body.push(frame.data);
      if (frame.endStream) {
        req.ended = true;
        this.onRequest(req);
      }
    }
  }
}
