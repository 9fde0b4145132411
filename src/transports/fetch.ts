/**
 * {@linkcode FetchTransport}: send requests through the runtime's `fetch`.
 *
 * @module
 */

import type { ByteStream, TimeoutConfig } from "../_types.ts";
import { abortError } from "../_abort.ts";
import type { Limits } from "../config/limits.ts";
import { Proxy } from "../config/proxy.ts";
import { BytesStream, rechunk } from "../content/streams.ts";
import {
  ConnectError,
  ConnectTimeout,
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  StreamConsumed,
  StreamError,
  TransportError,
  UnsupportedProtocol,
} from "../errors.ts";
import type { Request } from "../models/request.ts";
import { Response } from "../models/response.ts";
import type { URL } from "../models/url.ts";
import { caCertsFromEnv } from "../net/_tls.ts";
import { webHeaderPairs, webRequestBody, webUrl } from "../models/_web.ts";
import type { BaseTransport } from "./base.ts";

/** A `fetch` function: `globalThis.fetch` or one with the same signature. */
export type FetchFunction = (
  input: string | globalThis.URL | globalThis.Request,
  init?: RequestInit,
) => Promise<globalThis.Response>;

/** Options of {@linkcode FetchTransport}. */
export interface FetchTransportOptions {
  /**
   * The `fetch` to send with (`globalThis.fetch` by default, looked up on
   * each request). The TLS, proxy and pool options below are applied only
   * through a `Deno.HttpClient`, which Deno's own `fetch` takes.
   */
  fetch?: FetchFunction;
  /**
   * `true` (the system's roots, the default) or `{ caCerts }` with PEM
   * strings to trust as well. `false` is refused: `fetch` has no switch to
   * skip certificate checks.
   */
  verify?: boolean | { caCerts: string[] };
  /** A client certificate and its key, both PEM (Deno only). */
  cert?: { cert: string; key: string };
  /** Allow HTTP/1.1 (default `true`). */
  http1?: boolean;
  /** Allow HTTP/2 (default `false`, as in HTTPX). */
  http2?: boolean;
  /** A proxy for every request (Deno only): `http://`, `https://`, `socks5://`, `socks5h://`. */
  proxy?: string | URL | Proxy | null;
  /**
   * Pool settings: `maxKeepaliveConnections` becomes the idle connections
   * kept per host and `keepaliveExpiry` their idle timeout (Deno only).
   * `maxConnections` has no `fetch` counterpart and is not applied.
   */
  limits?: Limits;
  /**
   * Read `SSL_CERT_FILE` / `SSL_CERT_DIR` (default `true`, Deno only, where
   * permitted). Deno's `fetch` reads the proxy variables itself.
   */
  trustEnv?: boolean;
  /** The local address to connect from (Deno only). */
  localAddress?: string;
  /**
   * A `Deno.HttpClient` to send with, instead of one made from the options
   * above. The transport does not close it.
   */
  httpClient?: Deno.HttpClient;
  /**
   * Stream request bodies that are not in memory (`duplex: "half"`). The
   * default is to stream where the runtime supports it; with `false`, or
   * where it does not, such bodies are read into memory first.
   */
  streamRequestBody?: boolean;
  /**
   * Whether `fetch` has already decoded a response with this
   * `Content-Encoding` (gzip, br, …). The default knows Deno's `fetch`
   * (it decodes a lone `gzip` or `br`), Bun's (told not to decode) and
   * undici's in Node and others (it decodes any list of `gzip`, `x-gzip`,
   * `deflate` and `br`). Give your own for a `fetch` that differs.
   */
  decodesContent?: (contentEncoding: string, request: Request) => boolean;
}

/** Options that need a `Deno.HttpClient`, for the error when there is none. */
type ClientSetting = "verify.caCerts" | "cert" | "proxy" | "localAddress";

type Runtime = "deno" | "bun" | "other";

/** `"unknown"`: what `httpVersion` says when the runtime does not tell. */
const UNKNOWN_VERSION = "unknown";

/** Bodies of known length up to this size are read in one go. */
const WHOLE_BODY_LIMIT = 256 * 1024;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

