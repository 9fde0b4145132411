/**
 * One HTTP/2 connection: pumps the sans-I/O core in `src/protocol/h2/`
 * over a {@linkcode NetworkStream}, many requests at once as streams.
 *
 * @module
 */

import { authority } from "../net/_authority.ts";
import type {
  ByteStream,
  ResponseExtensions,
  TraceCallback,
} from "../_types.ts";
import { abortError } from "../_abort.ts";
import { traced } from "../_trace.ts";
import {
  HTTPError,
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
} from "../errors.ts";
import { Headers } from "../models/headers.ts";
import type { Request } from "../models/request.ts";
import { Response } from "../models/response.ts";
import type { NetworkStream } from "../net/network.ts";
import { CompressionError } from "../protocol/hpack/compression_error.ts";
import { H2Connection } from "../protocol/h2/connection.ts";
import { ErrorCode, errorCodeName } from "../protocol/h2/error_codes.ts";
import { H2ConnectionError, H2StateError } from "../protocol/h2/errors.ts";
import type { H2Event } from "../protocol/h2/events.ts";
import { CONNECTION_SPECIFIC_HEADERS } from "../protocol/h2/header_validation.ts";
import {
  type Connection,
  ConnectionNotAvailable,
  type Origin,
} from "./_interface.ts";

/** How much is asked of each network read. */
const READ_SIZE = 64 * 1024;

/** The most streams we open at once, whatever the server allows (our MAX_CONCURRENT_STREAMS). */
const LOCAL_MAX_STREAMS = 100;

/** The states of an {@linkcode HTTP2Connection}. */
export type HTTP2State = "NEW" | "ACTIVE" | "IDLE" | "CLOSED";

/** Options of {@linkcode HTTP2Connection}. */
export interface HTTP2ConnectionOptions {
  /** Seconds an idle connection stays reusable; `null`: no limit. */
  keepaliveExpiry?: number | null;
  /** The clock `hasExpired(now)` is compared with, in seconds (`performance.now() / 1000`). */
  now?: () => number;
  /** Extra connection window announced at start (2^24, as httpcore). */
  connectionWindowIncrement?: number;
  /**
   * Extra window announced for each stream (2^24, as httpcore). Received
   * data is acknowledged as the response body is read, so this bounds how
   * much a stream buffers before the server must wait.
   */
  streamWindowIncrement?: number;
  /** The id of the first stream (odd; default 1). Tests reach id exhaustion with it. */
  firstStreamId?: number;
}

const defaultNow = (): number => performance.now() / 1000;

/** Writes gathered in one event-loop turn, sent together. */
interface Batch {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
  cancel: () => void;
  writeTimeout: number | null;
}

const RESOLVED: Promise<void> = Promise.resolve();

type Immediate = (fn: () => void) => unknown;
const immediates = globalThis as {
  setImmediate?: Immediate;
  clearImmediate?: (handle: unknown) => void;
};

/**
 * Run `fn` once the current event-loop turn's tasks are done: with
 * `setImmediate` where the runtime has it (Deno 2, Node, Bun: a few µs),
 * else `setTimeout(0)`. Returns a cancel function.
 */
function atEndOfTurn(fn: () => void): () => void {
  const set = immediates.setImmediate;
  const clear = immediates.clearImmediate;
  if (set !== undefined && clear !== undefined) {
    const handle = set(fn);
    return () => clear(handle);
  }
  const timer = setTimeout(fn, 0);
  return () => clearTimeout(timer);
}

/** What a response body reads from its connection. */
interface BodySource {
  /** The stream id. */
  id: number;
  /** Whether the stream had already ended when the head arrived. */
  endedAtHead: boolean;
  /** The next event of the stream. */
  next(): Promise<H2Event>;
  /** Give window back for `length` octets read. */
  acknowledge(length: number): Promise<void>;
  /** Mark the peer's side as ended. */
  ended(): void;
  /** The consumer is done: reset if unfinished, free the slot. */
  release(): void;
}

