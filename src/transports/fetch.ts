/**
 * {@linkcode FetchTransport}: send requests through the runtime's `fetch`.
 *
 * @module
 */

import type { ByteStream, TimeoutConfig } from "../_types.ts";
import { abortError } from "../_abort.ts";
import type { Limits } from "../config/limits.ts";
import { Proxy } from "../config/proxy.ts";
import {
  type BufferedBodyStream,
  BytesStream,
  concatBytes,
  rechunk,
} from "../content/streams.ts";
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
import { headersFromWeb } from "../models/headers.ts";
import type { Request } from "../models/request.ts";
import { Response } from "../models/response.ts";
import type { URL } from "../models/url.ts";
import { caCertsFromEnv } from "../net/_tls.ts";
import {
  runtimeFetchHeaders,
  webHeaderPairs,
  webRequestBody,
  webUrl,
} from "../models/_web.ts";
import type { BaseTransport } from "./base.ts";

/**
 * A `fetch` function: `globalThis.fetch` or one with the same signature.
 *
 * @example Record what the transport fetches
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const calls: string[] = [];
 * const fetch: httpx.FetchFunction = (input, init) => {
 *   calls.push(`${init?.method} ${input}`);
 *   return Promise.resolve(new Response("ok"));
 * };
 * await using client = new httpx.Client({
 *   transport: new httpx.FetchTransport({ fetch }),
 * });
 * await client.post("https://example.org/items", { json: { a: 1 } });
 * console.assert(calls[0] === "POST https://example.org/items");
 * ```
 */
export type FetchFunction = (
  input: string | globalThis.URL | globalThis.Request,
  init?: RequestInit,
) => Promise<globalThis.Response>;

/**
 * Options of {@linkcode FetchTransport}.
 *
 * @example A fake `fetch` and no environment lookups
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.FetchTransportOptions = {
 *   fetch: () =>
 *     Promise.resolve(new Response("hi", { headers: { "x-id": "1" } })),
 *   trustEnv: false,
 * };
 * await using client = new httpx.Client({
 *   transport: new httpx.FetchTransport(options),
 * });
 * const response = await client.get("https://example.org/");
 * console.assert(
 *   response.text === "hi" && response.headers.get("x-id") === "1",
 * );
 * ```
 */
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

/** What `fetch` is given: the web options, and Deno's and Bun's own. */
type FetchInit = RequestInit & {
  client?: Deno.HttpClient;
  duplex?: "half";
  decompress?: boolean;
};

/** `"unknown"`: what `httpVersion` says when the runtime does not tell. */
const UNKNOWN_VERSION = "unknown";

/** Bodies of known length up to this size are read in one go. */
const WHOLE_BODY_LIMIT = 256 * 1024;

