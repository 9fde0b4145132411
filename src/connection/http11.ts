/**
 * One HTTP/1.1 connection: pumps the sans-I/O core in `src/protocol/h1/`
 * over a {@linkcode NetworkStream}, one request at a time.
 *
 * @module
 */

import type { ByteStream, TraceCallback } from "../_types.ts";
import { abortError } from "../_abort.ts";
import { traced } from "../_trace.ts";
import {
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  WriteError,
} from "../errors.ts";
import { BytesStream, concatBytes } from "../content/streams.ts";
import type { Request } from "../models/request.ts";
import { Response } from "../models/response.ts";
import type { NetworkStream, TlsOptions } from "../net/network.ts";
import {
  BodyEncoder,
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

type ReadOutcome =
  | { bytes: Uint8Array | null; error?: undefined }
  | { bytes?: undefined; error: unknown };

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
  // The background read started when the connection went idle.
  #pending: Promise<ReadOutcome> | null = null;
  #pendingOutcome: ReadOutcome | null = null;
  // Set when the request body could not be sent completely.
  #requestIncomplete = false;
  #removeAbortListener: (() => void) | null = null;
  // The connection's one timer, bounding the read carried over from idle.
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #pendingDeadline = Infinity;
  #pendingTimedOut = false;

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
  async handleRequest(request: Request): Promise<Response> {
    if (this.#state !== "NEW" && this.#state !== "IDLE") {
      throw new ConnectionNotAvailable();
    }
    const extensions = request.extensions;
    const signal = extensions.signal;
    if (signal?.aborted) throw abortError(signal);

    const method = request.method;
    const headers = request.headers.wireItems();
    const head = serializeRequestHead(
      method,
      extensions.target ?? request.url.rawPath,
      headers,
    );
    const framing = requestBodyFraming(headers);

    const reused = this.#requestCount > 0;
    this.#state = "ACTIVE";
    this.#requestCount++;
    this.#expiresAt = null;
    this.#requestIncomplete = false;
    this.#parser.startResponse(method, {
      requestKeepAlive: !hasConnectionClose(headers),
    });
    if (signal !== undefined) {
      const onAbort = (): void => this.close();
      signal.addEventListener("abort", onAbort, { once: true });
      this.#removeAbortListener = () =>
        signal.removeEventListener("abort", onAbort);
    }

    const timeout = extensions.timeout;
    const readTimeout = timeout?.read ?? null;
    const trace = extensions.trace;
    try {
      let writeError: WriteError | null = null;
      try {
        await this.#sendRequest(
          request,
          head,
          new BodyEncoder(framing),
          timeout?.write ?? null,
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
        responseHead = trace === undefined
          ? await this.#receiveHead(readTimeout)
          : await traced(
            trace,
            "http11.receive_response_headers",
            { request },
            () => this.#receiveHead(readTimeout),
          );
      } catch (error) {
        if (writeError !== null && !signal?.aborted) throw writeError;
        throw error;
      }

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
        extensionsOut.networkStream = new UpgradeStream(
          this.#stream,
          leftover,
          () => this.#responseClosed(),
        );
      }
      const source: BodySource = {
        read: () => this.#readBodyChunk(readTimeout),
        poll: () => this.#pollBodyChunk(),
        fail: (error) => {
          this.close();
          return this.#mapFailure(error, signal, false);
        },
        finished: () => this.#responseClosed(),
      };
      const body = new HTTP11BodyStream(
        source,
        request,
        this.#parser.bodyKind === "upgrade",
      );
      return new Response(responseHead.statusCode, {
        headers: responseHead.headers,
        stream: body,
        extensions: extensionsOut,
      });
    } catch (error) {
      this.close();
      throw this.#mapFailure(error, signal, reused);
    }
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
    this.#removeAbortListener?.();
    this.#removeAbortListener = null;
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
    const host = o.host.includes(":") ? `[${o.host}]` : o.host;
    return `'${o.scheme}://${host}:${o.port}', HTTP/1.1, ${this.#state}, Request Count: ${this.#requestCount}`;
  }

  /** `<HTTP11Connection [...info]>`. */
  toString(): string {
    return `<HTTP11Connection [${this.info()}]>`;
  }

  // ---- sending ----

  #sendRequest(
    request: Request,
    head: Uint8Array,
    encoder: BodyEncoder,
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
      let out: Uint8Array;
      try {
        const pieces = encoder.encode(source.bytes);
        out = concat(head, pieces, encoder.finish());
      } catch (error) {
        return Promise.reject(error);
      }
      return this.#stream.write(out, writeTimeout);
    }
    return this.#sendRequestSlow(request, head, encoder, writeTimeout, trace);
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
      for await (const chunk of source) {
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
    const bytes = await this.#read(readTimeout);
    if (bytes === null) this.#parser.feedEof();
    else this.#parser.feed(bytes);
  }

  #read(timeout: number | null): Promise<Uint8Array | null> {
    if (this.#pending === null) return this.#stream.read(READ_SIZE, timeout);
    return this.#readCarriedOver(timeout);
  }

  /** Carry on from the read started while idle. */
  async #readCarriedOver(timeout: number | null): Promise<Uint8Array | null> {
    const pending = this.#pending!;
    this.#pending = null;
    let outcome = this.#pendingOutcome;
    this.#pendingOutcome = null;
    if (outcome === null) {
      if (timeout === null) {
        outcome = await pending;
      } else {
        // One timer per connection, re-armed only when it fires early: no
        // timer is set or cleared per request.
        const deadline = performance.now() + timeout * 1000;
        this.#pendingDeadline = deadline;
        this.#armTimer(deadline);
        try {
          outcome = await pending;
        } finally {
          this.#pendingDeadline = Infinity;
        }
        if (this.#pendingTimedOut) {
          this.#pendingTimedOut = false;
          outcome = {
            error: new ReadTimeout(`Timed out after ${timeout} seconds`),
          };
        }
      }
    }
    if (outcome.error !== undefined) throw outcome.error;
    return outcome.bytes ?? null;
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
    this.#removeAbortListener?.();
    this.#removeAbortListener = null;
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

  /** Start the one background read that notices a server-side close. */
  #watchIdle(): void {
    const settle = (outcome: ReadOutcome): ReadOutcome => {
      if (this.#pending === pending) {
        this.#pendingOutcome = outcome;
        // End of input, an error or unexpected bytes while idle: the
        // connection cannot carry another request.
        if (this.#state === "IDLE") this.close();
      }
      return outcome;
    };
    const pending: Promise<ReadOutcome> = this.#stream.read(READ_SIZE, null)
      .then(
        (bytes) => settle({ bytes }),
        (error: unknown) => settle({ error }),
      );
    this.#pending = pending;
    this.#pendingOutcome = null;
  }

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