/** A wait with a read timeout. */
interface TimedWait {
  /** `performance.now()` milliseconds at which it fails. */
  deadline: number;
  /** Fail it with `ReadTimeout`. */
  expire: () => void;
  /** Resume it (it then meets the connection's failure). */
  resume: () => void;
}

/** Per-request bookkeeping: the events of its stream, in order. */
interface Slot {
  id: number;
  events: H2Event[];
  error: unknown;
  /** The peer ended its side (StreamEnded seen by the consumer). */
  ended: boolean;
  /** The consumer is done with the stream. */
  released: boolean;
  /** Resumes the one task waiting on this stream (events, window, failure). */
  wake: (() => void) | null;
  /** The request's trace hook. */
  trace: TraceCallback | undefined;
  /** The request. */
  request: Request;
}

/**
 * An HTTP/2 connection over an open {@linkcode NetworkStream} (TLS with
 * ALPN `h2`, or prior-knowledge cleartext).
 *
 * The first request sends the connection preface. One background loop
 * reads from the network for all streams and queues each stream's events;
 * requests wait on their own queue with their own read timeout. Request
 * bodies wait for WINDOW_UPDATEs; response bodies are acknowledged as they
 * are read. Closing a response before its end sends RST_STREAM(CANCEL).
 * After GOAWAY, streams the server did not take raise
 * {@linkcode ConnectionNotAvailable} (the pool retries them elsewhere).
 *
 * `isAvailable()` is false while as many requests are in flight as the
 * server's MAX_CONCURRENT_STREAMS allows (at most 100; 100 until its
 * SETTINGS arrive), so the pool queues or opens another connection.
 * Writes are batched: everything queued in one event-loop turn goes out in
 * one write.
 *
 * Response extensions: `httpVersion` (`"HTTP/2"`), `streamId`,
 * `networkStream`, and, once the body was read to the end, `trailers`: a
 * {@linkcode Headers} of the trailer fields when the server sent any.
 */
export class HTTP2Connection implements Connection {
  /** The origin this connection serves. */
  readonly origin: Origin;
  /** Always `"HTTP/2"`. */
  readonly httpVersion: string = "HTTP/2";
  #stream: NetworkStream;
  #keepaliveExpiry: number | null;
  #now: () => number;
  #connectionWindowIncrement: number;
  #streamWindowIncrement: number;
  #h2: H2Connection;
  #state: HTTP2State = "NEW";
  #requestCount = 0;
  #expiresAt: number | null = null;
  #initialized: Promise<void> | null = null;
  #readerStarted = false;
  #slots = new Map<number, Slot>();
  /** Requests in `handleRequest` or with an open response. */
  #inFlight = 0;
  /** Requests holding a stream permit (bounded by the concurrency limit). */
  #activeStreams = 0;
  #slotWaiters: Array<() => void> = [];
  #writeChain: Promise<void> = RESOLVED;
  /** Flushes waiting for the end of this turn's batch. */
  #batch: Batch | null = null;
  #timedWaits = new Set<TimedWait>();
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timerAt = Infinity;
  /** The trace hook of the request that opened the connection. */
  #initTrace: TraceCallback | undefined;
  #initRequest: Request | null = null;
  /** Set once the connection cannot carry anything more. */
  #failure: unknown = null;
  #goawayLastStreamId: number | null = null;

  /**
   * Wrap an open stream; no I/O happens until the first request.
   *
   * @param origin The origin the stream is connected to.
   * @param stream The open stream.
   * @param options Keep-alive expiry, clock and window sizes.
   */
  constructor(
    origin: Origin,
    stream: NetworkStream,
    options: HTTP2ConnectionOptions = {},
  ) {
    this.origin = origin;
    this.#stream = stream;
    this.#keepaliveExpiry = options.keepaliveExpiry ?? null;
    this.#now = options.now ?? defaultNow;
    this.#connectionWindowIncrement = options.connectionWindowIncrement ??
      2 ** 24;
    this.#streamWindowIncrement = options.streamWindowIncrement ?? 2 ** 24;
    this.#h2 = new H2Connection({ firstStreamId: options.firstStreamId });
  }

  /** The current state. */
  get state(): HTTP2State {
    return this.#state;
  }

