/**
 * The client side of an HTTP/2 connection, sans-I/O: bytes in through
 * {@linkcode H2Connection.receiveData}, events out; requests in through
 * `sendHeaders` / `sendData`, bytes out through
 * {@linkcode H2Connection.dataToSend}. No sockets, timers or promises.
 *
 * Headers are `[name, value]` pairs of latin1 strings (one character per
 * wire octet), in both directions.
 *
 * @module
 */

import { ByteWriter } from "../hpack/_byte_writer.ts";
import {
  CompressionError,
  OversizedHeaderListError,
} from "../hpack/compression_error.ts";
import { HpackDecoder } from "../hpack/decoder.ts";
import {
  type EncodeOptions,
  type HeaderList,
  HpackEncoder,
} from "../hpack/encoder.ts";
import { ErrorCode } from "./error_codes.ts";
import { H2ConnectionError, H2StateError, H2StreamError } from "./errors.ts";
import type { H2Event } from "./events.ts";
import { ReceiveWindow, SendWindow } from "./flow_control.ts";
import {
  type ContinuationFrame,
  type DataFrame,
  type Frame,
  FrameReader,
  type GoawayFrame,
  type HeadersFrame,
  MAX_31_BIT,
  type PingFrame,
  type RstStreamFrame,
  type SettingsFrame,
  type WindowUpdateFrame,
  writeFrame,
} from "./frames.ts";
import { responseHeaderProblem, responseStatus } from "./header_validation.ts";
import {
  DEFAULT_INITIAL_WINDOW_SIZE,
  SettingId,
  Settings,
} from "./settings.ts";
import {
  canReceive,
  canSend,
  nextStreamState,
  type StreamInput,
  type StreamState,
} from "./stream_state.ts";

/** The client connection preface (RFC 9113 §3.4). */
export const CONNECTION_PREFACE: Uint8Array = new TextEncoder().encode(
  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
);

/** The settings httpcore sends: no push, 100 streams, 64 KiB header lists. */
export const DEFAULT_LOCAL_SETTINGS: ReadonlyArray<readonly [number, number]> =
  [
    [SettingId.ENABLE_PUSH, 0],
    [SettingId.MAX_CONCURRENT_STREAMS, 100],
    [SettingId.MAX_HEADER_LIST_SIZE, 65536],
  ];

/** Options of {@linkcode H2Connection}. */
export interface H2ConnectionOptions {
  /** SETTINGS sent by `initiate()` (default {@linkcode DEFAULT_LOCAL_SETTINGS}). */
  localSettings?: ReadonlyArray<readonly [number, number]>;
  /** Check received header blocks with `header_validation.ts` (default `true`). */
  validateResponseHeaders?: boolean;
  /** Largest compressed header block (HEADERS + CONTINUATION) accepted (default 256 KiB). */
  maxHeaderBlockSize?: number;
  /** SETTINGS and PING ACKs that may pile up between two `dataToSend()` calls (default 100). */
  maxPendingAcks?: number;
  /** Consecutive frames without content (empty DATA, HEADERS, CONTINUATION) tolerated (default 100). */
  maxEmptyFrames?: number;
  /** Largest dynamic table our encoder uses, whatever the peer allows (default 4096). */
  maxEncoderTableSize?: number;
  /**
   * The id of the first stream opened (odd; default 1). Tests use a high
   * one to reach stream-id exhaustion.
   */
  firstStreamId?: number;
}

/** Connection states. */
export type H2ConnectionState =
  /** Created; `initiate()` not called yet. */
  | "idle"
  /** Preface sent. */
  | "open"
  /** The peer sent GOAWAY: existing streams may finish, no new ones. */
  | "closing"
  /** We sent GOAWAY (`closeConnection()` or a connection error). */
  | "closed";

interface Stream {
  id: number;
  state: StreamState;
  send: SendWindow;
  recv: ReceiveWindow;
  /** The final (non-1xx) response head arrived. */
  responseReceived: boolean;
  /** The request was HEAD (responses carry Content-Length but no body). */
  isHead: boolean;
  /** Content-Length of the response, when it had a valid one. */
  expectedLength: number | null;
  receivedLength: number;
  status: number;
}