function detectRuntime(): Runtime {
  const global = globalThis as { Deno?: { version?: unknown }; Bun?: unknown };
  if (global.Bun !== undefined) return "bun";
  if (global.Deno?.version !== undefined) return "deno";
  return "other";
}

let requestStreamsSupported: boolean | undefined;

/** Whether this runtime's `fetch` streams request bodies (`duplex: "half"`). */
function supportsRequestStreams(runtime: Runtime): boolean {
  if (requestStreamsSupported === undefined) {
    let duplexRead = false;
    try {
      const init = {
        method: "POST",
        body: new ReadableStream(),
        get duplex(): "half" {
          duplexRead = true;
          return "half";
        },
      };
      const probe = new globalThis.Request("http://localhost/", init);
      // A stream that was not turned into text; Deno streams bodies without
      // reading `duplex`, the others read it when they support streaming.
      requestStreamsSupported = (duplexRead || runtime === "deno") &&
        !probe.headers.has("content-type");
      void probe.body?.cancel().catch(() => {});
    } catch {
      requestStreamsSupported = false;
    }
  }
  return requestStreamsSupported;
}

const UNDICI_DECODES = new Set(["gzip", "x-gzip", "deflate", "br"]);

function decodedByRuntime(
  runtime: Runtime,
  contentEncoding: string,
  request: Request,
): boolean {
  if (runtime === "bun") return false;
  if (runtime === "deno") {
    // Deno decodes a lone gzip or br, unless the request asked for identity.
    const accept = request.headers.get("accept-encoding");
    if (accept !== undefined && accept.trim().toLowerCase() === "identity") {
      return false;
    }
    const coding = contentEncoding.trim().toLowerCase();
    return coding === "gzip" || coding === "br";
  }
  // undici (Node, and most others): every coding known, or none decoded.
  const codings = contentEncoding.split(",");
  let any = false;
  for (const part of codings) {
    const coding = part.trim().toLowerCase();
    if (coding === "") continue;
    if (!UNDICI_DECODES.has(coding)) return false;
    any = true;
  }
  return any;
}

/**
 * Sends requests through `fetch`: `globalThis.fetch` (on Deno with a
 * `Deno.HttpClient` made from the TLS, proxy, HTTP/2 and pool settings) or
 * a `fetch` function you give. It is the default transport where raw
 * sockets are missing or not permitted, and the way to share code with
 * Node, Bun and other fetch-only runtimes.
 *
 * Our client stays in charge of redirects, cookies and auth (`fetch` is
 * called with `redirect: "manual"`). What `fetch` cannot give:
 *
 * - Timeouts: until the response head arrives, connecting cannot be told
 *   from waiting for the server, so that phase is allowed `connect + read`
 *   seconds and raises `ReadTimeout` (`ConnectTimeout` when `read` is
 *   `null`). Then `read` applies to each body chunk. `write` and `pool`
 *   have no counterpart.
 * - `iterRaw()`: where `fetch` has already decoded the body (gzip and br
 *   on Deno; gzip, deflate and br on Node) the bytes as received are gone,
 *   so `iterRaw()` raises a `StreamError` (`iterBytes()`, `read()` and
 *   `text` work as usual). Codings `fetch` leaves alone (zstd, and deflate
 *   on Deno) are decoded by us and `iterRaw()` works.
 * - `httpVersion` is `"HTTP/1.1"` or `"HTTP/2"` only where the settings
 *   decide it (Deno with HTTP/1.1 only, or HTTP/2 only); elsewhere it is
 *   `"unknown"`. The reason phrase is the runtime's `statusText`.
 * - Header names come back lower-cased, and a custom request target
 *   (`extensions.target`), `sniHostname`, `trace` events and
 *   `networkStream` are not available.
 * - Request bodies that are not in memory are streamed (`duplex: "half"`,
 *   sent chunked) where the runtime supports it, else read into memory.
 *
 * @example Send through a `fetch` function
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const fakeFetch = (input: string | URL | Request, init?: RequestInit) =>
 *   Promise.resolve(
 *     new Response(`${init?.method} ${input}`, { status: 200 }),
 *   );
 * const transport = new httpx.FetchTransport({ fetch: fakeFetch });
 * await using client = new httpx.Client({ transport });
 * const response = await client.get("https://example.org/hello");
 * console.assert(response.text === "GET https://example.org/hello");
 * ```
 */