/** What a response body stream needs from its connection. */
interface BodySource {
  /** The next body chunk, or `null` at the end. */
  read(): Promise<Uint8Array | null>;
  /** The next chunk if buffered already, `null` at the end, `undefined` when I/O is needed. */
  poll(): Uint8Array | null | undefined;
  /** Close the connection after `error`; the error to raise. */
  fail(error: unknown): unknown;
  /** The body was read or closed: release or close the connection. */
  finished(): void;
}

/** The body of one response, streamed from the connection. */
class HTTP11BodyStream implements ByteStream, AsyncIterator<Uint8Array> {
  #source: BodySource;
  #request: Request;
  #trace: TraceCallback | undefined;
  #started = false;
  #done: boolean;
  #closed = false;

  constructor(source: BodySource, request: Request, empty: boolean) {
    this.#source = source;
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
      chunk = await this.#source.read();
    } catch (error) {
      this.#done = true;
      const mapped = this.#source.fail(error);
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
    const source = this.#source;
    let first: Uint8Array | null = null;
    let chunks: Uint8Array[] | null = null;
    let total = 0;
    for (;;) {
      let chunk: Uint8Array | null | undefined;
      try {
        chunk = source.poll();
        if (chunk === undefined) chunk = await source.read();
      } catch (error) {
        this.#done = true;
        const mapped = source.fail(error);
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

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    const source = this.#source;
    if (this.#trace === undefined) {
      try {
        source.finished();
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve();
    }
    return this.#closeTraced();
  }

  async #closeTraced(): Promise<void> {
    const source = this.#source;
    await traced(
      this.#trace,
      "http11.response_closed",
      { request: this.#request },
      () => {
        source.finished();
        return Promise.resolve();
      },
    );
  }
}

/**
 * The connection after 101 Switching Protocols or a CONNECT: the bytes that
 * arrived after the response head come first, then the socket's own.
 */
class UpgradeStream implements NetworkStream {
  #stream: NetworkStream;
  #leftover: Uint8Array;
  #onClose: () => void;

  constructor(
    stream: NetworkStream,
    leftover: Uint8Array,
    onClose: () => void,
  ) {
    this.#stream = stream;
    this.#leftover = leftover;
    this.#onClose = onClose;
  }

  get alpnProtocol(): string | null {
    return this.#stream.alpnProtocol;
  }

  get remoteAddr(): string | null {
    return this.#stream.remoteAddr;
  }

  get localAddr(): string | null {
    return this.#stream.localAddr;
  }

  get isClosed(): boolean {
    return this.#stream.isClosed;
  }

  read(maxBytes: number, timeout: number | null): Promise<Uint8Array | null> {
    const leftover = this.#leftover;
    if (leftover.length > 0) {
      const n = Math.max(1, Math.min(maxBytes, leftover.length));
      this.#leftover = leftover.subarray(n);
      return Promise.resolve(leftover.subarray(0, n));
    }
    return this.#stream.read(maxBytes, timeout);
  }

  write(data: Uint8Array, timeout: number | null): Promise<void> {
    return this.#stream.write(data, timeout);
  }

  close(): void {
    this.#stream.close();
    this.#onClose();
  }

  startTls(
    options: TlsOptions,
    timeout: number | null,
  ): Promise<NetworkStream> {
    if (this.#leftover.length > 0) {
      return Promise.reject(
        new LocalProtocolError(
          "Cannot start TLS: the server sent data before the handshake",
        ),
      );
    }
    return this.#stream.startTls(options, timeout);
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