interface PendingHeaderBlock {
  streamId: number;
  fragments: Uint8Array[];
  size: number;
  endStream: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * A client-side HTTP/2 connection state machine.
 *
 * Stream errors the peer causes are answered with RST_STREAM and reported
 * as `StreamReset` events (`remote: false`). Connection errors queue a
 * GOAWAY and raise {@linkcode H2ConnectionError} from `receiveData`; send
 * `dataToSend()` and close the transport then. Misuse by the caller raises
 * {@linkcode H2StateError} with nothing queued.
 */
export class H2Connection {
  #state: H2ConnectionState = "idle";
  #out = new ByteWriter(16 * 1024);
  #reader = new FrameReader();
  #encoder: HpackEncoder;
  #decoder: HpackDecoder;
  #local = new Settings();
  #remote = new Settings();
  #pendingLocal: Array<ReadonlyArray<readonly [number, number]>> = [];
  #localSettingsToSend: ReadonlyArray<readonly [number, number]>;
  #validate: boolean;
  #maxHeaderBlockSize: number;
  #maxPendingAcks: number;
  #maxEmptyFrames: number;
  #maxEncoderTableSize: number;

  #streams = new Map<number, Stream>();
  #activeStreams = 0;
  #nextStreamId = 1;
  #connSend = new SendWindow(DEFAULT_INITIAL_WINDOW_SIZE);
  #connRecv = new ReceiveWindow(DEFAULT_INITIAL_WINDOW_SIZE);
  #headerBlock: PendingHeaderBlock | null = null;
  #sawRemoteSettings = false;
  #pendingAcks = 0;
  #emptyFrames = 0;
  #goawayLastStreamId: number | null = null;

  /** @param options Settings and limits. */
  constructor(options: H2ConnectionOptions = {}) {
    this.#localSettingsToSend = options.localSettings ?? DEFAULT_LOCAL_SETTINGS;
    this.#validate = options.validateResponseHeaders ?? true;
    this.#maxHeaderBlockSize = options.maxHeaderBlockSize ?? 256 * 1024;
    this.#maxPendingAcks = options.maxPendingAcks ?? 100;
    this.#maxEmptyFrames = options.maxEmptyFrames ?? 100;
    this.#maxEncoderTableSize = options.maxEncoderTableSize ?? 4096;
    const first = options.firstStreamId ?? 1;
    if (!Number.isInteger(first) || first % 2 !== 1 || first > MAX_31_BIT) {
      throw new RangeError("The first stream id must be an odd 31-bit integer");
    }
    this.#nextStreamId = first;
    this.#encoder = new HpackEncoder({
      maxTableSize: Math.min(4096, this.#maxEncoderTableSize),
    });
    this.#decoder = new HpackDecoder();
  }

  // ---------------------------------------------------------------- state

  /** The connection state. */
  get state(): H2ConnectionState {
    return this.#state;
  }

  /** Settings we sent and the peer acknowledged. */
  get localSettings(): Settings {
    return this.#local;
  }

  /** Settings the peer sent (defaults until its first SETTINGS). */
  get remoteSettings(): Settings {
    return this.#remote;
  }

  /** Whether the peer's first SETTINGS frame arrived. */
  get remoteSettingsReceived(): boolean {
    return this.#sawRemoteSettings;
  }

  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS (`Infinity` until it sets one). */
  get remoteMaxConcurrentStreams(): number {
    return this.#remote.maxConcurrentStreams;
  }

  /** Largest frame payload we send (the peer's SETTINGS_MAX_FRAME_SIZE). */
  get maxOutboundFrameSize(): number {
    return this.#remote.maxFrameSize;
  }

  /** Streams we opened that are not closed yet. */
  get openStreamCount(): number {
    return this.#activeStreams;
  }

  /** The id the next new stream gets, or `null` when ids are exhausted. */
  get nextStreamId(): number | null {
    return this.#nextStreamId > MAX_31_BIT ? null : this.#nextStreamId;
  }

  /** The last stream id the peer's GOAWAY allowed, or `null` without GOAWAY. */
  get goawayLastStreamId(): number | null {
    return this.#goawayLastStreamId;
  }

  /** Whether a new stream could be opened now (state, ids and the peer's limit). */
  canOpenStream(): boolean {
    return this.#state === "open" && this.nextStreamId !== null &&
      this.#activeStreams < this.#remote.maxConcurrentStreams;
  }

  /** The state of a stream, inferring `idle`/`closed` for unknown ids. */
  streamState(streamId: number): StreamState {
    const stream = this.#streams.get(streamId);
    if (stream !== undefined) return stream.state;
    return this.#isIdle(streamId) ? "idle" : "closed";
  }