/** Bodies of known length up to this size are read with the head. */
const EAGER_BODY_LIMIT = 16 * 1024;

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
 * `Deno.HttpClient` for the TLS, proxy, HTTP/2 and pool settings) or one
 * you give. The default where raw sockets are missing or not permitted,
 * and the transport for Node, Bun and other fetch-only runtimes.
 *
 * Redirects, cookies and auth stay with the client. What `fetch` cannot
 * give:
 *
 * - Until the response head arrives there is one deadline of
 *   `connect + read` seconds (then `read` per chunk); `write` and `pool`
 *   have no counterpart.
 * - `iterRaw()` raises a `StreamError` where `fetch` already decoded the
 *   body (gzip and br on Deno; also deflate on Node).
 * - `httpVersion` is often `"unknown"`, and header names come back
 *   lower-cased.
 * - `extensions.target`, `sniHostname`, `trace` and `networkStream` are
 *   not available.
 *
 * A body of known length up to 16 KiB is read with its head (it nearly
 * always arrives with it), so `read()` has it at once; one that stalls
 * raises the read timeout from the request itself. Larger bodies stream
 * with back-pressure.
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
  #open = new OpenBodies();
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
  handleRequest(request: Request): Promise<Response> {
    // Not async: the preparation runs in this frame and only the exchange
    // with fetch (two awaits, few locals) is suspended.
    let exchange: Exchange;
    let init: FetchInit;
    try {
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
        (noBody || !this.#streamBodies ||
          !supportsRequestStreams(this.#runtime))
      ) {
        // Read into memory: no streaming here (or a GET/HEAD, checked
        // below), then on as an in-memory body.
        return request.read().then(() => this.handleRequest(request));
      }
      const timeout = extensions.timeout as TimeoutConfig | undefined;
      exchange = new Exchange(signal, this.#timers, timeout);
      init = {
        method,
        // A fetch of yours gets a list of pairs of its own, as given.
        headers: this.#fetch === undefined
          ? runtimeFetchHeaders(request)
          : webHeaderPairs(request, "fetch").slice(),
        redirect: "manual",
      };
      // Only when something can abort the request: a signal costs `fetch` a
      // dependent signal per request.
      const fetchSignal = exchange.signal;
      if (fetchSignal !== undefined) init.signal = fetchSignal;
      const client = this.httpClient;
      if (client !== undefined) init.client = client;
      if (this.#runtime === "bun") init.decompress = false;

      const stream = request.stream;
      if (stream instanceof BytesStream) {
        // In memory: sent with a Content-Length (nothing for an empty GET).
        const bytes = stream.bytes;
        if (bytes.byteLength > 0 || !noBody) {
          if (noBody) {
            exchange.finish();
            throw noBodyError(request);
          }
          init.body = bytes as Uint8Array<ArrayBuffer>;
        }
      } else {
        const body = webRequestBody(request, (error) => {
          exchange.bodyError ??= { error };
        });
        if (noBody && body.body !== undefined) {
          exchange.finish();
          throw noBodyError(request);
        }
        if (body.body !== undefined) init.body = body.body;
        if (body.duplex !== undefined) init.duplex = body.duplex;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exchange(request, exchange, init);
  }

  /** Send `init` through fetch, and make the response of what comes back. */
  async #exchange(
    request: Request,
    exchange: Exchange,
    init: FetchInit,
  ): Promise<Response> {
    exchange.armHead();
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
    const response = this.#responseOf(request, web, exchange);
    const bodyStream = response.stream as FetchBodyStream;
    if (bodyStream.eager) {
      // A small body of known length comes with its head: read it now, so
      // that `read()` takes it without another round through the layers.
      let bytes: Uint8Array;
      try {
        bytes = await bodyStream.startWholeRead();
      } catch (error) {
        throw await bodyStream.fail(error);
      }
      bodyStream.endWholeRead(bytes);
    }
    return response;
  }

  /** The response for what fetch answered; its body is not read yet. */
  #responseOf(
    request: Request,
    web: globalThis.Response,
    exchange: Exchange,
  ): Response {
    const method = request.method;

    if (web.type === "opaqueredirect") {
      exchange.finish();
      throw new TransportError(
        'This runtime\'s fetch hides redirect responses (redirect: "manual" gave an opaque redirect), so FetchTransport cannot follow them',
        { request },
      );
    }

    // Headers are copied from the web ones only when asked for more than
    // `get`/`has` (converting them all costs more than the rest of a
    // small request).
    const webHeaders = web.headers;
    const headers = headersFromWeb(webHeaders);
    const contentLength = webHeaders.get("content-length");
    const contentEncoding = webHeaders.get("content-encoding");
    let webBody = web.body;
    if (method === "HEAD" && webBody !== null) {
      void webBody.cancel().catch(() => {});
      webBody = null;
    }
    const responseExtensions: Record<string, unknown> = {
      httpVersion: this.#httpVersion(request),
    };
    const statusText = web.statusText;
    if (statusText !== "") responseExtensions.reasonPhrase = statusText;

    const length = webBody === null || contentEncoding !== null
      ? null
      : contentLength;
    const bodyStream = new FetchBodyStream(
      webBody === null ? null : web,
      length === null ? Infinity : Number(length),
      exchange,
      this.#open,
    );
    let decoded = false;
    if (webBody !== null && contentEncoding !== null) {
      if (this.#decodes(contentEncoding, request)) {
        decoded = true;
        responseExtensions.decodedByFetch = contentEncoding;
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
    const open = this.#open.takeAll();
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

function noBodyError(request: Request): LocalProtocolError {
  return new LocalProtocolError(
    `FetchTransport cannot send a body with a ${request.method} request: fetch refuses it`,
    { request },
  );
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
 * link and unlink the exchange in a list (no hashing, no allocation). The
 * timer is scheduled for the earliest deadline, is never re-armed for a
 * later one, does not keep the process alive (unref'd), and is cleared by
 * `clear()` when the transport closes.
 */
class Deadlines {
  #first: Exchange | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #at = Infinity;

  add(exchange: Exchange, deadline: number): void {
    if (exchange.deadline === Infinity) {
      const first = this.#first;
      exchange.queueNext = first;
      if (first !== null) first.queuePrev = exchange;
      this.#first = exchange;
    }
    exchange.deadline = deadline;
    if (deadline < this.#at) this.#schedule(deadline);
  }

  delete(exchange: Exchange): void {
    if (exchange.deadline === Infinity) return;
    exchange.deadline = Infinity;
    const prev = exchange.queuePrev;
    const next = exchange.queueNext;
    if (prev === null) this.#first = next;
    else prev.queueNext = next;
    if (next !== null) next.queuePrev = prev;
    exchange.queuePrev = null;
    exchange.queueNext = null;
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
    let exchange = this.#first;
    while (exchange !== null) {
      const following = exchange.queueNext;
      const deadline = exchange.deadline;
      if (deadline <= now) {
        this.delete(exchange);
        exchange.expire();
      } else if (deadline < next) {
        next = deadline;
      }
      exchange = following;
    }
    if (next !== Infinity) this.#schedule(next);
  }

  /** Stop the timer (the transport is closing). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Infinity;
    while (this.#first !== null) this.delete(this.#first);
  }
}

/**
 * A transport's response bodies still streaming, for `close()`: a list
 * linked through the bodies themselves, so adding and removing one
 * allocates and hashes nothing.
 */
class OpenBodies {
  first: FetchBodyStream | null = null;

  add(body: FetchBodyStream): void {
    const first = this.first;
    body.openNext = first;
    if (first !== null) first.openPrev = body;
    this.first = body;
  }

  delete(body: FetchBodyStream): void {
    const prev = body.openPrev;
    const next = body.openNext;
    if (prev === null) {
      if (this.first !== body) return;
      this.first = next;
    } else {
      prev.openNext = next;
    }
    if (next !== null) next.openPrev = prev;
    body.openPrev = null;
    body.openNext = null;
  }

  /** Every body, oldest last; the list is emptied. */
  takeAll(): FetchBodyStream[] {
    const out: FetchBodyStream[] = [];
    while (this.first !== null) {
      const body = this.first;
      this.delete(body);
      out.push(body);
    }
    return out;
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
 * One request's cancellation and deadlines. A controller (whose signal
 * `fetch` gets) is made only when a timeout is set: our timers abort it,
 * and so does the user's signal. With no timeout, the user's signal (if
 * any) goes to `fetch` as it is, and with neither, `fetch` gets none.
 */
class Exchange {
  /** Set when our timer aborted the request. */
  timedOut: TimerKind | null = null;
  /** Set when the request body stream raised. */
  bodyError: { error: unknown } | undefined;
  /** When the armed timer expires (`performance.now()` time), for the queue. */
  deadline = Infinity;
  /** What the armed timer is for. */
  kind: TimerKind = "read";
  /** Links in the {@linkcode Deadlines} list while a timer is armed. */
  queuePrev: Exchange | null = null;
  queueNext: Exchange | null = null;
  /** The read timeout per body read, in seconds, or `null` for none. */
  readonly readSeconds: number | null;
  #timers: Deadlines;
  #signal: AbortSignal | undefined;
  #controller: AbortController | undefined;
  /** The head deadline in seconds, or `null` for none. */
  #headLimit: number | null = null;
  #onAbort: (() => void) | undefined;

  constructor(
    signal: AbortSignal | undefined,
    timers: Deadlines,
    timeout: TimeoutConfig | undefined,
  ) {
    this.#timers = timers;
    this.#signal = signal;
    let read: number | null = null;
    if (timeout !== undefined) {
      const connect = timeout.connect;
      read = timeout.read;
      if (connect !== null || read !== null) {
        this.#headLimit = (connect ?? 0) + (read ?? 0);
        this.kind = read === null ? "connect" : "head";
      }
    }
    this.readSeconds = read;
    if (this.#headLimit !== null) {
      const controller = new AbortController();
      this.#controller = controller;
      if (signal !== undefined) {
        const onAbort = (): void => controller.abort(signal.reason);
        this.#onAbort = onAbort;
        signal.addEventListener("abort", onAbort, { once: true });
      }
    }
  }

  /** The signal for `fetch`, or `undefined` when nothing can abort it. */
  get signal(): AbortSignal | undefined {
    const controller = this.#controller;
    return controller === undefined ? this.#signal : controller.signal;
  }

  /** Start the timer for the response head: `connect + read` seconds. */
  armHead(): void {
    const seconds = this.#headLimit;
    if (seconds !== null) {
      this.#timers.add(this, performance.now() + seconds * 1000);
    }
  }

  /** Start the timer for one body read (when there is a read timeout). */
  armRead(): void {
    const seconds = this.readSeconds;
    if (seconds === null) return;
    this.kind = "read";
    this.#timers.add(this, performance.now() + seconds * 1000);
  }

  /** Called by the queue when the armed timer expires. */
  expire(): void {
    this.timedOut = this.kind;
    // Armed only with a timeout, so there is a controller.
    this.#controller!.abort();
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
 * `fetch` only when asked for, with the read timeout per chunk. `readAll()`
 * (for `Response.read()`) takes the body in one call where it can.
 */
class FetchBodyStream implements BufferedBodyStream {
  #web: globalThis.Response | null;
  /** Whether to read the body with the head (small, of known length). */
  readonly eager: boolean;
  /** The body, read ahead with the head and not handed out yet. */
  #buffered: Uint8Array | undefined;
  #whole: boolean;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #exchange: Exchange;
  #open: OpenBodies;
  /** Links in the transport's {@linkcode OpenBodies}. */
  openPrev: FetchBodyStream | null = null;
  openNext: FetchBodyStream | null = null;
  #done = false;
  #closed = false;

  /**
   * @param web The response whose body to read, or `null` for none.
   * @param size The body's length when known (`Infinity` otherwise): a
   *   small body is read in one go, which `fetch` does faster than chunk
   *   by chunk, and a very small one with the head.
   */
  constructor(
    web: globalThis.Response | null,
    size: number,
    exchange: Exchange,
    open: OpenBodies,
  ) {
    this.#web = web;
    this.#whole = size <= WHOLE_BODY_LIMIT;
    this.eager = size <= EAGER_BODY_LIMIT && web !== null;
    this.#exchange = exchange;
    this.#open = open;
    if (web === null) {
      this.#done = true;
      exchange.finish();
    } else {
      open.add(this);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  /**
   * Read the whole body now (it is small and of known length): the read
   * timer is armed and the read returned; hand the bytes to
   * `endWholeRead()`, or an error to `fail()`.
   */
  startWholeRead(): Promise<Uint8Array> {
    this.#exchange.armRead();
    return this.#web!.bytes();
  }

  /** The body from `startWholeRead()`: kept for `takeBuffered()`. */
  endWholeRead(bytes: Uint8Array): void {
    this.#readEnded();
    this.#buffered = bytes;
  }

  /** The last read is in: stop its timer and release the body. */
  #readEnded(): void {
    this.#exchange.disarm();
    this.#done = true;
    this.#release();
  }

  /** The body read ahead by `startWholeRead()`, once; see `BufferedBodyStream`. */
  takeBuffered(): Uint8Array | undefined {
    const bytes = this.#buffered;
    if (bytes !== undefined) {
      this.#buffered = undefined;
      this.#closed = true;
    }
    return bytes;
  }

  /** The next chunk (the iterator protocol). */
  next(): Promise<IteratorResult<Uint8Array>> {
    const buffered = this.takeBuffered();
    if (buffered !== undefined) {
      return Promise.resolve(
        buffered.byteLength === 0 ? DONE : { done: false, value: buffered },
      );
    }
    if (this.#done || this.#closed) return Promise.resolve(DONE);
    if (this.#whole && this.#reader === undefined) return this.#nextWhole();
    return this.#nextChunk();
  }

  /** Stop early (the iterator protocol): cancels the body. */
  async return(): Promise<IteratorResult<Uint8Array>> {
    await this.close();
    return DONE;
  }

  async #nextWhole(): Promise<IteratorResult<Uint8Array>> {
    const bytes = await this.#bytes();
    return bytes.byteLength === 0 ? DONE : { done: false, value: bytes };
  }

  async #nextChunk(): Promise<IteratorResult<Uint8Array>> {
    const exchange = this.#exchange;
    exchange.armRead();
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      const reader = this.#reader ??= this.#web!.body!.getReader();
      step = await reader.read();
    } catch (error) {
      throw await this.fail(error);
    }
    if (step.done) {
      this.#readEnded();
      return DONE;
    }
    exchange.disarm();
    return step;
  }

  /** The rest of the body, all of it through `bytes()` (see `#whole`). */
  async #bytes(): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.startWholeRead();
    } catch (error) {
      throw await this.fail(error);
    }
    this.#readEnded();
    return bytes;
  }

  /**
   * The rest of the body in one array: in one `bytes()` call for a small
   * body of known length, or for any body when there is no read timeout
   * (which is per chunk, so needs the chunks otherwise).
   */
  readAll(): Promise<Uint8Array> {
    const buffered = this.takeBuffered();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.#done || this.#closed) return Promise.resolve(new Uint8Array(0));
    if (
      this.#reader === undefined &&
      (this.#whole || this.#exchange.readSeconds === null)
    ) {
      return this.#bytes();
    }
    return this.#readChunks();
  }

  async #readChunks(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (true) {
      const step = await this.#nextChunk();
      if (step.done) break;
      chunks.push(step.value);
      total += step.value.byteLength;
    }
    return concatBytes(chunks, total);
  }

  /** A read failed: close, and give the error to raise. */
  async fail(error: unknown): Promise<unknown> {
    const exchange = this.#exchange;
    exchange.disarm();
    const mapped = exchange.mapError(error, "body");
    await this.close();
    return mapped;
  }

  #release(): void {
    this.#exchange.finish();
    this.#open.delete(this);
    this.#reader?.releaseLock();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#buffered = undefined;
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
