/**
 * HTTP/2 frames (RFC 9113 §4, §6): the types, an incremental parser and
 * serialisation.
 *
 * @module
 */

import { ByteWriter } from "../hpack/_byte_writer.ts";
import { ErrorCode } from "./error_codes.ts";
import { H2ConnectionError, H2StreamError } from "./errors.ts";

/** Frame type numbers. */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** Flag bits. */
export const FrameFlag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** Size of the fixed frame header. */
export const FRAME_HEADER_LENGTH = 9;

/** The default and smallest SETTINGS_MAX_FRAME_SIZE. */
export const DEFAULT_MAX_FRAME_SIZE = 16384;

/** Largest stream id / window (2^31 − 1). */
export const MAX_31_BIT = 0x7fffffff;

/** Stream dependency information of HEADERS and PRIORITY (deprecated, parsed and ignored). */
export interface PriorityInfo {
  /** Stream this one depends on. */
  dependsOn: number;
  /** Exclusive flag. */
  exclusive: boolean;
  /** Weight 1–256. */
  weight: number;
}

/** DATA. */
export interface DataFrame {
  /** Discriminant. */
  type: "DATA";
  /** Stream. */
  streamId: number;
  /** END_STREAM flag. */
  endStream: boolean;
  /** Payload without padding. */
  data: Uint8Array;
  /** Padding octets to add (serialising) or that were present (parsing, 0 when none). */
  padLength?: number;
  /** Whole payload length including padding: what flow control counts. */
  flowControlledLength?: number;
}

/** HEADERS. */
export interface HeadersFrame {
  /** Discriminant. */
  type: "HEADERS";
  /** Stream. */
  streamId: number;
  /** END_STREAM flag. */
  endStream: boolean;
  /** END_HEADERS flag. */
  endHeaders: boolean;
  /** Header block fragment. */
  fragment: Uint8Array;
  /** Priority fields when the PRIORITY flag is set. */
  priority?: PriorityInfo;
  /** Padding octets (see {@linkcode DataFrame.padLength}). */
  padLength?: number;
}

/** PRIORITY. */
export interface PriorityFrame {
  /** Discriminant. */
  type: "PRIORITY";
  /** Stream. */
  streamId: number;
  /** Priority fields. */
  priority: PriorityInfo;
}

/** RST_STREAM. */
export interface RstStreamFrame {
  /** Discriminant. */
  type: "RST_STREAM";
  /** Stream. */
  streamId: number;
  /** Error code. */
  errorCode: number;
}

/** SETTINGS. */
export interface SettingsFrame {
  /** Discriminant. */
  type: "SETTINGS";
  /** ACK flag (then `settings` is empty). */
  ack: boolean;
  /** `[identifier, value]` pairs in order. */
  settings: Array<[number, number]>;
}

/** PUSH_PROMISE. */
export interface PushPromiseFrame {
  /** Discriminant. */
  type: "PUSH_PROMISE";
  /** Stream the promise is made on. */
  streamId: number;
  /** END_HEADERS flag. */
  endHeaders: boolean;
  /** Reserved stream. */
  promisedStreamId: number;
  /** Header block fragment. */
  fragment: Uint8Array;
  /** Padding octets. */
  padLength?: number;
}

/** PING. */
export interface PingFrame {
  /** Discriminant. */
  type: "PING";
  /** ACK flag. */
  ack: boolean;
  /** Eight octets of opaque data. */
  data: Uint8Array;
}

/** GOAWAY. */
export interface GoawayFrame {
  /** Discriminant. */
  type: "GOAWAY";
  /** Highest stream id the sender may have processed. */
  lastStreamId: number;
  /** Error code. */
  errorCode: number;
  /** Opaque debug data. */
  debugData: Uint8Array;
}

/** WINDOW_UPDATE. */
export interface WindowUpdateFrame {
  /** Discriminant. */
  type: "WINDOW_UPDATE";
  /** Stream, or 0 for the connection. */
  streamId: number;
  /** Window size increment (1 to 2^31 − 1). */
  increment: number;
}

/** CONTINUATION. */
export interface ContinuationFrame {
  /** Discriminant. */
  type: "CONTINUATION";
  /** Stream. */
  streamId: number;
  /** END_HEADERS flag. */
  endHeaders: boolean;
  /** Header block fragment. */
  fragment: Uint8Array;
}

/** A frame of a type this implementation does not know (ignored by the connection). */
export interface UnknownFrame {
  /** Discriminant. */
  type: "UNKNOWN";
  /** The frame type number. */
  frameType: number;
  /** Stream. */
  streamId: number;
  /** Raw flags. */
  flags: number;
  /** Raw payload. */
  payload: Uint8Array;
}