  /** How many requests were sent on this connection. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /** The underlying stream. */
  get stream(): NetworkStream {
    return this.#stream;
  }

  /** How many streams may be open at once now. */
  get maxConcurrentStreams(): number {
    if (!this.#h2.remoteSettingsReceived) return 1;
    return Math.max(
      1,
      Math.min(LOCAL_MAX_STREAMS, this.#h2.remoteMaxConcurrentStreams),
    );
  }

  /**
   * Send `request` on a new stream and return the response once its head
   * arrived; the body streams as it is read.
   *
   * @throws {ConnectionNotAvailable} When the connection cannot take a new
   * stream, or the server's GOAWAY left this one unprocessed.
   */
  async handleRequest(request: Request): Promise<Response> {
    if (!this.isAvailable()) throw new ConnectionNotAvailable();
    const extensions = request.extensions;
    const signal = extensions.signal;
    if (signal?.aborted) throw abortError(signal);
    const trace = extensions.trace;
    const readTimeout = extensions.timeout?.read ?? null;
    const writeTimeout = extensions.timeout?.write ?? null;

    this.#state = "ACTIVE";
    this.#requestCount++;
    this.#expiresAt = null;
    this.#inFlight++;
    let permit = false;
    let bodyStarted = false;
    let slot: Slot | null = null;
    let removeAbortListener: (() => void) | null = null;
    try {
      const headers = requestHeaders(request);
      const endStream = !headers.hasBody;
      if (this.#initialized === null) {
        this.#initTrace = trace;
        this.#initRequest = request;
        this.#initialized = traced(
          trace,
          "http2.send_connection_init",
          { request },
          () => this.#sendConnectionInit(writeTimeout),
        );
      }
      await this.#initialized;
      await this.#acquireStream(signal);
      permit = true;
      this.#throwIfFailed();
      if (this.#goawayLastStreamId !== null) {
        throw new ConnectionNotAvailable("The server sent GOAWAY");
      }

      let id: number;
      try {
        id = this.#h2.sendHeaders(undefined, headers.list, endStream);
      } catch (error) {
        if (error instanceof CompressionError) {
          throw new LocalProtocolError(error.message, { cause: error });
        }
        if (error instanceof H2StateError) {
          throw new ConnectionNotAvailable(error.message, { cause: error });
        }
        throw error;
      }
      slot = {
        id,
        events: [],
        error: null,
        ended: false,
        released: false,
        wake: null,
        trace,
        request,
      };
      this.#slots.set(id, slot);
      if (this.#streamWindowIncrement > 0) {
        this.#h2.incrementFlowControlWindow(this.#streamWindowIncrement, id);
      }
      if (signal !== undefined) {
        const aborted = slot;
        const onAbort = (): void => {
          aborted.error ??= abortError(signal);
          this.#cancelStream(aborted);
          wakeSlot(aborted);
        };
        signal.addEventListener("abort", onAbort, { once: true });
        removeAbortListener = () =>
          signal.removeEventListener("abort", onAbort);
      }

      const info = { request, stream_id: id };
      await traced(
        trace,
        "http2.send_request_headers",
        info,
        () => this.#flush(writeTimeout),
      );
      this.#startReader();
      if (!endStream) {
        const sending = slot;
        bodyStarted = true;
        await traced(
          trace,
          "http2.send_request_body",
          info,
          () => this.#sendBody(sending, request, readTimeout, writeTimeout),
        );
      }
      const receiving = slot;
      const head = await traced(
        trace,
        "http2.receive_response_headers",
        info,
        () => this.#receiveHead(receiving, readTimeout),
      );
      const owned = slot;
      const source: BodySource = {
        id,
        endedAtHead: owned.ended,
        next: () => this.#nextEvent(owned, readTimeout),
        acknowledge: (length) => this.#acknowledge(owned, length, writeTimeout),
        ended: () => {
          owned.ended = true;
        },
        release: () => this.#releaseStream(owned),
      };
      const responseExtensions: ResponseExtensions = {
        httpVersion: "HTTP/2",
        streamId: id,
        networkStream: this.#stream,
      };
      const body = new HTTP2BodyStream(
        source,
        request,
        removeAbortListener,
        responseExtensions,
      );
      removeAbortListener = null;
      return new Response(head.status, {
        headers: head.headers,
        stream: body,
        extensions: responseExtensions,
      });
    } catch (error) {
      removeAbortListener?.();
      if (slot !== null) {
        this.#releaseStream(slot);
      } else {
        this.#releaseSlotCount(permit);
        this.#afterRelease();
      }
      if (signal?.aborted) throw abortError(signal);
      if (
        error instanceof ConnectionNotAvailable && bodyStarted &&
        (request.stream as { replayable?: unknown }).replayable !== true
      ) {
        // The body cannot be sent again on another connection.
        throw new RemoteProtocolError(
          "The server did not process this request (GOAWAY) and its body cannot be replayed",
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** Close the connection and its stream at once; idempotent. */
  close(): void {
    if (this.#state === "CLOSED") return;
    this.#state = "CLOSED";
    this.#expiresAt = null;
    this.#failure ??= new ReadError("Connection closed");
    this.#h2.closeConnection();
    const batch = this.#batch;
    if (batch !== null) {
      this.#batch = null;
      batch.cancel();
      batch.resolve();
    }
    this.#stream.close();
    const waiters = this.#slotWaiters;
    this.#slotWaiters = [];
    for (const wake of waiters) wake();
    this.#wakeAll();
    // Waits of streams no longer tracked (a body closed while being read).
    for (const timed of [...this.#timedWaits]) timed.resume();
    this.#disarm();
  }

  /** Whether this connection serves `origin`. */
  canHandleRequest(origin: Origin): boolean {
    return origin.scheme === this.origin.scheme &&
      origin.host === this.origin.host && origin.port === this.origin.port;
  }

  /**
   * Whether a new request could be sent: open, no failure, no GOAWAY and
   * stream ids left (however many streams are active: extra requests wait
   * for a stream slot).
   */
  isAvailable(): boolean {
    return this.#state !== "CLOSED" && this.#failure === null &&
      this.#goawayLastStreamId === null && this.#h2.state !== "closed" &&
      this.#h2.state !== "closing" && this.#h2.nextStreamId !== null &&
      this.#inFlight < this.#capacity();
  }

  /**
   * How many requests may be in flight: the server's limit once its
   * SETTINGS arrived, else our own (requests beyond the server's first
   * limit then go back to the pool).
   */
  #capacity(): number {
    return this.#h2.remoteSettingsReceived
      ? this.maxConcurrentStreams
      : LOCAL_MAX_STREAMS;
  }

  /**
   * Whether the keep-alive deadline passed, or the connection is closed or
   * failed.
   *
   * @param now Seconds on the connection's clock.
   */
  hasExpired(now: number): boolean {
    if (this.#state === "CLOSED" || this.#failure !== null) return true;
    return this.#state === "IDLE" && this.#expiresAt !== null &&
      now > this.#expiresAt;
  }

  /** Whether no stream is in flight. */
  isIdle(): boolean {
    return this.#state === "IDLE";
  }

  /** Whether the connection is closed. */
  isClosed(): boolean {
    return this.#state === "CLOSED";
  }

  /** `'https://example.org:443', HTTP/2, IDLE, Request Count: 1`. */
  info(): string {
    const o = this.origin;
    return `'${o.scheme}://${
      authority(o.host, o.port)
    }', HTTP/2, ${this.#state}, Request Count: ${this.#requestCount}`;
  }

  /** `<HTTP2Connection [...info]>`. */
  toString(): string {
    return `<HTTP2Connection [${this.info()}]>`;
  }

  // ---- internals ----

  /** The next event of a stream's queue (waiting for the reader). */
  async #nextEvent(slot: Slot, readTimeout: number | null): Promise<H2Event> {
    for (;;) {
      if (slot.error !== null) throw slot.error;
      const event = slot.events.shift();
      if (event !== undefined) return event;
      if (this.#failure !== null) throw this.#failure;
      await this.#wait(slot, readTimeout);
    }
  }

  /** Give window back for data the consumer read. */
  async #acknowledge(
    slot: Slot,
    length: number,
    writeTimeout: number | null,
  ): Promise<void> {
    if (this.#failure !== null || slot.released) return;
    this.#h2.acknowledgeReceivedData(slot.id, length);
    await this.#flush(writeTimeout);
  }

  /** The consumer is done with a stream: reset it if unfinished, free its slot. */
  #releaseStream(slot: Slot): void {
    if (slot.released) return;
    slot.released = true;
    // Data never read still holds connection window: give it back.
    if (this.#failure === null) {
      for (const event of slot.events) {
        if (event.type === "DataReceived") {
          this.#h2.acknowledgeReceivedData(slot.id, event.flowControlledLength);
        }
      }
    }
    slot.events = [];
    if (!slot.ended) this.#cancelStream(slot);
    else this.#flush(null).catch(() => {});
    this.#slots.delete(slot.id);
    this.#releaseSlotCount(true);
    this.#afterRelease();
  }

  async #sendConnectionInit(writeTimeout: number | null): Promise<void> {
    this.#h2.initiate();
    if (this.#connectionWindowIncrement > 0) {
      this.#h2.incrementFlowControlWindow(this.#connectionWindowIncrement);
    }
    await this.#flush(writeTimeout);
  }

  async #acquireStream(signal: AbortSignal | undefined): Promise<void> {
    // No timeout applies here (as httpcore): woken by a released stream,
    // new remote settings, a failure or the request's signal.
    while (this.#activeStreams >= this.maxConcurrentStreams) {
      this.#throwIfFailed();
      if (signal?.aborted) throw abortError(signal);
      if (
        this.#goawayLastStreamId !== null ||
        (this.#h2.remoteSettingsReceived && this.#inFlight > this.#capacity())
      ) {
        // More requests came in before the server's SETTINGS than it
        // allows: let the pool place this one (another connection, or wait
        // under the pool timeout).
        throw new ConnectionNotAvailable(
          "The connection has no stream free for this request",
        );
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        this.#slotWaiters.push(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
    }
    this.#activeStreams++;
  }

  #releaseSlotCount(permit: boolean): void {
    this.#inFlight--;
    if (permit) this.#activeStreams--;
    const waiters = this.#slotWaiters;
    this.#slotWaiters = [];
    for (const wake of waiters) wake();
  }

  #afterRelease(): void {
    if (this.#inFlight > 0 || this.#state === "CLOSED") return;
    if (
      this.#failure !== null || this.#goawayLastStreamId !== null ||
      this.#h2.nextStreamId === null
    ) {
      // Failed, told to go away, or out of stream ids: retire it.
      this.close();
      return;
    }
    this.#state = "IDLE";
    this.#expiresAt = this.#keepaliveExpiry === null
      ? null
      : this.#now() + this.#keepaliveExpiry;
  }

  #cancelStream(slot: Slot): void {
    if (this.#failure !== null) return;
    const state = this.#h2.streamState(slot.id);
    if (state === "closed" || state === "idle") return;
    this.#h2.resetStream(slot.id, ErrorCode.CANCEL);
    this.#flush(null).catch(() => {});
  }

  #throwIfFailed(): void {
    if (this.#failure !== null) throw this.#failure;
  }

  async #sendBody(
    slot: Slot,
    request: Request,
    readTimeout: number | null,
    writeTimeout: number | null,
  ): Promise<void> {
    const h2 = this.#h2;
    for await (const chunk of request.stream) {
      let offset = 0;
      while (offset < chunk.length) {
        if (slot.error !== null) throw slot.error;
        this.#throwIfFailed();
        const state = h2.streamState(slot.id);
        // The server answered or reset early: stop sending, read the response.
        if (state !== "open" && state !== "half_closed_remote") return;
        if (h2.availableWindow(slot.id) === 0) {
          await this.#wait(slot, readTimeout);
          continue;
        }
        offset += h2.sendData(slot.id, chunk.subarray(offset));
        await this.#flush(writeTimeout, false);
      }
    }
    const state = h2.streamState(slot.id);
    if (state === "open" || state === "half_closed_remote") {
      h2.endStream(slot.id);
      await this.#flush(writeTimeout);
    }
  }

  async #receiveHead(
    slot: Slot,
    readTimeout: number | null,
  ): Promise<{ status: number; headers: Array<[string, string]> }> {
    for (;;) {
      const event = await this.#nextEvent(slot, readTimeout);
      if (event.type === "ResponseReceived") {
        let status = 0;
        const headers: Array<[string, string]> = [];
        for (const [name, value] of event.headers) {
          if (name === ":status") status = Number(value);
          else if (name.charCodeAt(0) !== 0x3a) headers.push([name, value]);
        }
        if (event.streamEnded) {
          // The StreamEnded event follows in the queue.
          const next = slot.events[0];
          if (next?.type === "StreamEnded") {
            slot.events.shift();
            slot.ended = true;
          }
        }
        return { status, headers };
      }
      if (event.type === "StreamReset") throw streamResetError(event);
      // 1xx heads are skipped; nothing else can come before the head.
    }
  }

  /**
   * Write everything the core queued. Flushes join one batch written when
   * the event-loop turn's tasks are done, so the requests one read woke go
   * out in one write. `batch: false` writes at once (request bodies, which
   * wait for this write before queuing more).
   */
  #flush(writeTimeout: number | null, batch = true): Promise<void> {
    if (this.#state === "CLOSED") return RESOLVED;
    if (!batch) return this.#write(writeTimeout);
    let pending = this.#batch;
    if (pending === null) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const cancel = atEndOfTurn(() => {
        if (this.#batch !== pending) return;
        this.#batch = null;
        this.#write(pending!.writeTimeout).then(resolve, reject);
      });
      pending = { promise, resolve, reject, cancel, writeTimeout };
      this.#batch = pending;
    } else if (
      writeTimeout !== null &&
      (pending.writeTimeout === null || writeTimeout < pending.writeTimeout)
    ) {
      pending.writeTimeout = writeTimeout;
    }
    return pending.promise;
  }

  /** Serialised writes: each takes everything queued when its turn comes. */
  #write(writeTimeout: number | null): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#state === "CLOSED") return;
      const data = this.#h2.dataToSend();
      if (data.length === 0) return;
      try {
        await this.#stream.write(data, writeTimeout);
      } catch (error) {
        this.#fail(error);
        throw error;
      }
    };
    const next = this.#writeChain.then(run, run);
    this.#writeChain = next.catch(() => {});
    return next;
  }

  #startReader(): void {
    if (this.#readerStarted) return;
    this.#readerStarted = true;
    this.#readLoop().catch(() => {});
  }

  async #readLoop(): Promise<void> {
    for (;;) {
      if (this.#state === "CLOSED") return;
      let bytes: Uint8Array | null;
      try {
        bytes = await this.#stream.read(READ_SIZE, null);
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (bytes === null) {
        this.#fail(new RemoteProtocolError("Server disconnected"));
        return;
      }
      let events: H2Event[];
      try {
        events = this.#h2.receiveData(bytes);
      } catch (error) {
        const mapped = error instanceof H2ConnectionError
          ? new RemoteProtocolError(error.message, { cause: error })
          : error;
        // Send the GOAWAY the core queued, then stop.
        await this.#write(null).catch(() => {});
        this.#fail(mapped);
        return;
      }
      for (const event of events) this.#dispatch(event);
      // ACKs the core queued (SETTINGS, PING) go out with this turn's
      // batch; a failed write fails the connection (and the next read).
      this.#flush(null).catch(() => {});
    }
  }

  #dispatch(event: H2Event): void {
    switch (event.type) {
      case "ResponseReceived":
      case "InformationalResponseReceived":
      case "DataReceived":
      case "TrailersReceived":
      case "StreamEnded":
      case "StreamReset": {
        const slot = this.#slots.get(event.streamId);
        if (slot === undefined) {
          // A stream nobody reads any more: return its window at once.
          if (event.type === "DataReceived") {
            this.#h2.acknowledgeReceivedData(
              event.streamId,
              event.flowControlledLength,
            );
          }
          return;
        }
        slot.events.push(event);
        wakeSlot(slot);
        return;
      }
      case "WindowUpdated":
        // Request bodies waiting for window (any, for the connection's).
        if (event.streamId === 0) this.#wakeAll();
        else {
          const slot = this.#slots.get(event.streamId);
          if (slot !== undefined) wakeSlot(slot);
        }
        return;
      case "RemoteSettingsChanged": {
        this.#traceRemoteSettings(event.changed);
        const waiters = this.#slotWaiters;
        this.#slotWaiters = [];
        for (const wake of waiters) wake();
        // An INITIAL_WINDOW_SIZE change can open stream windows.
        this.#wakeAll();
        return;
      }
      case "ConnectionTerminated": {
        this.#goawayLastStreamId = event.lastStreamId;
        for (const slot of this.#slots.values()) {
          if (slot.id > event.lastStreamId) {
            slot.error ??= new ConnectionNotAvailable(
              "The server did not process this request (GOAWAY)",
            );
          } else if (event.errorCode !== ErrorCode.NO_ERROR) {
            slot.error ??= new RemoteProtocolError(
              `Server sent GOAWAY (${errorCodeName(event.errorCode)})`,
            );
          }
        }
        const waiters = this.#slotWaiters;
        this.#slotWaiters = [];
        for (const wake of waiters) wake();
        this.#wakeAll();
        if (this.#inFlight === 0) this.close();
        return;
      }
      default:
        return;
    }
  }

  #fail(error: unknown): void {
    if (this.#failure === null) {
      this.#failure = error instanceof HTTPError
        ? error
        : new ReadError(String(error), { cause: error });
    }
    if (this.#inFlight === 0) this.close();
    const waiters = this.#slotWaiters;
    this.#slotWaiters = [];
    for (const wake of waiters) wake();
    this.#wakeAll();
  }

  /** Resume every task waiting on a stream. */
  #wakeAll(): void {
    for (const slot of this.#slots.values()) wakeSlot(slot);
  }

  /** Until something happens to `slot`'s stream (or `ReadTimeout`). */
  #wait(slot: Slot, timeout: number | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (timeout === null) {
        slot.wake = resolve;
        return;
      }
      // One timer per connection serves every timed wait: it is armed for
      // the earliest deadline and only disarmed when no wait is left.
      const wake = (): void => {
        this.#timedWaits.delete(timed);
        if (this.#timedWaits.size === 0) this.#disarm();
        resolve();
      };
      const timed: TimedWait = {
        deadline: performance.now() + timeout * 1000,
        expire: () => {
          if (slot.wake === wake) slot.wake = null;
          reject(new ReadTimeout(`Timed out after ${timeout} seconds`));
        },
        resume: () => {
          if (slot.wake === wake) slot.wake = null;
          wake();
        },
      };
      this.#timedWaits.add(timed);
      slot.wake = wake;
      if (timed.deadline < this.#timerAt) this.#arm(timed.deadline);
    });
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(
      () => this.#expireWaits(),
      Math.max(0, deadline - performance.now()),
    );
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  /** The timer fired: fail the waits whose deadline passed, re-arm for the rest. */
  #expireWaits(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const timed of [...this.#timedWaits]) {
      if (timed.deadline <= now) {
        this.#timedWaits.delete(timed);
        timed.expire();
      } else if (timed.deadline < next) {
        next = timed.deadline;
      }
    }
    if (next !== Infinity) this.#arm(next);
  }

  /** `http2.receive_remote_settings`, on the trace of a request in flight. */
  #traceRemoteSettings(changed: unknown): void {
    let trace = this.#initTrace;
    let request = this.#initRequest;
    for (const slot of this.#slots.values()) {
      if (slot.trace !== undefined) {
        trace = slot.trace;
        request = slot.request;
        break;
      }
    }
    if (trace === undefined) return;
    const report = async (): Promise<void> => {
      await trace("http2.receive_remote_settings.started", { request });
      await trace("http2.receive_remote_settings.complete", {
        return_value: changed,
      });
    };
    report().catch(() => {});
  }
}

