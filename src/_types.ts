/**
 * Types shared by every layer: byte streams, extensions and trace hooks.
 *
 * @module
 */

/**
 * A body as a sequence of byte chunks, with an optional `close()` that
 * releases what produces it (a pooled connection, a file). Every layer that
 * passes bodies uses this one shape; web `ReadableStream`s are adapted only at
 * the edges where a user asks for one. Exported from `mod.ts` as
 * `AsyncByteStream`.
 *
 * @example A response body from an async generator
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * let closed = false;
 * const stream: httpx.AsyncByteStream = {
 *   async *[Symbol.asyncIterator]() {
 *     yield new TextEncoder().encode("hello ");
 *     yield new TextEncoder().encode("world");
 *   },
 *   close() {
 *     closed = true;
 *   },
 * };
 * const response = new httpx.Response(200, { stream });
 * await response.read();
 * console.assert(response.text === "hello world" && closed);
 * ```
 */
export interface ByteStream extends AsyncIterable<Uint8Array> {
  /** Release the source. Safe to call more than once. */
  close?(): void | Promise<void>;
}

/**
 * A trace hook, called at the start, completion or failure of each step of
 * sending a request, with httpcore's event names
 * (`connection.connect_tcp.started`, `http11.send_request_headers.complete`, …).
 *
 * @example Watch a connection attempt fail
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const events: string[] = [];
 * const trace: httpx.TraceCallback = (event) => {
 *   events.push(event);
 * };
 * const backend: httpx.NetworkBackend = {
 *   connect: () =>
 *     Promise.reject(new httpx.ConnectError("Connection refused")),
 *   sleep: () => Promise.resolve(),
 * };
 * const transport = new httpx.HTTPTransport({ backend, trustEnv: false });
 * await using client = new httpx.Client({ transport });
 * await client.get("http://example.org/", { extensions: { trace } }).catch(
 *   () => {},
 * );
 * console.assert(events[0] === "connection.connect_tcp.started");
 * console.assert(events[1] === "connection.connect_tcp.failed");
 * ```
 */
export type TraceCallback = (
  event: string,
  info: Record<string, unknown>,
) => void | Promise<void>;

/**
 * Timeouts in seconds as transports receive them, in
 * `request.extensions.timeout`; `null` disables one.
 *
 * @example A per-request timeout, as the transport sees it
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) => {
 *   const timeout: httpx.TimeoutConfig | undefined =
 *     request.extensions.timeout;
 *   return new httpx.Response(200, { text: `read=${timeout?.read}` });
 * });
 * await using client = new httpx.Client({ transport });
 * const response = await client.get("https://example.org/", {
 *   timeout: { read: 60 },
 * });
 * console.assert(response.text === "read=60");
 * ```
 */
export interface TimeoutConfig {
  /** TCP connect and TLS handshake. */
  connect: number | null;
  /** Each read from the network, also between body chunks. */
  read: number | null;
  /** Each write to the network. */
  write: number | null;
  /** Waiting for a connection from the pool. */
  pool: number | null;
}

/**
 * What `request.extensions` may carry down to a transport.
 *
 * @example Send `OPTIONS *` with a tag of your own
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) => {
 *   const { target, tag } = request.extensions;
 *   return new httpx.Response(200, { text: `${target} ${tag}` });
 * });
 * await using client = new httpx.Client({ transport });
 * const extensions: httpx.RequestExtensions = { target: "*", tag: "probe" };
 * const response = await client.request("OPTIONS", "https://example.org/", {
 *   extensions,
 * });
 * console.assert(response.text === "* probe");
 * ```
 */
export interface RequestExtensions {
  /** Per-request timeouts, filled by the client from its `Timeout`. */
  timeout?: TimeoutConfig;
  /** Trace hook for the transport's events. */
  trace?: TraceCallback;
  /** TLS server name (and name to verify) instead of the URL's host. */
  sniHostname?: string;
  /** Raw request-target to send instead of the URL's path and query. */
  target?: string;
  /**
   * Cancels the request when aborted: the user's `signal`, the `total`
   * deadline, or both. The transport closes what it was using and raises
   * the error `abortReason()` gives.
   */
  signal?: AbortSignal;
  /** Anything else, passed through untouched. */
  [key: string]: unknown;
}

/**
 * What a transport reports in `response.extensions`.
 *
 * @example A mock HTTP/2 response
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const extensions: httpx.ResponseExtensions = {
 *   httpVersion: "HTTP/2",
 *   streamId: 1,
 * };
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(200, { extensions })
 * );
 * await using client = new httpx.Client({ transport });
 * const response = await client.get("https://example.org/");
 * console.assert(response.httpVersion === "HTTP/2");
 * console.assert(response.extensions.streamId === 1);
 * ```
 */
export interface ResponseExtensions {
  /** `"HTTP/1.1"`, `"HTTP/1.0"` or `"HTTP/2"`. */
  httpVersion?: string;
  /** The reason phrase exactly as received (HTTP/1.x only). */
  reasonPhrase?: string;
  /** The connection itself, after a 101 Switching Protocols or a CONNECT. */
  networkStream?: unknown;
  /** The HTTP/2 stream identifier. */
  streamId?: number;
  /** Anything else, passed through untouched. */
  [key: string]: unknown;
}