/** Any HTTP/2 frame. */
export type Frame =
  | DataFrame
  | HeadersFrame
  | PriorityFrame
  | RstStreamFrame
  | SettingsFrame
  | PushPromiseFrame
  | PingFrame
  | GoawayFrame
  | WindowUpdateFrame
  | ContinuationFrame
  | UnknownFrame;

function u32(bytes: Uint8Array, at: number): number {
  return (
    bytes[at] * 0x1000000 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) |
      bytes[at + 3])
  );
}

function protocolError(message: string): H2ConnectionError {
  return new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, message);
}

function frameSizeError(message: string): H2ConnectionError {
  return new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, message);
}

/**
 * Parses frames from bytes pushed in any chunking. Payloads of returned
 * frames are copies, safe to keep.
 */
export class FrameReader {
  #buffer = new Uint8Array(32 * 1024);
  #start = 0;
  #end = 0;
  /** Largest payload accepted: our SETTINGS_MAX_FRAME_SIZE. */
  maxFrameSize: number = DEFAULT_MAX_FRAME_SIZE;

  /** Octets buffered but not yet parsed. */
  get bufferedLength(): number {
    return this.#end - this.#start;
  }

  /** Append received bytes. */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    const free = this.#buffer.length - this.#end;
    if (free < data.length) {
      const pending = this.#end - this.#start;
      const needed = pending + data.length;
      if (needed <= this.#buffer.length && this.#start > 0) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        let capacity = this.#buffer.length;
        while (capacity < needed) capacity *= 2;
        const grown = new Uint8Array(capacity);
        grown.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = grown;
      }
      this.#start = 0;
      this.#end = pending;
    }
    this.#buffer.set(data, this.#end);
    this.#end += data.length;
  }

  /**
   * The next complete frame, or `null` when more bytes are needed. Raises
   * {@linkcode H2ConnectionError} for frames that break the connection and
   * {@linkcode H2StreamError} (after consuming the frame) for those that
   * break one stream.
   */
  next(): Frame | null {
    const available = this.#end - this.#start;
    if (available < FRAME_HEADER_LENGTH) return null;
    const buffer = this.#buffer;
    const at = this.#start;
    const length = (buffer[at] << 16) | (buffer[at + 1] << 8) | buffer[at + 2];
    if (length > this.maxFrameSize) {
      throw frameSizeError(
        `Frame of ${length} octets exceeds the maximum frame size of ${this.maxFrameSize}`,
      );
    }
    if (available < FRAME_HEADER_LENGTH + length) return null;
    const type = buffer[at + 3];
    const flags = buffer[at + 4];
    const streamId = u32(buffer, at + 5) & MAX_31_BIT;
    const payload = buffer.slice(
      at + FRAME_HEADER_LENGTH,
      at + FRAME_HEADER_LENGTH + length,
    );
    this.#start += FRAME_HEADER_LENGTH + length;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return parsePayload(type, flags, streamId, payload);
  }
}

function requireStream(streamId: number, what: string): void {
  if (streamId === 0) throw protocolError(`${what} frame on stream 0`);
}

function requireConnection(streamId: number, what: string): void {
  if (streamId !== 0) {
    throw protocolError(`${what} frame on stream ${streamId}`);
  }
}

function stripPadding(
  payload: Uint8Array,
  flags: number,
  what: string,
): { body: Uint8Array; padLength: number } {
  if ((flags & FrameFlag.PADDED) === 0) return { body: payload, padLength: 0 };
  if (payload.length < 1) throw frameSizeError(`Padded ${what} frame is empty`);
  const padLength = payload[0];
  if (padLength >= payload.length) {
    throw protocolError(`${what} frame padding is longer than its payload`);
  }
  return {
    body: payload.subarray(1, payload.length - padLength),
    padLength,
  };
}

function parsePriority(bytes: Uint8Array, at: number): PriorityInfo {
  const word = u32(bytes, at);
  return {
    dependsOn: word & MAX_31_BIT,
    exclusive: word > MAX_31_BIT,
    weight: bytes[at + 4] + 1,
  };
}