  /** Octets of DATA that may be sent on `streamId` now (stream and connection windows). */
  availableWindow(streamId: number): number {
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !canSend(stream.state)) return 0;
    return Math.min(stream.send.available, this.#connSend.available);
  }

  /** Octets the peer may still send on a stream (0 for the connection). */
  inboundWindow(streamId = 0): number {
    if (streamId === 0) return this.#connRecv.size;
    return this.#streams.get(streamId)?.recv.size ?? 0;
  }

  // -------------------------------------------------------------- sending

  /** Queue the client preface and our SETTINGS. Call once, first. */
  initiate(): void {
    if (this.#state !== "idle") {
      throw new H2StateError("Connection was already initiated");
    }
    this.#state = "open";
    this.#out.bytes(CONNECTION_PREFACE);
    const settings = this.#localSettingsToSend.map(
      ([id, value]) => [id, value] as [number, number],
    );
    this.#write({ type: "SETTINGS", ack: false, settings });
    this.#pendingLocal.push(settings);
    for (const [id, value] of settings) {
      // Our own limit on header lists applies at once (it is advisory for the peer).
      if (id === SettingId.MAX_HEADER_LIST_SIZE) {
        this.#decoder.maxHeaderListSize = value;
      }
    }
  }

  /**
   * Queue a header block. Without `streamId` (or with a new odd id) a
   * stream is opened and its id returned; on an open stream it sends
   * trailers (then `endStream` must be true). Raises
   * {@linkcode H2StateError} when the connection does not accept new
   * streams, ids are exhausted or the peer's concurrency limit is reached.
   */
  sendHeaders(
    streamId: number | undefined,
    headers: ReadonlyArray<readonly [string, string]>,
    endStream: boolean,
    options: EncodeOptions = {},
  ): number {
    this.#assertCanSend();
    let stream = streamId === undefined
      ? undefined
      : this.#streams.get(streamId);
    if (stream === undefined) {
      const id = streamId ?? this.#nextStreamId;
      if (streamId !== undefined && !this.#isIdle(id)) {
        throw new H2StateError(`Stream ${id} is closed`);
      }
      if (id % 2 === 0) {
        throw new H2StateError("Client streams must have odd ids");
      }
      if (id > MAX_31_BIT) throw new H2StateError("Stream ids are exhausted");
      if (this.#state !== "open") {
        throw new H2StateError("The connection does not accept new streams");
      }
      if (this.#activeStreams >= this.#remote.maxConcurrentStreams) {
        throw new H2StateError(
          `The server allows at most ${this.#remote.maxConcurrentStreams} concurrent streams`,
        );
      }
      const block = this.#encoder.encode(headers, options);
      stream = {
        id,
        state: "idle",
        send: new SendWindow(this.#remote.initialWindowSize),
        recv: new ReceiveWindow(this.#local.initialWindowSize),
        responseReceived: false,
        isHead: headers.some(([n, v]) => n === ":method" && v === "HEAD"),
        expectedLength: null,
        receivedLength: 0,
        status: 0,
      };
      this.#streams.set(id, stream);
      this.#activeStreams++;
      this.#nextStreamId = id + 2;
      this.#transition(stream, "send_headers");
      this.#writeHeaderBlock(id, block, endStream);
    } else {
      if (!canSend(stream.state)) {
        throw new H2StateError(`Stream ${stream.id} is closed for sending`);
      }
      if (!endStream) throw new H2StateError("Trailers must end the stream");
      const block = this.#encoder.encode(headers, options);
      this.#transition(stream, "send_headers");
      this.#writeHeaderBlock(stream.id, block, true);
    }
    if (endStream) this.#transition(stream, "send_end_stream");
    return stream.id;
  }

  /**
   * Queue DATA, as much of `data` as the flow-control windows allow, in
   * frames no larger than the peer's MAX_FRAME_SIZE. Returns how many
   * octets were queued; END_STREAM is set only when all of `data` was.
   */
  sendData(streamId: number, data: Uint8Array, endStream = false): number {
    this.#assertCanSend();
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !canSend(stream.state)) {
      throw new H2StateError(`Stream ${streamId} is closed for sending`);
    }
    const allowed = Math.min(
      data.length,
      stream.send.available,
      this.#connSend.available,
    );
    const frameSize = this.#remote.maxFrameSize;
    const finish = endStream && allowed === data.length;
    let offset = 0;
    do {
      const size = Math.min(frameSize, allowed - offset);
      const last = offset + size === allowed;
      if (size === 0 && !(last && finish)) break;
      this.#write({
        type: "DATA",
        streamId,
        endStream: last && finish,
        data: data.subarray(offset, offset + size),
      });
      offset += size;
    } while (offset < allowed);
    stream.send.consume(allowed);
    this.#connSend.consume(allowed);
    if (finish) this.#transition(stream, "send_end_stream");
    return allowed;
  }

  /** End our side of a stream with an empty DATA frame. */
  endStream(streamId: number): void {
    this.sendData(streamId, EMPTY, true);
  }

  /** Reset a stream (CANCEL by default); a no-op on a closed stream. */
  resetStream(streamId: number, errorCode: number = ErrorCode.CANCEL): void {
    if (this.#state === "idle" || this.#state === "closed") return;
    const stream = this.#streams.get(streamId);
    if (stream === undefined) {
      if (this.#isIdle(streamId)) {
        throw new H2StateError(`Stream ${streamId} was never opened`);
      }
      return;
    }
    if (stream.state === "closed") return;
    this.#write({ type: "RST_STREAM", streamId, errorCode });
    this.#dropStream(stream, "send_rst_stream");
  }

  /** Queue a PING (eight octets; zeros by default). Returns the payload. */
  ping(data: Uint8Array = new Uint8Array(8)): Uint8Array {
    this.#assertCanSend();
    if (data.length !== 8) throw new H2StateError("PING data must be 8 octets");
    const payload = data.slice();
    this.#write({ type: "PING", ack: false, data: payload });
    return payload;
  }

  /**
   * Queue GOAWAY and stop. Nothing more can be sent; frames still arriving
   * are ignored.
   */
  closeConnection(
    errorCode: number = ErrorCode.NO_ERROR,
    debugData: Uint8Array = EMPTY,
  ): void {
    if (this.#state === "closed") return;
    if (this.#state !== "idle") {
      this.#write({ type: "GOAWAY", lastStreamId: 0, errorCode, debugData });
    }
    this.#state = "closed";
  }

  /**
   * Give the peer `increment` more octets of window beyond what
   * processing data returns: for the connection (`streamId` 0) or a stream.
   */
  incrementFlowControlWindow(increment: number, streamId = 0): void {
    this.#assertCanSend();
    if (increment < 1 || increment > MAX_31_BIT) {
      throw new H2StateError("Window increment must be between 1 and 2^31-1");
    }
    const window = streamId === 0
      ? this.#connRecv
      : this.#streams.get(streamId)?.recv;
    if (window === undefined) {
      throw new H2StateError(`Stream ${streamId} is not open`);
    }
    if (window.grow(increment) === null) {
      throw new H2StateError("Window would exceed 2^31-1");
    }
    this.#write({ type: "WINDOW_UPDATE", streamId, increment });
  }

  /**
   * Report that `length` received octets of a stream were processed (use
   * `DataReceived.flowControlledLength`); queues WINDOW_UPDATEs for the
   * stream and the connection when enough has accumulated.
   */
  acknowledgeReceivedData(streamId: number, length: number): void {
    if (length <= 0) return;
    const stream = this.#streams.get(streamId);
    // Unknown: a reset stream whose data was already returned to the connection.
    if (stream === undefined) return;
    this.#creditConnection(length);
    const increment = stream.recv.acknowledge(length);
    if (stream.state === "closed") {
      if (stream.recv.unacknowledged === 0) this.#streams.delete(streamId);
      return;
    }
    if (increment > 0 && this.#state !== "closed") {
      this.#write({ type: "WINDOW_UPDATE", streamId, increment });
    }
  }

  /** Everything queued since the last call, in one buffer (empty when nothing). */
  dataToSend(): Uint8Array {
    this.#pendingAcks = 0;
    return this.#out.take();
  }

  // ------------------------------------------------------------ receiving

  /**
   * Feed received bytes; returns the events they complete, in order.
   * Raises {@linkcode H2ConnectionError} on a connection error (GOAWAY
   * queued); events of the same call before the error are lost with it.
   */
  receiveData(data: Uint8Array): H2Event[] {
    if (this.#state === "closed" || this.#state === "idle") return [];
    this.#reader.push(data);
    const events: H2Event[] = [];
    for (;;) {
      let frame: Frame | null;
      try {
        frame = this.#reader.next();
        if (frame === null) break;
        this.#handleFrame(frame, events);
      } catch (error) {
        if (error instanceof H2StreamError) {
          this.#resetForPeerError(error, events);
          continue;
        }
        if (error instanceof H2ConnectionError) this.#fail(error);
        throw error;
      }
    }
    return events;
  }

  #handleFrame(frame: Frame, events: H2Event[]): void {
    if (
      !this.#sawRemoteSettings && !(frame.type === "SETTINGS" && !frame.ack)
    ) {
      throw new H2ConnectionError(
        ErrorCode.PROTOCOL_ERROR,
        "The server preface must start with a SETTINGS frame",
      );
    }
    if (
      this.#headerBlock !== null &&
      (frame.type !== "CONTINUATION" ||
        frame.streamId !== this.#headerBlock.streamId)
    ) {
      throw new H2ConnectionError(
        ErrorCode.PROTOCOL_ERROR,
        `Expected CONTINUATION on stream ${this.#headerBlock.streamId}, got ${frame.type}`,
      );
    }
    switch (frame.type) {
      case "DATA":
        this.#countEmpty(frame.data.length === 0 && !frame.endStream);
        return this.#onData(frame, events);
      case "HEADERS":
        this.#countEmpty(frame.fragment.length === 0 && !frame.endHeaders);
        return this.#onHeaders(frame, events);
      case "CONTINUATION":
        this.#countEmpty(frame.fragment.length === 0 && !frame.endHeaders);
        return this.#onContinuation(frame, events);
      case "PRIORITY":
        if (frame.priority.dependsOn === frame.streamId) {
          throw new H2StreamError(
            frame.streamId,
            ErrorCode.PROTOCOL_ERROR,
            "Stream depends on itself",
          );
        }
        return;
      case "RST_STREAM":
        return this.#onRstStream(frame, events);
      case "SETTINGS":
        return this.#onSettings(frame, events);
      case "PUSH_PROMISE":
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          "PUSH_PROMISE received with push disabled",
        );
      case "PING":
        return this.#onPing(frame, events);
      case "GOAWAY":
        return this.#onGoaway(frame, events);
      case "WINDOW_UPDATE":
        return this.#onWindowUpdate(frame, events);
      case "UNKNOWN":
        return;
    }
  }

  #countEmpty(empty: boolean): void {
    if (!empty) {
      this.#emptyFrames = 0;
      return;
    }
    if (++this.#emptyFrames > this.#maxEmptyFrames) {
      throw new H2ConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM,
        "Too many empty frames",
      );
    }
  }

  #onData(frame: DataFrame, events: H2Event[]): void {
    const length = frame.flowControlledLength ?? frame.data.length;
    if (!this.#connRecv.receive(length)) {
      throw new H2ConnectionError(
        ErrorCode.FLOW_CONTROL_ERROR,
        "DATA exceeds the connection window",
      );
    }
    const stream = this.#streams.get(frame.streamId);
    if (stream === undefined) {
      if (this.#isIdle(frame.streamId)) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `DATA on idle stream ${frame.streamId}`,
        );
      }
      // A stream we reset: discard, and give the window back.
      this.#creditConnection(length);
      return;
    }
    if (!canReceive(stream.state)) {
      this.#creditConnection(length);
      throw new H2StreamError(
        stream.id,
        ErrorCode.STREAM_CLOSED,
        `DATA on closed stream ${stream.id}`,
      );
    }
    if (!stream.recv.receive(length)) {
      this.#creditConnection(length);
      throw new H2StreamError(
        stream.id,
        ErrorCode.FLOW_CONTROL_ERROR,
        "DATA exceeds the stream window",
      );
    }
    if (!stream.responseReceived) {
      throw new H2StreamError(
        stream.id,
        ErrorCode.PROTOCOL_ERROR,
        "DATA before the response headers",
      );
    }
    stream.receivedLength += frame.data.length;
    if (
      this.#validate && stream.expectedLength !== null &&
      stream.receivedLength > stream.expectedLength
    ) {
      throw new H2StreamError(
        stream.id,
        ErrorCode.PROTOCOL_ERROR,
        "More DATA than Content-Length",
      );
    }
    events.push({
      type: "DataReceived",
      streamId: stream.id,
      data: frame.data,
      flowControlledLength: length,
      streamEnded: frame.endStream,
    });
    if (frame.endStream) this.#remoteEnded(stream, events);
  }

  #onHeaders(frame: HeadersFrame, events: H2Event[]): void {
    this.#headerBlock = {
      streamId: frame.streamId,
      fragments: [frame.fragment],
      size: frame.fragment.length,
      endStream: frame.endStream,
    };
    this.#checkHeaderBlockSize();
    if (frame.endHeaders) this.#finishHeaderBlock(events);
  }

  #onContinuation(frame: ContinuationFrame, events: H2Event[]): void {
    const block = this.#headerBlock;
    if (block === null) {
      throw new H2ConnectionError(
        ErrorCode.PROTOCOL_ERROR,
        "CONTINUATION without HEADERS",
      );
    }
    block.fragments.push(frame.fragment);
    block.size += frame.fragment.length;
    this.#checkHeaderBlockSize();
    if (frame.endHeaders) this.#finishHeaderBlock(events);
  }

  #checkHeaderBlockSize(): void {
    if (this.#headerBlock!.size > this.#maxHeaderBlockSize) {
      throw new H2ConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM,
        `Header block exceeds ${this.#maxHeaderBlockSize} octets`,
      );
    }
  }

  #finishHeaderBlock(events: H2Event[]): void {
    const pending = this.#headerBlock!;
    this.#headerBlock = null;
    let block: Uint8Array;
    if (pending.fragments.length === 1) {
      block = pending.fragments[0];
    } else {
      block = new Uint8Array(pending.size);
      let at = 0;
      for (const fragment of pending.fragments) {
        block.set(fragment, at);
        at += fragment.length;
      }
    }
    const id = pending.streamId;
    let headers: HeaderList;
    try {
      headers = this.#decoder.decode(block);
    } catch (error) {
      if (error instanceof OversizedHeaderListError) {
        // The block was fully decoded, so the context is still in step.
        if (this.#streams.has(id)) {
          throw new H2StreamError(id, ErrorCode.PROTOCOL_ERROR, error.message);
        }
        return;
      }
      if (error instanceof CompressionError) {
        throw new H2ConnectionError(
          ErrorCode.COMPRESSION_ERROR,
          error.message,
          { cause: error },
        );
      }
      throw error;
    }
    const stream = this.#streams.get(id);
    if (stream === undefined) {
      if (this.#isIdle(id)) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `HEADERS on idle stream ${id}`,
        );
      }
      return; // A stream we reset: decoded for the HPACK context, then dropped.
    }
    if (!canReceive(stream.state)) {
      throw new H2StreamError(
        id,
        ErrorCode.STREAM_CLOSED,
        `HEADERS on closed stream ${id}`,
      );
    }
    this.#transition(stream, "recv_headers");
    if (!stream.responseReceived) {
      if (this.#validate) {
        const problem = responseHeaderProblem(headers, "response");
        if (problem !== null) {
          throw new H2StreamError(id, ErrorCode.PROTOCOL_ERROR, problem);
        }
      }
      const status = responseStatus(headers);
      if (status === null) {
        throw new H2StreamError(
          id,
          ErrorCode.PROTOCOL_ERROR,
          "Response has no valid :status",
        );
      }
      if (status >= 100 && status < 200) {
        if (status === 101 || pending.endStream) {
          throw new H2StreamError(
            id,
            ErrorCode.PROTOCOL_ERROR,
            `Invalid informational response ${status}`,
          );
        }
        events.push({
          type: "InformationalResponseReceived",
          streamId: id,
          headers,
        });
        return;
      }
      stream.responseReceived = true;
      stream.status = status;
      stream.expectedLength = contentLength(headers);
      events.push({
        type: "ResponseReceived",
        streamId: id,
        headers,
        streamEnded: pending.endStream,
      });
    } else {
      if (!pending.endStream) {
        throw new H2StreamError(
          id,
          ErrorCode.PROTOCOL_ERROR,
          "Trailers without END_STREAM",
        );
      }
      if (this.#validate) {
        const problem = responseHeaderProblem(headers, "trailers");
        if (problem !== null) {
          throw new H2StreamError(id, ErrorCode.PROTOCOL_ERROR, problem);
        }
      }
      events.push({ type: "TrailersReceived", streamId: id, headers });
    }
    if (pending.endStream) this.#remoteEnded(stream, events);
  }

  #remoteEnded(stream: Stream, events: H2Event[]): void {
    if (
      this.#validate && stream.expectedLength !== null && !stream.isHead &&
      stream.status !== 204 && stream.status !== 304 &&
      stream.receivedLength !== stream.expectedLength
    ) {
      throw new H2StreamError(
        stream.id,
        ErrorCode.PROTOCOL_ERROR,
        `Received ${stream.receivedLength} octets of a ${stream.expectedLength} octet body`,
      );
    }
    this.#transition(stream, "recv_end_stream");
    events.push({ type: "StreamEnded", streamId: stream.id });
  }

  #onRstStream(frame: RstStreamFrame, events: H2Event[]): void {
    const stream = this.#streams.get(frame.streamId);
    if (stream === undefined) {
      if (this.#isIdle(frame.streamId)) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `RST_STREAM on idle stream ${frame.streamId}`,
        );
      }
      return;
    }
    if (stream.state === "closed") return;
    this.#dropStream(stream, "recv_rst_stream");
    events.push({
      type: "StreamReset",
      streamId: frame.streamId,
      errorCode: frame.errorCode,
      remote: true,
    });
  }

  #onSettings(frame: SettingsFrame, events: H2Event[]): void {
    if (frame.ack) {
      const settings = this.#pendingLocal.shift();
      if (settings === undefined) return; // Unsolicited ACK: nothing to apply.
      const changed = this.#local.apply(settings);
      for (const change of changed) {
        switch (change.id) {
          case SettingId.HEADER_TABLE_SIZE:
            this.#decoder.setMaxAllowedTableSize(change.newValue);
            break;
          case SettingId.INITIAL_WINDOW_SIZE: {
            const delta = change.newValue -
              (change.oldValue ?? DEFAULT_INITIAL_WINDOW_SIZE);
            for (const stream of this.#streams.values()) {
              if (stream.state !== "closed") stream.recv.adjustInitial(delta);
            }
            break;
          }
          case SettingId.MAX_FRAME_SIZE:
            this.#reader.maxFrameSize = change.newValue;
            break;
          case SettingId.MAX_HEADER_LIST_SIZE:
            this.#decoder.maxHeaderListSize = change.newValue;
            break;
        }
      }
      events.push({ type: "SettingsAcknowledged", changed });
      return;
    }
    this.#sawRemoteSettings = true;
    const changed = this.#remote.apply(frame.settings);
    for (const change of changed) {
      switch (change.id) {
        case SettingId.INITIAL_WINDOW_SIZE: {
          const delta = change.newValue -
            (change.oldValue ?? DEFAULT_INITIAL_WINDOW_SIZE);
          for (const stream of this.#streams.values()) {
            if (stream.state === "closed") continue;
            if (!stream.send.adjust(delta)) {
              throw new H2ConnectionError(
                ErrorCode.FLOW_CONTROL_ERROR,
                `SETTINGS_INITIAL_WINDOW_SIZE makes stream ${stream.id}'s window exceed 2^31-1`,
              );
            }
          }
          break;
        }
        case SettingId.HEADER_TABLE_SIZE:
          this.#encoder.setMaxTableSize(
            Math.min(change.newValue, this.#maxEncoderTableSize),
          );
          break;
      }
    }
    this.#queueAck({ type: "SETTINGS", ack: true, settings: [] });
    events.push({ type: "RemoteSettingsChanged", changed });
  }

  #onPing(frame: PingFrame, events: H2Event[]): void {
    if (frame.ack) {
      events.push({ type: "PingAckReceived", data: frame.data });
      return;
    }
    this.#queueAck({ type: "PING", ack: true, data: frame.data });
    events.push({ type: "PingReceived", data: frame.data });
  }

  #queueAck(frame: Frame): void {
    if (++this.#pendingAcks > this.#maxPendingAcks) {
      throw new H2ConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM,
        "Too many SETTINGS or PING frames waiting for an acknowledgement",
      );
    }
    this.#write(frame);
  }

  #onGoaway(frame: GoawayFrame, events: H2Event[]): void {
    const previous = this.#goawayLastStreamId;
    this.#goawayLastStreamId = previous === null
      ? frame.lastStreamId
      : Math.min(previous, frame.lastStreamId);
    if (this.#state === "open") this.#state = "closing";
    events.push({
      type: "ConnectionTerminated",
      errorCode: frame.errorCode,
      lastStreamId: frame.lastStreamId,
      debugData: frame.debugData,
    });
  }

  #onWindowUpdate(frame: WindowUpdateFrame, events: H2Event[]): void {
    if (frame.streamId === 0) {
      if (!this.#connSend.adjust(frame.increment)) {
        throw new H2ConnectionError(
          ErrorCode.FLOW_CONTROL_ERROR,
          "Connection window exceeds 2^31-1",
        );
      }
      events.push({
        type: "WindowUpdated",
        streamId: 0,
        delta: frame.increment,
      });
      return;
    }
    const stream = this.#streams.get(frame.streamId);
    if (stream === undefined) {
      if (this.#isIdle(frame.streamId)) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `WINDOW_UPDATE on idle stream ${frame.streamId}`,
        );
      }
      return;
    }
    if (stream.state === "closed") return;
    if (!stream.send.adjust(frame.increment)) {
      throw new H2StreamError(
        stream.id,
        ErrorCode.FLOW_CONTROL_ERROR,
        "Stream window exceeds 2^31-1",
      );
    }
    events.push({
      type: "WindowUpdated",
      streamId: stream.id,
      delta: frame.increment,
    });
  }

  // -------------------------------------------------------------- helpers

  #isIdle(streamId: number): boolean {
    // Even ids are the server's; with push disabled it never opens any.
    if (streamId % 2 === 0) return true;
    return streamId >= this.#nextStreamId;
  }

  #assertCanSend(): void {
    if (this.#state === "idle") throw new H2StateError("Call initiate() first");
    if (this.#state === "closed") {
      throw new H2StateError("The connection is closed");
    }
  }

  #transition(stream: Stream, input: StreamInput): void {
    const next = nextStreamState(stream.state, input);
    if (next === null) {
      throw new H2StateError(
        `Stream ${stream.id} cannot ${
          input.replaceAll("_", " ")
        } in state ${stream.state}`,
      );
    }
    const wasClosed = stream.state === "closed";
    stream.state = next;
    if (next === "closed" && !wasClosed) {
      this.#activeStreams--;
      if (stream.recv.unacknowledged === 0) this.#streams.delete(stream.id);
    }
  }

  /** Close a stream by reset: its unprocessed data goes back to the connection window. */
  #dropStream(stream: Stream, input: StreamInput): void {
    const unacknowledged = stream.recv.unacknowledged;
    this.#transition(stream, input);
    this.#streams.delete(stream.id);
    if (unacknowledged > 0) this.#creditConnection(unacknowledged);
  }

  #resetForPeerError(error: H2StreamError, events: H2Event[]): void {
    const stream = this.#streams.get(error.streamId);
    if (this.#state !== "closed") {
      this.#write({
        type: "RST_STREAM",
        streamId: error.streamId,
        errorCode: error.code,
      });
    }
    // A stream that already ended normally keeps its record (its data may
    // still be acknowledged) and reports nothing more.
    if (stream !== undefined && stream.state === "closed") return;
    if (stream !== undefined) this.#dropStream(stream, "send_rst_stream");
    events.push({
      type: "StreamReset",
      streamId: error.streamId,
      errorCode: error.code,
      remote: false,
      reason: error.message,
    });
  }

  #creditConnection(length: number): void {
    const increment = this.#connRecv.acknowledge(length);
    if (increment > 0 && this.#state !== "closed") {
      this.#write({ type: "WINDOW_UPDATE", streamId: 0, increment });
    }
  }

  #fail(error: H2ConnectionError): void {
    if (this.#state === "closed") return;
    this.#write({
      type: "GOAWAY",
      lastStreamId: 0,
      errorCode: error.code,
      debugData: new TextEncoder().encode(error.message),
    });
    this.#state = "closed";
  }

  #writeHeaderBlock(
    streamId: number,
    block: Uint8Array,
    endStream: boolean,
  ): void {
    const frameSize = this.#remote.maxFrameSize;
    let offset = Math.min(block.length, frameSize);
    this.#write({
      type: "HEADERS",
      streamId,
      endStream,
      endHeaders: offset === block.length,
      fragment: block.subarray(0, offset),
    });
    while (offset < block.length) {
      const end = Math.min(block.length, offset + frameSize);
      this.#write({
        type: "CONTINUATION",
        streamId,
        endHeaders: end === block.length,
        fragment: block.subarray(offset, end),
      });
      offset = end;
    }
  }

  #write(frame: Frame): void {
    writeFrame(this.#out, frame);
  }
}

function contentLength(headers: HeaderList): number | null {
  let found: number | null = null;
  for (const [name, value] of headers) {
    if (name !== "content-length") continue;
    if (!/^[0-9]{1,15}$/.test(value.trim())) return null;
    const n = Number(value.trim());
    if (found !== null && found !== n) return null;
    found = n;
  }
  return found;
}
