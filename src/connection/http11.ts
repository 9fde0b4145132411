/**
 * One HTTP/1.1 connection: pumps the sans-I/O core in `src/protocol/h1/`
 * over a {@linkcode NetworkStream}, one request at a time.
 *
 * @module
 */

import { PrefixedStream } from "../net/prefixed_stream.ts";
import { authority } from "../net/_authority.ts";
import type { ByteStream, TraceCallback } from "../_types.ts";
import { abortError } from "../_abort.ts";
import { traced } from "../_trace.ts";
import {
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  WriteError,
} from "../errors.ts";
import { BytesStream, concatBytes } from "../content/streams.ts";
import type { Request } from "../models/request.ts";
import { Headers } from "../models/headers.ts";
import { Response } from "../models/response.ts";
import type { NetworkStream } from "../net/network.ts";
import {
  BodyEncoder,
  type BodyFraming,
  requestBodyFraming,
} from "../protocol/h1/body_encoder.ts";
import { serializeRequestHead } from "../protocol/h1/request_head.ts";
import {
  type HeadEvent,
  ResponseParser,
} from "../protocol/h1/response_parser.ts";
import {
  type Connection,
  ConnectionNotAvailable,
  type Origin,
} from "./_interface.ts";

/** How much is asked of each network read. */
const READ_SIZE = 64 * 1024;

/** Bodies up to this size go out in the same write as the head. */
const COALESCE_LIMIT = 64 * 1024;

/** The states of an {@linkcode HTTP11Connection}. */
export type HTTP11State = "NEW" | "ACTIVE" | "IDLE" | "CLOSED";

/** Options of {@linkcode HTTP11Connection}. */
export interface HTTP11ConnectionOptions {
  /** Seconds an idle connection stays reusable; `null`: no limit. */
  keepaliveExpiry?: number | null;
  /**
   * The clock `hasExpired(now)` is compared with, in seconds. Defaults to
   * `performance.now() / 1000`.
   */
  now?: () => number;
}

const failedEarly = new WeakSet<object>();

/**
 * Whether `error` came from a reused keep-alive connection before any byte
 * of the response arrived (the server had closed it, or reset it). An
 * idempotent request that failed this way can safely be sent again on a new
 * connection.
 *
 * @param error What `HTTP11Connection.handleRequest` threw.
 */
export function failedBeforeResponse(error: unknown): boolean {
  return typeof error === "object" && error !== null && failedEarly.has(error);
}

/** Bodies with at least this much still to come are read in bulk. */
const BULK_MIN = 128 * 1024;

/** Size of the buffer large bodies are read into (and of their reads). */
const BULK_READ_SIZE = 1024 * 1024;
/** Large bodies are handed on in pieces of at most this size (below the
 * allocator's mmap threshold, so freed pieces are reused, and RSS stays flat). */
const PIECE = 64 * 1024;

/** Chunks of a chunked request body up to about this size are framed in place. */
const BODY_SCRATCH_SIZE = 64 * 1024 + 32;

/** Size of the buffer each connection writes request heads from. */
const SCRATCH_SIZE = 4096;

/**
 * What a response body stream calls on its connection: the connection's
 * private methods, handed out once by a static block.
 */
interface BodyAccess {
  /** The next body chunk, or `null` at the end. */
  read(connection: HTTP11Connection): Promise<Uint8Array | null>;
  /** The next chunk if buffered already, `null` at the end, `undefined` when I/O is needed. */
  poll(connection: HTTP11Connection): Uint8Array | null | undefined;
  /** Whether the rest of the body is buffered (see `ResponseParser.bodyBuffered`). */
  buffered(connection: HTTP11Connection): boolean;
  /** Close the connection after `error`; the error to raise. */
  fail(connection: HTTP11Connection, error: unknown): unknown;
  /** The body was read or closed: release or close the connection. */
  finished(connection: HTTP11Connection): void;
}

let bodyAccess: BodyAccess;

const defaultNow = (): number => performance.now() / 1000;