/** Parse one frame's payload (exported for tests). */
export function parsePayload(
  type: number,
  flags: number,
  streamId: number,
  payload: Uint8Array,
): Frame {
  switch (type) {
    case FrameType.DATA: {
      requireStream(streamId, "DATA");
      const { body, padLength } = stripPadding(payload, flags, "DATA");
      return {
        type: "DATA",
        streamId,
        endStream: (flags & FrameFlag.END_STREAM) !== 0,
        data: body,
        padLength,
        flowControlledLength: payload.length,
      };
    }
    case FrameType.HEADERS: {
      requireStream(streamId, "HEADERS");
      const { body, padLength } = stripPadding(payload, flags, "HEADERS");
      let fragment = body;
      let priority: PriorityInfo | undefined;
      if (flags & FrameFlag.PRIORITY) {
        if (body.length < 5) {
          throw frameSizeError(
            "HEADERS frame too short for its priority fields",
          );
        }
        priority = parsePriority(body, 0);
        fragment = body.subarray(5);
      }
      const frame: HeadersFrame = {
        type: "HEADERS",
        streamId,
        endStream: (flags & FrameFlag.END_STREAM) !== 0,
        endHeaders: (flags & FrameFlag.END_HEADERS) !== 0,
        fragment,
        padLength,
      };
      if (priority !== undefined) frame.priority = priority;
      return frame;
    }
    case FrameType.PRIORITY: {
      requireStream(streamId, "PRIORITY");
      if (payload.length !== 5) {
        throw new H2StreamError(
          streamId,
          ErrorCode.FRAME_SIZE_ERROR,
          "PRIORITY frame must be 5 octets",
        );
      }
      return {
        type: "PRIORITY",
        streamId,
        priority: parsePriority(payload, 0),
      };
    }
    case FrameType.RST_STREAM: {
      requireStream(streamId, "RST_STREAM");
      if (payload.length !== 4) {
        throw frameSizeError("RST_STREAM frame must be 4 octets");
      }
      return { type: "RST_STREAM", streamId, errorCode: u32(payload, 0) };
    }
    case FrameType.SETTINGS: {
      requireConnection(streamId, "SETTINGS");
      const ack = (flags & FrameFlag.ACK) !== 0;
      if (ack && payload.length !== 0) {
        throw frameSizeError("SETTINGS ACK frame must be empty");
      }
      if (payload.length % 6 !== 0) {
        throw frameSizeError("SETTINGS frame length is not a multiple of 6");
      }
      const settings: Array<[number, number]> = [];
      for (let i = 0; i < payload.length; i += 6) {
        settings.push([
          (payload[i] << 8) | payload[i + 1],
          u32(payload, i + 2),
        ]);
      }
      return { type: "SETTINGS", ack, settings };
    }
    case FrameType.PUSH_PROMISE: {
      requireStream(streamId, "PUSH_PROMISE");
      const { body, padLength } = stripPadding(payload, flags, "PUSH_PROMISE");
      if (body.length < 4) {
        throw frameSizeError("PUSH_PROMISE frame too short");
      }
      return {
        type: "PUSH_PROMISE",
        streamId,
        endHeaders: (flags & FrameFlag.END_HEADERS) !== 0,
        promisedStreamId: u32(body, 0) & MAX_31_BIT,
        fragment: body.subarray(4),
        padLength,
      };
    }
    case FrameType.PING: {
      requireConnection(streamId, "PING");
      if (payload.length !== 8) {
        throw frameSizeError("PING frame must be 8 octets");
      }
      return {
        type: "PING",
        ack: (flags & FrameFlag.ACK) !== 0,
        data: payload,
      };
    }
    case FrameType.GOAWAY: {
      requireConnection(streamId, "GOAWAY");
      if (payload.length < 8) throw frameSizeError("GOAWAY frame too short");
      return {
        type: "GOAWAY",
        lastStreamId: u32(payload, 0) & MAX_31_BIT,
        errorCode: u32(payload, 4),
        debugData: payload.subarray(8),
      };
    }
    case FrameType.WINDOW_UPDATE: {
      if (payload.length !== 4) {
        throw frameSizeError("WINDOW_UPDATE frame must be 4 octets");
      }
      const increment = u32(payload, 0) & MAX_31_BIT;
      if (increment === 0) {
        if (streamId === 0) {
          throw protocolError("WINDOW_UPDATE with an increment of 0");
        }
        throw new H2StreamError(
          streamId,
          ErrorCode.PROTOCOL_ERROR,
          "WINDOW_UPDATE with an increment of 0",
        );
      }
      return { type: "WINDOW_UPDATE", streamId, increment };
    }
    case FrameType.CONTINUATION: {
      requireStream(streamId, "CONTINUATION");
      return {
        type: "CONTINUATION",
        streamId,
        endHeaders: (flags & FrameFlag.END_HEADERS) !== 0,
        fragment: payload,
      };
    }
    default:
      return { type: "UNKNOWN", frameType: type, streamId, flags, payload };
  }
}

function writeHeader(
  writer: ByteWriter,
  length: number,
  type: number,
  flags: number,
  streamId: number,
): void {
  writer.byte((length >>> 16) & 0xff);
  writer.byte((length >>> 8) & 0xff);
  writer.byte(length & 0xff);
  writer.byte(type);
  writer.byte(flags);
  writeU32(writer, streamId & MAX_31_BIT);
}

function writeU32(writer: ByteWriter, value: number): void {
  writer.byte((value >>> 24) & 0xff);
  writer.byte((value >>> 16) & 0xff);
  writer.byte((value >>> 8) & 0xff);
  writer.byte(value & 0xff);
}