/** Resume the task waiting on `slot`, if any. */
function wakeSlot(slot: Slot): void {
  const wake = slot.wake;
  if (wake === null) return;
  slot.wake = null;
  wake();
}

function streamResetError(
  event: { errorCode: number; remote: boolean; reason?: string },
): RemoteProtocolError {
  const code = errorCodeName(event.errorCode);
  return new RemoteProtocolError(
    event.remote
      ? `Server reset the stream (${code})`
      : `${event.reason ?? "Invalid response"}`,
  );
}

/** The body of one HTTP/2 response, read from its stream's queue. */
class HTTP2BodyStream implements ByteStream, AsyncIterator<Uint8Array> {
  #source: BodySource;
  #request: Request;
  #removeAbortListener: (() => void) | null;
  #trace: TraceCallback | undefined;
  #extensions: ResponseExtensions;
  #started = false;
  #done: boolean;
  #closed = false;

  constructor(
    source: BodySource,
    request: Request,
    removeAbortListener: (() => void) | null,
    extensions: ResponseExtensions,
  ) {
    this.#source = source;
    this.#request = request;
    this.#removeAbortListener = removeAbortListener;
    this.#extensions = extensions;
    this.#trace = request.extensions.trace;
    this.#done = source.endedAtHead;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#closed) return { done: true, value: undefined };
    const trace = this.#trace;
    const source = this.#source;
    if (!this.#started) {
      this.#started = true;
      if (trace !== undefined) {
        await trace("http2.receive_response_body.started", {
          request: this.#request,
          stream_id: source.id,
        });
      }
    }
    try {
      while (!this.#done) {
        const event = await source.next();
        if (event.type === "DataReceived") {
          await source.acknowledge(event.flowControlledLength);
          if (event.data.length > 0) return { done: false, value: event.data };
        } else if (event.type === "StreamEnded") {
          source.ended();
          this.#done = true;
        } else if (event.type === "StreamReset") {
          source.ended();
          throw streamResetError(event);
        } else if (event.type === "TrailersReceived") {
          // Exposed once the body is read: `response.extensions.trailers`.
          this.#extensions.trailers = new Headers(
            event.headers.map(([name, value]): [string, string] => [
              name,
              value,
            ]),
          );
        }
      }
    } catch (error) {
      this.#done = true;
      if (trace !== undefined) {
        await trace("http2.receive_response_body.failed", { exception: error });
      }
      await this.close();
      throw error;
    }
    if (trace !== undefined) {
      await trace("http2.receive_response_body.complete", {
        return_value: undefined,
      });
    }
    await this.close();
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#removeAbortListener?.();
    this.#removeAbortListener = null;
    const source = this.#source;
    await traced(
      this.#trace,
      "http2.response_closed",
      { stream_id: source.id },
      () => {
        source.release();
        return Promise.resolve();
      },
    );
  }
}

/** HTTP/2 request headers: pseudo-headers, then the rest lower-cased. */
function requestHeaders(
  request: Request,
): { list: Array<[string, string]>; hasBody: boolean } {
  const items = request.headers.wireItems();
  let authority: string | null = null;
  let hasBody = false;
  const rest: Array<[string, string]> = [];
  for (const [rawName, value] of items) {
    const name = rawName.toLowerCase();
    if (name === "host") {
      authority ??= value;
      continue;
    }
    if (name === "content-length" || name === "transfer-encoding") {
      hasBody = true;
    }
    if (CONNECTION_SPECIFIC_HEADERS.has(name)) continue;
    if (name === "te" && value.trim().toLowerCase() !== "trailers") continue;
    rest.push([name, value]);
  }
  if (authority === null) {
    const url = request.url;
    authority = url.port === null ? url.rawHost : `${url.rawHost}:${url.port}`;
  }
  const path = request.extensions.target ?? request.url.rawPath;
  return {
    list: [
      [":method", request.method],
      [":authority", authority],
      [":scheme", request.url.scheme],
      [":path", path === "" ? "/" : path],
      ...rest,
    ],
    hasBody,
  };
}