export class FetchTransport implements BaseTransport {
  #fetch: FetchFunction | undefined;
  #runtime: Runtime;
  #http1: boolean;
  #http2: boolean;
  #clientOptions:
    | Deno.CreateHttpClientOptions & { cert?: string; key?: string }
    | undefined;
  #httpClient: Deno.HttpClient | undefined;
  #ownsClient = false;
  #streamBodies: boolean;
  #decodes: (contentEncoding: string, request: Request) => boolean;
  #open = new Set<FetchBodyStream>();
  #timers = new Deadlines();
  #closed = false;

  /**
   * Make a transport. Nothing is created until the first request (the
   * `Deno.HttpClient` included).
   *
   * @param options The `fetch` to use, TLS, proxy, HTTP version and pool
   *   settings.
   * @throws {TypeError} For `verify: false`, or for settings that need a
   *   `Deno.HttpClient` where none can be used.
   */
  constructor(options: FetchTransportOptions = {}) {
    this.#runtime = detectRuntime();
    this.#fetch = options.fetch;
    this.#http1 = options.http1 ?? true;
    this.#http2 = options.http2 ?? false;
    if (!this.#http1 && !this.#http2) {
      throw new TypeError("At least one of http1 or http2 must be enabled");
    }
    const verify = options.verify ?? true;
    if (verify === false) {
      throw new TypeError(
        "verify: false is not possible with fetch, which cannot skip certificate checks; pass verify: { caCerts: [pem] } to trust your own CA instead (or run Deno with --unsafely-ignore-certificate-errors)",
      );
    }
    const runtime = this.#runtime;
    const decodes = options.decodesContent;
    this.#decodes = decodes ??
      ((coding, request) => decodedByRuntime(runtime, coding, request));
    this.#streamBodies = options.streamRequestBody ?? true;

    if (options.httpClient !== undefined) {
      this.#httpClient = options.httpClient;
      return;
    }
    const needed: ClientSetting[] = [];
    const settings: Deno.CreateHttpClientOptions & {
      cert?: string;
      key?: string;
    } = { http1: this.#http1, http2: this.#http2, allowHost: true };
    if (typeof verify === "object") {
      settings.caCerts = [...verify.caCerts];
      needed.push("verify.caCerts");
    }
    const fromEnv = () =>
      runtime === "deno" && (options.trustEnv ?? true) && verify === true
        ? caCertsFromEnv()
        : null;
    if (options.cert !== undefined) {
      settings.cert = options.cert.cert;
      settings.key = options.cert.key;
      needed.push("cert");
    }
    if (options.proxy !== undefined && options.proxy !== null) {
      settings.proxy = denoProxy(options.proxy);
      needed.push("proxy");
    }
    if (options.localAddress !== undefined) {
      settings.localAddress = options.localAddress;
      needed.push("localAddress");
    }
    const limits = options.limits;
    if (limits !== undefined) {
      if (limits.maxKeepaliveConnections !== null) {
        settings.poolMaxIdlePerHost = limits.maxKeepaliveConnections;
      }
      settings.poolIdleTimeout = limits.keepaliveExpiry === null
        ? false
        : Math.round(limits.keepaliveExpiry * 1000);
    }
    const canMakeClient = runtime === "deno" &&
      options.fetch === undefined &&
      typeof (globalThis as { Deno?: { createHttpClient?: unknown } }).Deno
          ?.createHttpClient === "function";
    if (canMakeClient) {
      const envCerts = fromEnv();
      if (envCerts !== null) settings.caCerts = envCerts;
      this.#clientOptions = settings;
      return;
    }
    if (needed.length > 0) {
      throw new TypeError(
        `FetchTransport cannot apply ${
          needed.join(", ")
        } here: they need Deno's fetch with a Deno.HttpClient; configure your own fetch for them and pass it as fetch`,
      );
    }
    if (!this.#http1) {
      throw new TypeError(
        "FetchTransport cannot force HTTP/2 here (http1: false needs Deno's fetch with a Deno.HttpClient)",
      );
    }
  }

  /**
   * The `Deno.HttpClient` requests are sent with, made on first use from
   * the options (`undefined` outside Deno or with your own `fetch`).
   */
  get httpClient(): Deno.HttpClient | undefined {
    if (this.#httpClient === undefined && this.#clientOptions !== undefined) {
      this.#httpClient = Deno.createHttpClient(this.#clientOptions);
      this.#ownsClient = true;
    }
    return this.#httpClient;
  }

  /**
   * Send a request through `fetch` and return as soon as the head arrives;
   * the body streams with back-pressure (one chunk read per chunk asked).
   *
   * @param request The request.
   * @returns The response, body unread.
   */
  async handleRequest(request: Request): Promise<Response> {
    if (this.#closed) {
      throw new TransportError(
        "Cannot send a request, as the transport has been closed",
        { request },
      );
    }
    const extensions = request.extensions;
    const signal = extensions.signal;
    if (signal?.aborted) throw abortError(signal);
    checkRequest(request);

    const method = request.method;
    const noBody = method === "GET" || method === "HEAD";
    if (
      !(request.stream instanceof BytesStream) &&
      (noBody || !this.#streamBodies || !supportsRequestStreams(this.#runtime))
    ) {
      // Read into memory: no streaming here (or a GET/HEAD, checked below).
      await request.read();
    }
    const exchange = new Exchange(signal, this.#timers);
    const init: RequestInit & {
      client?: Deno.HttpClient;
      duplex?: "half";
      decompress?: boolean;
    } = {
      method,
      headers: webHeaderPairs(request, true),
      redirect: "manual",
      signal: exchange.controller.signal,
    };
    const client = this.httpClient;
    if (client !== undefined) init.client = client;
    if (this.#runtime === "bun") init.decompress = false;

    const body = webRequestBody(request, (error) => {
      exchange.bodyError ??= { error };
    });
    if (noBody && body.body !== undefined) {
      exchange.finish();
      throw new LocalProtocolError(
        `FetchTransport cannot send a body with a ${method} request: fetch refuses it`,
        { request },
      );
    }
    if (body.body !== undefined) init.body = body.body;
    if (body.duplex !== undefined) init.duplex = body.duplex;

    const timeout = extensions.timeout as TimeoutConfig | undefined;
    exchange.armHead(timeout);
    const fetch = this.#fetch ?? globalThis.fetch;
    let web: globalThis.Response;
    try {
      web = await fetch(webUrl(request), init);
    } catch (error) {
      exchange.finish();
      throw exchange.mapError(error, "head");
    } finally {
      exchange.disarm();
    }

    if (web.type === "opaqueredirect") {
      exchange.finish();
      throw new TransportError(
        'This runtime\'s fetch hides redirect responses (redirect: "manual" gave an opaque redirect), so FetchTransport cannot follow them',
        { request },
      );
    }

    const headers: [string, string][] = [...web.headers];
    let webBody = web.body;
    if (method === "HEAD" && webBody !== null) {
      void webBody.cancel().catch(() => {});
      webBody = null;
    }
    const responseExtensions: Record<string, unknown> = {
      httpVersion: this.#httpVersion(request),
    };
    if (web.statusText !== "") responseExtensions.reasonPhrase = web.statusText;

    const length = webBody === null || web.headers.has("content-encoding")
      ? null
      : web.headers.get("content-length");
    const bodyStream = new FetchBodyStream(
      webBody === null ? null : web,
      length !== null && Number(length) <= WHOLE_BODY_LIMIT,
      exchange,
      timeout?.read ?? null,
      this.#open,
    );
    let decoded = false;
    if (webBody !== null) {
      const encoding = web.headers.get("content-encoding");
      if (encoding !== null && this.#decodes(encoding, request)) {
        decoded = true;
        responseExtensions.decodedByFetch = encoding;
      }
    }
    const options = {
      headers,
      stream: bodyStream as ByteStream,
      extensions: responseExtensions,
    };
    return decoded
      ? new FetchDecodedResponse(web.status, options)
      : new Response(web.status, options);
  }

  #httpVersion(request: Request): string {
    if (this.#runtime !== "deno" || this.#clientOptions === undefined) {
      return UNKNOWN_VERSION;
    }
    // Our own Deno.HttpClient: the settings decide, except https with both.
    if (!this.#http2) return "HTTP/1.1";
    if (!this.#http1) return "HTTP/2";
    return request.url.scheme === "http" ? "HTTP/1.1" : UNKNOWN_VERSION;
  }

  /**
   * Cancel every response body still streaming and close the
   * `Deno.HttpClient` the transport made (one given in the options is left
   * open). Safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const open = [...this.#open];
    this.#open.clear();
    for (const stream of open) await stream.close();
    this.#timers.clear();
    if (this.#ownsClient) this.#httpClient?.close();
    this.#httpClient = undefined;
    this.#clientOptions = undefined;
  }

  /** `await using transport = new httpx.FetchTransport()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function checkRequest(request: Request): void {
  const scheme = request.url.scheme;
  if (scheme !== "http" && scheme !== "https") {
    throw new UnsupportedProtocol(
      `FetchTransport cannot send '${scheme}://' requests: fetch speaks only http:// and https://`,
      { request },
    );
  }
  const extensions = request.extensions;
  if (extensions.target !== undefined) {
    throw new LocalProtocolError(
      "FetchTransport cannot send a custom request target (extensions.target): fetch always sends the URL's path",
      { request },
    );
  }
  if (
    extensions.sniHostname !== undefined &&
    extensions.sniHostname !== request.url.host
  ) {
    throw new LocalProtocolError(
      "FetchTransport cannot set the TLS server name (extensions.sniHostname): fetch always uses the URL's host",
      { request },
    );
  }
}

function denoProxy(proxy: string | URL | Proxy): Deno.Proxy {
  const value = proxy instanceof Proxy ? proxy : new Proxy(proxy);
  if (value.headers.size > 0) {
    throw new TypeError(
      "FetchTransport cannot send proxy headers: Deno.HttpClient has no option for them",
    );
  }
  const out: Deno.Proxy = { url: value.url.toString() };
  if (value.auth !== null) {
    out.basicAuth = { username: value.auth[0], password: value.auth[1] };
  }
  return out;
}

type Phase = "head" | "body";
type TimerKind = "connect" | "read" | "head";

/**
 * One shared timer for every pending deadline of a transport, instead of a
 * `setTimeout` per request and per body read: arming and disarming only
 * touch a `Set`. The timer is scheduled for the earliest deadline, is
 * never re-armed for a later one, does not keep the process alive
 * (unref'd), and is cleared by `clear()` when the transport closes.
 */
class Deadlines {
  #entries = new Set<Exchange>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #at = Infinity;

  add(exchange: Exchange, deadline: number): void {
    exchange.deadline = deadline;
    this.#entries.add(exchange);
    if (deadline < this.#at) this.#schedule(deadline);
  }

  delete(exchange: Exchange): void {
    exchange.deadline = Infinity;
    this.#entries.delete(exchange);
  }

  #schedule(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#at = at;
    const timer = setTimeout(
      () => this.#fire(),
      Math.max(0, at - performance.now()),
    );
    unrefTimer(timer);
    this.#timer = timer;
  }

  #fire(): void {
    this.#timer = undefined;
    this.#at = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const exchange of this.#entries) {
      const deadline = exchange.deadline;
      if (deadline <= now) {
        this.delete(exchange);
        exchange.expire();
      } else if (deadline < next) {
        next = deadline;
      }
    }
    if (next !== Infinity) this.#schedule(next);
  }

  /** Stop the timer (the transport is closing). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Infinity;
    this.#entries.clear();
  }
}

/** Let a timer not keep the process alive, on Deno and on Node. */
function unrefTimer(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === "number") {
    const deno = (globalThis as { Deno?: { unrefTimer?(id: number): void } })
      .Deno;
    deno?.unrefTimer?.(timer);
  } else {
    (timer as { unref?(): void }).unref?.();
  }
}

/**
 * One request's cancellation: a controller whose signal `fetch` gets,
 * aborted by the user's signal, by the client closing, or by our timers.
 */
class Exchange {
  readonly controller: AbortController = new AbortController();
  /** Set when our timer aborted the request. */
  timedOut: TimerKind | null = null;
  /** Set when the request body stream raised. */
  bodyError: { error: unknown } | undefined;
  /** When the armed timer expires (`performance.now()` time), for the queue. */
  deadline = Infinity;
  /** What the armed timer is for. */
  kind: TimerKind = "read";
  #timers: Deadlines;
  #signal: AbortSignal | undefined;
  #headLimit = 0;
  #onAbort: (() => void) | undefined;

  constructor(signal: AbortSignal | undefined, timers: Deadlines) {
    this.#timers = timers;
    this.#signal = signal;
    if (signal !== undefined) {
      const controller = this.controller;
      const onAbort = (): void => controller.abort(signal.reason);
      this.#onAbort = onAbort;
      signal.addEventListener("abort", onAbort, { once: true });
    }
  }

  /** Start the timer for the response head: `connect + read` seconds. */
  armHead(timeout: TimeoutConfig | undefined): void {
    if (timeout === undefined) return;
    const connect = timeout.connect;
    const read = timeout.read;
    if (connect === null && read === null) return;
    const seconds = (connect ?? 0) + (read ?? 0);
    this.#headLimit = seconds;
    this.#arm(seconds, read === null ? "connect" : "head");
  }

  /** Start the timer for one body read. */
  armRead(seconds: number): void {
    this.#arm(seconds, "read");
  }

  #arm(seconds: number, kind: TimerKind): void {
    this.kind = kind;
    this.#timers.add(this, performance.now() + seconds * 1000);
  }

  /** Called by the queue when the armed timer expires. */
  expire(): void {
    this.timedOut = this.kind;
    this.controller.abort();
  }

  disarm(): void {
    if (this.deadline !== Infinity) this.#timers.delete(this);
  }

  /** The request is over: stop listening to the user's signal. */
  finish(): void {
    this.disarm();
    if (this.#onAbort !== undefined) {
      this.#signal!.removeEventListener("abort", this.#onAbort);
      this.#onAbort = undefined;
    }
  }

  /** Abort the request (closing a body early). */
  abort(): void {
    this.controller.abort();
  }

  /** The `httpx` error for what `fetch` (or the body) rejected with. */
  mapError(error: unknown, phase: Phase): unknown {
    const timedOut = this.timedOut;
    if (timedOut === "read") {
      return new ReadTimeout("Timed out while reading the response body", {
        cause: error,
      });
    }
    if (timedOut !== null) {
      const message =
        `Timed out after ${this.#headLimit} seconds waiting for the response head (fetch cannot tell connecting from waiting, so the connect and read timeouts are added up)`;
      return timedOut === "connect"
        ? new ConnectTimeout(message, { cause: error })
        : new ReadTimeout(message, { cause: error });
    }
    const signal = this.#signal;
    if (signal?.aborted) return abortError(signal);
    if (this.bodyError !== undefined) return this.bodyError.error;
    return mapFetchError(error, phase);
  }
}

const CONNECT_PATTERN =
  /\(connect\)|dns error|tcp connect|connection refused|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|certificate|CERT_|ERR_TLS|SSL|TLS|are blocked/i;
const REMOTE_PROTOCOL_PATTERN =
  /closed before message completed|UND_ERR_SOCKET|other side closed|invalid HTTP|HPE_|parse|incomplete message|unexpected end/i;

/** Every message and code along an error's `cause` chain, for matching. */
function describe(error: unknown): string {
  let text = "";
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    if (current instanceof Error) {
      text += " " + current.message;
      const code = (current as { code?: unknown }).code;
      if (typeof code === "string") text += " " + code;
      current = current.cause;
    } else {
      if (current !== null) text += " " + String(current);
      break;
    }
  }
  return text;
}

function mapFetchError(error: unknown, phase: Phase): unknown {
  if (!(error instanceof TypeError)) {
    // Permission errors and the like: not network failures.
    return error;
  }
  const text = describe(error);
  if (/UND_ERR_CONNECT_TIMEOUT/.test(text)) {
    return new ConnectTimeout("Timed out while connecting", { cause: error });
  }
  if (/UND_ERR_(HEADERS|BODY)_TIMEOUT/.test(text)) {
    return new ReadTimeout("Timed out while reading", { cause: error });
  }
  if (phase === "body") {
    if (REMOTE_PROTOCOL_PATTERN.test(text)) {
      return new RemoteProtocolError(
        "Peer closed connection without sending complete message body",
        { cause: error },
      );
    }
    return new ReadError(`Error reading the response body: ${text.trim()}`, {
      cause: error,
    });
  }
  if (CONNECT_PATTERN.test(text)) {
    return new ConnectError(text.trim(), { cause: error });
  }
  if (REMOTE_PROTOCOL_PATTERN.test(text)) {
    return new RemoteProtocolError(
      `Server disconnected without sending a response: ${text.trim()}`,
      { cause: error },
    );
  }
  if (!/fetch failed|error sending request/i.test(text)) {
    // fetch refused the request itself (a header value, a method, …).
    return new LocalProtocolError(text.trim(), { cause: error });
  }
  return new ConnectError(text.trim(), { cause: error });
}

/**
 * The web response body as a {@linkcode ByteStream}: a chunk is read from
 * `fetch` only when asked for, with the read timeout per chunk.
 */
class FetchBodyStream implements ByteStream {
  #web: globalThis.Response | null;
  #whole: boolean;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #exchange: Exchange;
  #readSeconds: number | null;
  #open: Set<FetchBodyStream>;
  #done = false;
  #closed = false;

  /**
   * @param web The response whose body to read, or `null` for none.
   * @param whole Read the body in one go (a small body of known length,
   *   which `fetch` reads faster whole than chunk by chunk).
   */
  constructor(
    web: globalThis.Response | null,
    whole: boolean,
    exchange: Exchange,
    readSeconds: number | null,
    open: Set<FetchBodyStream>,
  ) {
    this.#web = web;
    this.#whole = whole;
    this.#exchange = exchange;
    this.#readSeconds = readSeconds;
    this.#open = open;
    if (web === null) {
      this.#done = true;
      exchange.finish();
    } else {
      open.add(this);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.#next(),
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        await this.close();
        return DONE;
      },
    };
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#done || this.#closed) return DONE;
    const exchange = this.#exchange;
    const seconds = this.#readSeconds;
    if (seconds !== null) exchange.armRead(seconds);
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      if (this.#whole && this.#reader === undefined) {
        const bytes = await this.#web!.bytes();
        if (seconds !== null) exchange.disarm();
        this.#done = true;
        this.#release();
        return bytes.byteLength === 0 ? DONE : { done: false, value: bytes };
      }
      const reader = this.#reader ??= this.#web!.body!.getReader();
      step = await reader.read();
    } catch (error) {
      exchange.disarm();
      const mapped = exchange.mapError(error, "body");
      await this.close();
      throw mapped;
    }
    if (seconds !== null) exchange.disarm();
    if (step.done) {
      this.#done = true;
      this.#release();
      return DONE;
    }
    return step;
  }