/**
 * An HTTP/1.1 connection over an open {@linkcode NetworkStream}.
 *
 * States: `NEW` (no request yet), `ACTIVE` (a request in flight), `IDLE`
 * (kept alive, reusable), `CLOSED`. While idle, one background read waits
 * on the socket, so a server that closes the connection is noticed without
 * polling: the connection closes itself, and `isAvailable()` / `isClosed()`
 * say so at once. A reused connection carries on from that read, so no byte
 * is lost.
 */
export class HTTP11Connection implements Connection {
  /** The origin this connection serves. */
  readonly origin: Origin;
  /** Always `"HTTP/1.1"`. */
  readonly httpVersion: string = "HTTP/1.1";
  #stream: NetworkStream;
  #keepaliveExpiry: number | null;
  #now: () => number;
  #state: HTTP11State = "NEW";
  #requestCount = 0;
  #expiresAt: number | null = null;
  #parser = new ResponseParser();
  // The background read started when the connection went idle; the next
  // request carries on from it.
  #pending: Promise<Uint8Array | null> | null = null;
  // Set when the request body could not be sent completely.
  #requestIncomplete = false;
  // The current request's read timeout and signal (one request at a time).
  #readTimeout: number | null = null;
  #signal: AbortSignal | undefined;
  #abortListener: (() => void) | null = null;
  // The connection's one timer, bounding the read carried over from idle.
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #pendingDeadline = Infinity;
  #pendingTimeout = 0;
  #pendingTimedOut = false;
  // Reused for request heads (and small bodies) once each write is done.
  #scratch: Uint8Array | undefined;
  // Reused to frame the chunks of a chunked request body.
  #bodyScratch: Uint8Array | undefined;
  // Where large bodies are read into (allocated for the first one);
  // `#bulk[#bulkPos, #bulkEnd)` is read but not yet handed to the parser.
  #bulk: Uint8Array | undefined;
  #bulkPos = 0;
  #bulkEnd = 0;

  static {
    bodyAccess = {
      read: (c) => c.#readBodyChunk(c.#readTimeout),
      poll: (c) => c.#pollBodyChunk(),
      buffered: (c) => c.#parser.bodyBuffered,
      fail: (c, error) => {
        c.close();
        return c.#mapFailure(error, c.#signal, false);
      },
      finished: (c) => c.#responseClosed(),
    };
  }

  /**
   * Wrap an open stream; no I/O happens until the first request.
   *
   * @param origin The origin the stream is connected to.
   * @param stream The open stream (TCP or TLS).
   * @param options Keep-alive expiry and clock.
   */
  constructor(
    origin: Origin,
    stream: NetworkStream,
    options: HTTP11ConnectionOptions = {},
  ) {
    this.origin = origin;
    this.#stream = stream;
    this.#keepaliveExpiry = options.keepaliveExpiry ?? null;
    this.#now = options.now ?? defaultNow;
  }