function writePadded(
  writer: ByteWriter,
  type: number,
  flags: number,
  streamId: number,
  prefix: Uint8Array | null,
  body: Uint8Array,
  padLength: number,
): void {
  const padded = padLength > 0;
  const length = (padded ? 1 + padLength : 0) + (prefix?.length ?? 0) +
    body.length;
  writeHeader(
    writer,
    length,
    type,
    flags | (padded ? FrameFlag.PADDED : 0),
    streamId,
  );
  if (padded) writer.byte(padLength);
  if (prefix !== null) writer.bytes(prefix);
  writer.bytes(body);
  if (padded) writer.bytes(new Uint8Array(padLength));
}

function priorityBytes(priority: PriorityInfo): Uint8Array {
  const out = new Uint8Array(5);
  const word = (priority.dependsOn & MAX_31_BIT) +
    (priority.exclusive ? 0x80000000 : 0);
  out[0] = (word / 0x1000000) & 0xff;
  out[1] = (word >>> 16) & 0xff;
  out[2] = (word >>> 8) & 0xff;
  out[3] = word & 0xff;
  out[4] = priority.weight - 1;
  return out;
}

/** Append the wire form of `frame`. Sizes are the caller's business (no checks). */
export function writeFrame(writer: ByteWriter, frame: Frame): void {
  switch (frame.type) {
    case "DATA":
      writePadded(
        writer,
        FrameType.DATA,
        frame.endStream ? FrameFlag.END_STREAM : 0,
        frame.streamId,
        null,
        frame.data,
        frame.padLength ?? 0,
      );
      return;
    case "HEADERS":
      writePadded(
        writer,
        FrameType.HEADERS,
        (frame.endStream ? FrameFlag.END_STREAM : 0) |
          (frame.endHeaders ? FrameFlag.END_HEADERS : 0) |
          (frame.priority ? FrameFlag.PRIORITY : 0),
        frame.streamId,
        frame.priority ? priorityBytes(frame.priority) : null,
        frame.fragment,
        frame.padLength ?? 0,
      );
      return;
    case "PRIORITY":
      writeHeader(writer, 5, FrameType.PRIORITY, 0, frame.streamId);
      writer.bytes(priorityBytes(frame.priority));
      return;
    case "RST_STREAM":
      writeHeader(writer, 4, FrameType.RST_STREAM, 0, frame.streamId);
      writeU32(writer, frame.errorCode);
      return;
    case "SETTINGS":
      writeHeader(
        writer,
        frame.settings.length * 6,
        FrameType.SETTINGS,
        frame.ack ? FrameFlag.ACK : 0,
        0,
      );
      for (const [id, value] of frame.settings) {
        writer.byte((id >>> 8) & 0xff);
        writer.byte(id & 0xff);
        writeU32(writer, value);
      }
      return;
    case "PUSH_PROMISE": {
      const promised = new Uint8Array(4);
      promised[0] = (frame.promisedStreamId >>> 24) & 0x7f;
      promised[1] = (frame.promisedStreamId >>> 16) & 0xff;
      promised[2] = (frame.promisedStreamId >>> 8) & 0xff;
      promised[3] = frame.promisedStreamId & 0xff;
      writePadded(
        writer,
        FrameType.PUSH_PROMISE,
        frame.endHeaders ? FrameFlag.END_HEADERS : 0,
        frame.streamId,
        promised,
        frame.fragment,
        frame.padLength ?? 0,
      );
      return;
    }
    case "PING":
      writeHeader(writer, 8, FrameType.PING, frame.ack ? FrameFlag.ACK : 0, 0);
      writer.bytes(frame.data);
      return;
    case "GOAWAY":
      writeHeader(writer, 8 + frame.debugData.length, FrameType.GOAWAY, 0, 0);
      writeU32(writer, frame.lastStreamId & MAX_31_BIT);
      writeU32(writer, frame.errorCode);
      writer.bytes(frame.debugData);
      return;
    case "WINDOW_UPDATE":
      writeHeader(writer, 4, FrameType.WINDOW_UPDATE, 0, frame.streamId);
      writeU32(writer, frame.increment & MAX_31_BIT);
      return;
    case "CONTINUATION":
      writeHeader(
        writer,
        frame.fragment.length,
        FrameType.CONTINUATION,
        frame.endHeaders ? FrameFlag.END_HEADERS : 0,
        frame.streamId,
      );
      writer.bytes(frame.fragment);
      return;
    case "UNKNOWN":
      writeHeader(
        writer,
        frame.payload.length,
        frame.frameType,
        frame.flags,
        frame.streamId,
      );
      writer.bytes(frame.payload);
      return;
  }
}

/** The wire form of one frame. */
export function serializeFrame(frame: Frame): Uint8Array {
  const writer = new ByteWriter(64);
  writeFrame(writer, frame);
  return writer.take();
}