  #release(): void {
    this.#exchange.finish();
    this.#open.delete(this);
    this.#reader?.releaseLock();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#done) {
      this.#done = true;
      const reader = this.#reader;
      if (reader !== undefined) await reader.cancel().catch(() => {});
      else await this.#web?.body?.cancel().catch(() => {});
      this.#release();
    }
  }
}

/**
 * A response whose body `fetch` has already decoded: `iterBytes()` passes
 * the body through instead of decoding it again, and `iterRaw()` raises,
 * because the bytes as received are gone.
 */
class FetchDecodedResponse extends Response {
  // deno-lint-ignore require-yield
  override async *iterRaw(
    _chunkSize?: number | null,
  ): AsyncGenerator<Uint8Array> {
    throw new StreamError(
      `iterRaw() cannot give the bytes as received: the runtime's fetch has already decoded this '${
        this.headers.get("content-encoding")
      }' body. Use iterBytes() or read(), or HTTPTransport for the raw bytes`,
    );
  }

  override async *iterBytes(
    chunkSize?: number | null,
  ): AsyncGenerator<Uint8Array> {
    if (this.isStreamConsumed) {
      // Read already (the content is kept), or iterated once before.
      let read = true;
      try {
        void this.content;
      } catch {
        read = false;
      }
      if (!read) throw new StreamConsumed();
      yield* super.iterBytes(chunkSize);
      return;
    }
    let source: AsyncIterable<Uint8Array> = super.iterRaw();
    if (chunkSize !== undefined && chunkSize !== null) {
      source = rechunk(source, chunkSize);
    }
    try {
      yield* source;
    } finally {
      await this.close();
    }
  }
}