  /** The current state. */
  get state(): HTTP11State {
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

  /**
   * Send `request` and return the response once its head arrived; the body
   * streams from the connection as it is read.
   *
   * @throws {ConnectionNotAvailable} When the connection is busy or closed
   * (the pool then picks another).
   * @throws {LocalProtocolError} For a request that cannot be sent (nothing
   * is sent, and the connection stays usable).
   */
  handleRequest(request: Request): Promise<Response> {
    // Everything before the first write, synchronously; then #exchange.
    if (this.#state !== "NEW" && this.#state !== "IDLE") {
      return Promise.reject(new ConnectionNotAvailable());
    }
    const extensions = request.extensions;
    const signal = extensions.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    let head: Uint8Array;
    let framing: BodyFraming;
    let headers: ReadonlyArray<readonly [string, string]>;
    const method = request.method;
    try {
      // Read here, before the first await, and never changed.
      headers = request.headers.wireView();
      const source = request.stream;
      // A small in-memory body goes out with the head, in one buffer.
      const reserve = extensions.trace === undefined &&
          source instanceof BytesStream &&
          source.bytes.length <= COALESCE_LIMIT
        ? source.bytes.length
        : 0;
      head = serializeRequestHead(
        method,
        extensions.target ?? request.url.rawPath,
        headers,
        this.#scratch ??= new Uint8Array(SCRATCH_SIZE),
        reserve,
      );
      framing = requestBodyFraming(headers);
    } catch (error) {
      return Promise.reject(error);
    }

    const reused = this.#requestCount > 0;
    this.#state = "ACTIVE";
    this.#requestCount++;
    this.#expiresAt = null;
    this.#requestIncomplete = false;
    this.#bulkPos = this.#bulkEnd = 0;
    this.#parser.startResponse(method, {
      requestKeepAlive: !hasConnectionClose(headers),
    });
    this.#signal = signal;
    if (signal !== undefined) {
      const onAbort = (): void => this.close();
      signal.addEventListener("abort", onAbort, { once: true });
      this.#abortListener = onAbort;
    }
    this.#readTimeout = extensions.timeout?.read ?? null;
    return this.#exchange(request, head, framing, reused);
  }

  /** Write the request and read the response head. */
  async #exchange(
    request: Request,
    head: Uint8Array,
    framing: BodyFraming,
    reused: boolean,
  ): Promise<Response> {
    const extensions = request.extensions;
    const signal = this.#signal;
    const trace = extensions.trace;
    const readTimeout = this.#readTimeout;
    try {
      let writeError: WriteError | null = null;
      try {
        await this.#sendRequest(
          request,
          head,
          framing,
          extensions.timeout?.write ?? null,
          trace,
        );
      } catch (error) {
        if (!(error instanceof WriteError) || signal?.aborted) throw error;
        // The server may have answered early (413, 401…): read that first.
        writeError = error;
        this.#requestIncomplete = true;
      }

      let responseHead: HeadEvent;
      try {
        if (trace === undefined) {
          // #receiveHead, without an async frame of its own.
          const parser = this.#parser;
          for (;;) {
            const event = parser.next();
            if (event.type === "head") {
              responseHead = event;
              break;
            }
            // (A signal's abort may have closed it meanwhile.)
            if ((this.#state as HTTP11State) === "CLOSED") {
              throw new ReadError("Connection closed");
            }
            const bytes = await this.#read(readTimeout);
            if (bytes === null) parser.feedEof();
            else parser.feed(bytes);
          }
        } else {
          responseHead = await traced(
            trace,
            "http11.receive_response_headers",
            { request },
            () => this.#receiveHead(readTimeout),
          );
        }
      } catch (error) {
        if (writeError !== null && !signal?.aborted) throw writeError;
        throw error;
      }

      return this.#responseFor(request, responseHead);
    } catch (error) {
      this.close();
      throw this.#mapFailure(error, signal, reused);
    }
  }

  /** The response for the head just read, its body streaming from here. */
  #responseFor(request: Request, responseHead: HeadEvent): Response {
    const extensionsOut: Record<string, unknown> = {
      httpVersion: responseHead.httpVersion,
      reasonPhrase: responseHead.reasonPhrase,
      networkStream: this.#stream,
    };
    if (this.#parser.bodyKind === "upgrade") {
      const event = this.#parser.next();
      const leftover = event.type === "upgraded"
        ? event.leftover
        : new Uint8Array(0);
      extensionsOut.networkStream = new PrefixedStream(
        this.#stream,
        leftover,
        () => this.#responseClosed(),
      );
    }
    const body = new HTTP11BodyStream(
      this,
      request,
      this.#parser.bodyKind === "upgrade",
    );
    return new Response(responseHead.statusCode, {
      headers: this.#parser.headIsAscii
        ? Headers.fromAscii(responseHead.headers)
        : responseHead.headers,
      stream: body,
      extensions: extensionsOut,
    });
  }

  /** Close the connection and its stream; idempotent. */
  close(): void {
    if (this.#state === "CLOSED") return;
    this.#state = "CLOSED";
    this.#expiresAt = null;
    this.#pendingDeadline = Infinity;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#removeAbortListener();
    // Settles a pending background read (its outcome is caught).
    this.#stream.close();
  }

  /** Whether this connection serves `origin`. */
  canHandleRequest(origin: Origin): boolean {
    return origin.scheme === this.origin.scheme &&
      origin.host === this.origin.host && origin.port === this.origin.port;
  }

  /** Whether a request could be sent now: idle and still open. */
  isAvailable(): boolean {
    return this.#state === "IDLE";
  }

  /**
   * Whether the keep-alive deadline passed, or the connection is closed
   * (the server closed it while idle, for one).
   *
   * @param now Seconds on the connection's clock (see
   * {@linkcode HTTP11ConnectionOptions.now}).
   */
  hasExpired(now: number): boolean {
    if (this.#state === "CLOSED") return true;
    return this.#expiresAt !== null && now > this.#expiresAt;
  }

  /** Whether no request is in flight and the connection is reusable. */
  isIdle(): boolean {
    return this.#state === "IDLE";
  }

  /** Whether the connection is closed. */
  isClosed(): boolean {
    return this.#state === "CLOSED";
  }

  /** `'http://example.org:80', HTTP/1.1, IDLE, Request Count: 1`. */
  info(): string {
    const o = this.origin;
    return `'${o.scheme}://${
      authority(o.host, o.port)
    }', HTTP/1.1, ${this.#state}, Request Count: ${this.#requestCount}`;
  }

  /** `<HTTP11Connection [...info]>`. */
  toString(): string {
    return `<HTTP11Connection [${this.info()}]>`;
  }

  // ---- sending ----

  #sendRequest(
    request: Request,
    head: Uint8Array,
    framing: BodyFraming,
    writeTimeout: number | null,
    trace: TraceCallback | undefined,
  ): Promise<void> {
    const source = request.stream;
    if (
      trace === undefined && source instanceof BytesStream &&
      source.bytes.length <= COALESCE_LIMIT
    ) {
      // The common case, without an async frame of its own: head and body
      // in one write, the length checked before anything goes out.
      const body = source.bytes;
      const size = body.length;
      if (
        framing.kind === "none"
          ? size === 0
          : framing.kind === "length" && framing.length === size
      ) {
        if (size === 0) return this.#stream.write(head, writeTimeout);
        const end = head.byteOffset + head.length;
        if (end + size <= head.buffer.byteLength) {
          // The head was written with room for the body after it.
          const out = new Uint8Array(
            head.buffer,
            head.byteOffset,
            head.length + size,
          );
          out.set(body, head.length);
          return this.#stream.write(out, writeTimeout);
        }
      }
      let out: Uint8Array;
      try {
        const encoder = new BodyEncoder(framing);
        const pieces = encoder.encode(body);
        out = concat(head, pieces, encoder.finish());
      } catch (error) {
        return Promise.reject(error);
      }
      return this.#stream.write(out, writeTimeout);
    }
    return this.#sendRequestSlow(
      request,
      head,
      new BodyEncoder(framing),
      writeTimeout,
      trace,
    );
  }

  async #sendRequestSlow(
    request: Request,
    head: Uint8Array,
    encoder: BodyEncoder,
    writeTimeout: number | null,
    trace: TraceCallback | undefined,
  ): Promise<void> {
    const stream = this.#stream;
    const source = request.stream;
    if (
      source instanceof BytesStream && source.bytes.length <= COALESCE_LIMIT
    ) {
      // Head and body in one write; length checked before anything goes out.
      const pieces = encoder.encode(source.bytes);
      const tail = encoder.finish();
      const out = concat(head, pieces, tail);
      if (trace === undefined) {
        await stream.write(out, writeTimeout);
        return;
      }
      await traced(
        trace,
        "http11.send_request_headers",
        { request },
        () => stream.write(out, writeTimeout),
      );
      await traced(
        trace,
        "http11.send_request_body",
        { request },
        () => Promise.resolve(),
      );
      return;
    }
    await traced(
      trace,
      "http11.send_request_headers",
      { request },
      () => stream.write(head, writeTimeout),
    );
    await traced(trace, "http11.send_request_body", { request }, async () => {
      // Chunked bodies are framed in one reused buffer (each write is done
      // before the next chunk goes in): one write per chunk, no garbage.
      for await (const chunk of source) {
        if (encoder.framing.kind === "chunked") {
          const framed = encoder.encodeInto(
            chunk,
            this.#bodyScratch ??= new Uint8Array(BODY_SCRATCH_SIZE),
          );
          if (framed !== null) {
            await stream.write(framed, writeTimeout);
            continue;
          }
        }
        for (const piece of encoder.encode(chunk)) {
          await stream.write(piece, writeTimeout);
        }
      }
      const tail = encoder.finish();
      if (tail !== null) await stream.write(tail, writeTimeout);
    });
  }

  // ---- receiving ----

  async #receiveHead(readTimeout: number | null): Promise<HeadEvent> {
    const parser = this.#parser;
    for (;;) {
      const event = parser.next();
      if (event.type === "head") return event;
      // Only `needData` can come before the head.
      if (this.#state === "CLOSED") {
        throw new ReadError("Connection closed");
      }
      const bytes = await this.#read(readTimeout);
      if (bytes === null) parser.feedEof();
      else parser.feed(bytes);
    }
  }

  /**
   * The next body chunk if it is already buffered: a chunk, `null` at the
   * end, or `undefined` when a read from the network is needed.
   */
  #pollBodyChunk(): Uint8Array | null | undefined {
    const event = this.#parser.next();
    if (event.type === "data") return event.chunk;
    if (event.type === "end" || event.type === "upgraded") return null;
    return undefined;
  }

  async #readBodyChunk(readTimeout: number | null): Promise<Uint8Array | null> {
    const parser = this.#parser;
    for (;;) {
      const event = parser.next();
      if (event.type === "data") return event.chunk;
      if (event.type === "end" || event.type === "upgraded") return null;
      await this.#fill(readTimeout);
    }
  }

  async #fill(readTimeout: number | null): Promise<void> {
    if (this.#state === "CLOSED") {
      throw new ReadError("Connection closed");
    }
    const stream = this.#stream;
    const remaining = this.#parser.bodyRemaining;
    if (this.#bulkPos < this.#bulkEnd) {
      // The rest of the last bulk read, a piece at a time: no I/O.
      const from = this.#bulkPos;
      const to = Math.min(this.#bulkEnd, from + PIECE);
      this.#bulkPos = to;
      this.#parser.feed(this.#bulk!.subarray(from, to));
      return;
    }
    if (
      remaining >= BULK_MIN && this.#pending === null &&
      stream.readInto !== undefined
    ) {
      // A large body: big reads into the connection's own buffer, kept
      // hot (no fresh pages to zero and fault in per read); the parser
      // copies it out, a piece at a time, for the caller to keep.
      const buffer = this.#bulk ??= new Uint8Array(BULK_READ_SIZE);
      const n = await stream.readInto(
        remaining < buffer.length ? buffer.subarray(0, remaining) : buffer,
        readTimeout,
      );
      if (n === null) this.#parser.feedEof();
      else {
        const to = Math.min(n, PIECE);
        this.#bulkPos = to;
        this.#bulkEnd = n;
        this.#parser.feed(buffer.subarray(0, to));
      }
      return;
    }
    const bytes = await this.#read(readTimeout);
    if (bytes === null) this.#parser.feedEof();
    else this.#parser.feed(bytes);
  }

  /** The next read: the one carried over from idle first, if any. */
  #read(timeout: number | null): Promise<Uint8Array | null> {
    const pending = this.#pending;
    if (pending === null) return this.#stream.read(READ_SIZE, timeout);
    this.#pending = null;
    if (timeout === null) return pending;
    // One timer per connection, re-armed only when it fires early: no
    // timer is set or cleared per request.
    const deadline = performance.now() + timeout * 1000;
    this.#pendingDeadline = deadline;
    this.#pendingTimeout = timeout;
    this.#armTimer(deadline);
    return pending.then(this.#carriedOver, this.#carriedOverFailed);
  }

  /** The read carried over from idle completed in time, or timed out. */
  #carriedOver = (bytes: Uint8Array | null): Uint8Array | null => {
    this.#pendingDeadline = Infinity;
    if (this.#pendingTimedOut) throw this.#carriedOverTimeout();
    return bytes;
  };

  #carriedOverFailed = (error: unknown): never => {
    this.#pendingDeadline = Infinity;
    if (this.#pendingTimedOut) throw this.#carriedOverTimeout();
    throw error;
  };

  #carriedOverTimeout(): ReadTimeout {
    this.#pendingTimedOut = false;
    return new ReadTimeout(`Timed out after ${this.#pendingTimeout} seconds`);
  }

  /** Make sure the connection's timer fires no later than `at`. */
  #armTimer(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    const timer = setTimeout(
      this.#onTimer,
      Math.max(0, at - performance.now()),
    );
    unrefTimer(timer);
    this.#timer = timer;
  }

  /**
   * The timer fired: when the read carried over from idle is past its
   * deadline, close the connection (which settles that read) and report a
   * timeout; otherwise re-arm for the current deadline, if any.
   */
  #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const deadline = this.#pendingDeadline;
    if (deadline === Infinity || this.#state === "CLOSED") return;
    if (deadline <= performance.now()) {
      this.#pendingTimedOut = true;
      this.close();
      return;
    }
    this.#armTimer(deadline);
  };

  /**
   * The response was read to the end, or closed early: keep the connection
   * for the next request when both sides allow it, else close it.
   */
  #responseClosed(): void {
    if (this.#state !== "ACTIVE") return;
    this.#removeAbortListener();
    const parser = this.#parser;
    if (!parser.keepAlive || this.#requestIncomplete) {
      this.close();
      return;
    }
    this.#state = "IDLE";
    this.#expiresAt = this.#keepaliveExpiry === null
      ? null
      : this.#now() + this.#keepaliveExpiry;
    this.#watchIdle();
  }

  #removeAbortListener(): void {
    const listener = this.#abortListener;
    if (listener === null) return;
    this.#abortListener = null;
    this.#signal?.removeEventListener("abort", listener);
  }

  /**
   * Start the one background read that notices a server-side close. The
   * next request awaits the same promise (its handlers, attached here,
   * run first).
   */
  #watchIdle(): void {
    const pending = this.#stream.read(READ_SIZE, null);
    pending.then(this.#settledWhileIdle, this.#settledWhileIdle);
    this.#pending = pending;
  }

  /**
   * The background read settled. While still idle, end of input, an error
   * or unexpected bytes mean the connection cannot carry another request;
   * once a request carries on from the read, the outcome is its own.
   */
  #settledWhileIdle = (): void => {
    if (this.#state === "IDLE") this.close();
  };

  #mapFailure(
    error: unknown,
    signal: AbortSignal | undefined,
    reused: boolean,
  ): unknown {
    if (signal?.aborted) return abortError(signal);
    if (
      reused && !this.#parser.receivedBytes &&
      (error instanceof ReadError || error instanceof WriteError ||
        error instanceof RemoteProtocolError)
    ) {
      failedEarly.add(error);
    }
    return error;
  }
}

/** The body of one response, streamed from the connection. */
class HTTP11BodyStream implements ByteStream, AsyncIterator<Uint8Array> {
  #connection: HTTP11Connection;
  #request: Request;
  #trace: TraceCallback | undefined;
  #started = false;
  #done: boolean;
  #closed = false;

  constructor(connection: HTTP11Connection, request: Request, empty: boolean) {
    this.#connection = connection;
    this.#request = request;
    this.#trace = request.extensions.trace;
    this.#done = empty;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#done || this.#closed) return { done: true, value: undefined };
    const trace = this.#trace;
    if (!this.#started) {
      this.#started = true;
      if (trace !== undefined) {
        await trace("http11.receive_response_body.started", {
          request: this.#request,
        });
      }
    }
    let chunk: Uint8Array | null;
    try {
      chunk = await bodyAccess.read(this.#connection);
    } catch (error) {
      this.#done = true;
      const mapped = bodyAccess.fail(this.#connection, error);
      if (trace !== undefined) {
        await trace("http11.receive_response_body.failed", {
          exception: mapped,
        });
      }
      await this.close();
      throw mapped;
    }
    if (chunk === null) {
      this.#done = true;
      if (trace !== undefined) {
        await trace("http11.receive_response_body.complete", {
          return_value: undefined,
        });
      }
      await this.close();
      return { done: true, value: undefined };
    }
    return { done: false, value: chunk };
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.close();
    return { done: true, value: undefined };
  }

  /**
   * The rest of the body in one array (what iterating to the end would
   * give, joined), with the same trace events, error mapping and release.
   * Chunks already buffered are taken without a round trip per chunk.
   */
  async readAll(): Promise<Uint8Array> {
    if (this.#done || this.#closed) return new Uint8Array(0);
    const trace = this.#trace;
    if (!this.#started) {
      this.#started = true;
      if (trace !== undefined) {
        await trace("http11.receive_response_body.started", {
          request: this.#request,
        });
      }
    }
    const connection = this.#connection;
    let first: Uint8Array | null = null;
    let chunks: Uint8Array[] | null = null;
    let total = 0;
    for (;;) {
      let chunk: Uint8Array | null | undefined;
      try {
        chunk = bodyAccess.poll(connection);
        if (chunk === undefined) chunk = await bodyAccess.read(connection);
      } catch (error) {
        this.#done = true;
        const mapped = bodyAccess.fail(connection, error);
        if (trace !== undefined) {
          await trace("http11.receive_response_body.failed", {
            exception: mapped,
          });
        }
        await this.close();
        throw mapped;
      }
      if (chunk === null) break;
      if (chunk.byteLength === 0) continue;
      total += chunk.byteLength;
      if (first === null) first = chunk;
      else (chunks ??= [first]).push(chunk);
    }
    this.#done = true;
    if (trace !== undefined) {
      await trace("http11.receive_response_body.complete", {
        return_value: undefined,
      });
    }
    await this.close();
    if (chunks !== null) return concatBytes(chunks, total);
    return first ?? new Uint8Array(0);
  }

  /**
   * The rest of the body, without I/O or a promise, when all of it is
   * buffered already (the usual small response, read with its head); the
   * body is then finished and released as by `readAll()`. `undefined`
   * (nothing done) otherwise, and when tracing.
   */
  takeBuffered(): Uint8Array | undefined {
    if (this.#done || this.#closed || this.#trace !== undefined) {
      return undefined;
    }
    const connection = this.#connection;
    if (!bodyAccess.buffered(connection)) return undefined;
    this.#started = true;
    let first: Uint8Array | null = null;
    let chunks: Uint8Array[] | null = null;
    let total = 0;
    for (;;) {
      // Buffered to the end: no `undefined` (I/O) comes before `null`.
      const chunk = bodyAccess.poll(connection);
      if (chunk === null || chunk === undefined) break;
      if (chunk.byteLength === 0) continue;
      total += chunk.byteLength;
      if (first === null) first = chunk;
      else (chunks ??= [first]).push(chunk);
    }
    this.#done = true;
    this.#closed = true;
    bodyAccess.finished(connection);
    if (chunks !== null) return concatBytes(chunks, total);
    return first ?? new Uint8Array(0);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#trace === undefined) {
      try {
        bodyAccess.finished(this.#connection);
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve();
    }
    return this.#closeTraced();
  }

  async #closeTraced(): Promise<void> {
    const connection = this.#connection;
    await traced(
      this.#trace,
      "http11.response_closed",
      { request: this.#request },
      () => {
        bodyAccess.finished(connection);
        return Promise.resolve();
      },
    );
  }
}

/** Whether the request's `Connection` header has the `close` token. */
function hasConnectionClose(
  headers: ReadonlyArray<readonly [string, string]>,
): boolean {
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    if (name.length !== 10 || name.toLowerCase() !== "connection") continue;
    for (const token of headers[i][1].split(",")) {
      if (token.trim().toLowerCase() === "close") return true;
    }
  }
  return false;
}

function concat(
  head: Uint8Array,
  pieces: Uint8Array[],
  tail: Uint8Array | null,
): Uint8Array {
  if (pieces.length === 0 && tail === null) return head;
  let total = head.length + (tail?.length ?? 0);
  for (const piece of pieces) total += piece.length;
  const out = new Uint8Array(total);
  out.set(head, 0);
  let offset = head.length;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  if (tail !== null) out.set(tail, offset);
  return out;
}

/** Let a timer not keep the process alive, where the runtime allows it. */
function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } })
    .Deno;
  if (typeof timer === "number" && deno?.unrefTimer !== undefined) {
    deno.unrefTimer(timer);
  }
}
