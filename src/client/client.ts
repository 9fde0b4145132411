/**
 * The `Client`: configuration merging, redirects, auth flows, event hooks,
 * mounts and the `total` deadline.
 *
 * @module
 */

import type { RequestExtensions, TimeoutConfig } from "../_types.ts";
import type { Auth } from "../auth/auth.ts";
import type { Limits } from "../config/limits.ts";
import type { Proxy } from "../config/proxy.ts";
import { Timeout, type TimeoutTypes } from "../config/timeout.ts";
import { ACCEPT_ENCODING } from "../content/decoders.ts";
import type {
  RequestContent,
  RequestData,
  RequestFiles,
} from "../content/request_body.ts";
import {
  HTTPError,
  LocalProtocolError,
  StreamConsumed,
  TooManyRedirects,
  UnsupportedProtocol,
} from "../errors.ts";
import { Cookies, type CookiesInit } from "../models/cookies.ts";
import { Headers, type HeaderTypes } from "../models/headers.ts";
import { QueryParams, type QueryParamTypes } from "../models/query_params.ts";
import { Request } from "../models/request.ts";
import { readResponseSoon, type Response } from "../models/response.ts";
import { URL } from "../models/url.ts";
import type { BaseTransport } from "../transports/base.ts";
import type { HTTPTransport } from "../transports/http.ts";
// [fetch edge, issue 6] default transport choice and client.fetch
import { createDefaultTransport } from "../transports/_default.ts";
import { type ClientFetch, clientFetch } from "./_fetch_facade.ts";
import {
  type AuthTypes,
  buildAuth,
  isPassThrough,
  requestAuth,
  sendHandlingAuth,
} from "./_auth_flow.ts";
import { BoundStream, OpenBodies } from "./_bound_stream.ts";
import { Deadline, raceSignal } from "./_deadline.ts";
import {
  enforceTrailingSlash,
  mergeCookies,
  mergeHeaders,
  mergeParams,
  mergeUrl,
} from "./_merge.ts";
import { environmentProxyMounts } from "./_env_proxies.ts";
import { MountPattern } from "./_patterns.ts";
import { buildRedirectRequest } from "./_redirects.ts";
import { USER_AGENT } from "./_version.ts";

export type { AuthTypes } from "./_auth_flow.ts";

type RequestInit = NonNullable<ConstructorParameters<typeof Request>[2]>;
type HTTPTransportInit = NonNullable<
  ConstructorParameters<typeof HTTPTransport>[0]
>;

/**
 * TLS verification: `true` (the system's roots), or `{ caCerts }` with PEM
 * strings to trust instead. (`false` is refused by the transport: Deno has
 * no per-connection switch.)
 *
 * @example Trust a private CA; `false` is refused
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const pem = "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n";
 * const verify: httpx.VerifyTypes = { caCerts: [pem] };
 * await using client = new httpx.Client({ verify });
 * console.assert(client.transport instanceof httpx.HTTPTransport);
 * let refused: unknown;
 * try {
 *   new httpx.Client({ verify: false });
 * } catch (error) {
 *   refused = error;
 * }
 * console.assert(refused instanceof TypeError);
 * ```
 */
export type VerifyTypes = boolean | { caCerts: string[] };

/**
 * A client certificate and its key, both PEM.
 *
 * @example Present a client certificate
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const cert: httpx.CertTypes = {
 *   cert: "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n",
 *   key: "-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----\n",
 * };
 * await using client = new httpx.Client({ cert });
 * console.assert(client.transport instanceof httpx.HTTPTransport);
 * ```
 */
export interface CertTypes {
  /** The certificate chain, PEM. */
  cert: string;
  /** The private key, PEM. */
  key: string;
}

/**
 * A request hook: called with each request just before it is sent.
 *
 * @example Add a request id to every request
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * let next = 1;
 * const addId: httpx.RequestHook = (request) => {
 *   request.headers.set("X-Request-Id", String(next++));
 * };
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.headers.get("x-request-id") })
 * );
 * await using client = new httpx.Client({
 *   transport,
 *   eventHooks: { request: [addId] },
 * });
 * await client.get("https://example.org/");
 * const second = await client.get("https://example.org/");
 * console.assert(second.text === "2");
 * ```
 */
export type RequestHook = (request: Request) => unknown;
/**
 * A response hook: called with each response before its body is read.
 *
 * @example Raise on every error status
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const raise: httpx.ResponseHook = (response) => response.raiseForStatus();
 * const transport = new httpx.MockTransport(() => new httpx.Response(503));
 * await using client = new httpx.Client({
 *   transport,
 *   eventHooks: { response: [raise] },
 * });
 * const error = await client.get("https://example.org/").catch((e) => e);
 * console.assert(error instanceof httpx.HTTPStatusError);
 * ```
 */
export type ResponseHook = (response: Response) => unknown;

/**
 * The `eventHooks` option and property.
 *
 * @example Log each request and response
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const log: string[] = [];
 * const eventHooks: httpx.EventHooks = {
 *   request: [(request) => log.push(`${request.method} ${request.url}`)],
 *   response: [(response) => log.push(String(response.statusCode))],
 * };
 * const transport = new httpx.MockTransport(() => new httpx.Response(200));
 * await using client = new httpx.Client({ transport, eventHooks });
 * await client.get("https://example.org/a");
 * console.assert(log.join(" ") === "GET https://example.org/a 200");
 * ```
 */
export interface EventHooks {
  /** Called with every request sent, redirects and auth retries included. */
  request: RequestHook[];
  /** Called with every response received, before its body is read. */
  response: ResponseHook[];
}

/**
 * The body options of a request (see `Request`).
 *
 * @example Each kind of body and its content type
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: request.headers.get("content-type") ?? "none",
 *   })
 * );
 * await using client = new httpx.Client({ transport });
 * const bodies: httpx.RequestBodyOptions[] = [
 *   { content: "raw" },
 *   { data: { a: 1 } },
 *   { json: { a: 1 } },
 * ];
 * const types: string[] = [];
 * for (const body of bodies) {
 *   types.push((await client.post("https://example.org/", body)).text);
 * }
 * console.assert(types[0] === "none");
 * console.assert(types[1] === "application/x-www-form-urlencoded");
 * console.assert(types[2] === "application/json");
 * ```
 */
export interface RequestBodyOptions {
  /** Raw body: text, bytes, a `Blob`, or a (async) iterable/stream of bytes. */
  content?: RequestContent;
  /** Form fields (urlencoded, or multipart with `files`). */
  data?: RequestData;
  /** Files for a multipart body. */
  files?: RequestFiles;
  /** A JSON value. */
  json?: unknown;
}

/**
 * What `buildRequest` takes besides the method and URL.
 *
 * @example Build a request, look at it, then send it
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() => new httpx.Response(200));
 * await using client = new httpx.Client({
 *   transport,
 *   baseUrl: "https://api.example.org/",
 *   params: { key: "k" },
 * });
 * const options: httpx.BuildRequestOptions = {
 *   params: { page: 2 },
 *   headers: { accept: "application/json" },
 * };
 * const request = client.buildRequest("GET", "items", options);
 * console.assert(
 *   request.url.toString() === "https://api.example.org/items?key=k&page=2",
 * );
 * console.assert(request.headers.get("accept") === "application/json");
 * console.assert((await client.send(request)).statusCode === 200);
 * ```
 */
export interface BuildRequestOptions extends RequestBodyOptions {
  /** Query parameters, merged per key over the client's and the URL's. */
  params?: QueryParamTypes | null;
  /** Headers, merged over the client's (the request wins per name). */
  headers?: HeaderTypes | null;
  /** Cookies for this request only, merged over the client's jar. */
  cookies?: CookiesInit | null;
  /** Replaces the client's timeout for this request. */
  timeout?: TimeoutTypes;
  /** Extensions passed to the transport (`timeout` wins over `timeout:`). */
  extensions?: RequestExtensions;
  /** Aborting it cancels the request with the matching `httpx` error. */
  signal?: AbortSignal;
}

/**
 * Options of every request method (`request`, `get`, `post`, …, `stream`).
 *
 * @example Auth and redirects for one request
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   request.url.path === "/old"
 *     ? new httpx.Response(308, { headers: { location: "/new" } })
 *     : new httpx.Response(200, {
 *       text: request.headers.get("authorization"),
 *     })
 * );
 * await using client = new httpx.Client({ transport });
 * const options: httpx.RequestOptions = {
 *   json: { name: "widget" },
 *   auth: ["user", "pass"],
 *   followRedirects: true,
 * };
 * const response = await client.post("https://example.org/old", options);
 * console.assert(
 *   response.url.path === "/new" && response.history.length === 1,
 * );
 * console.assert(response.text === "Basic dXNlcjpwYXNz");
 * ```
 */
export interface RequestOptions extends BuildRequestOptions {
  /** Replaces the client's auth; `null` disables it for this request. */
  auth?: AuthTypes | null;
  /** Replaces the client's `followRedirects`. */
  followRedirects?: boolean;
}

/**
 * Options of the body-less methods (`get`, `head`, `options`, `delete`).
 *
 * @example Options of a GET
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.url.toString() })
 * );
 * await using client = new httpx.Client({ transport });
 * const options: httpx.NoBodyRequestOptions = {
 *   params: { q: "deno", page: 1 },
 *   timeout: 5,
 * };
 * const response = await client.get("https://example.org/search", options);
 * console.assert(
 *   response.text === "https://example.org/search?q=deno&page=1",
 * );
 * ```
 */
export type NoBodyRequestOptions = Omit<
  RequestOptions,
  keyof RequestBodyOptions
>;

/**
 * Options of {@linkcode Client.send}.
 *
 * @example Send a built request without reading its body
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(200, { text: "a large body" })
 * );
 * await using client = new httpx.Client({ transport });
 * const request = client.buildRequest("GET", "https://example.org/");
 * const options: httpx.SendOptions = { stream: true };
 * await using response = await client.send(request, options);
 * let size = 0;
 * for await (const chunk of response.iterBytes()) size += chunk.length;
 * console.assert(size === 12);
 * ```
 */
export interface SendOptions {
  /** Return without reading the body (the caller must close the response). */
  stream?: boolean;
  /** Replaces the client's auth; `null` disables it. */
  auth?: AuthTypes | null;
  /** Replaces the client's `followRedirects`. */
  followRedirects?: boolean;
}

/**
 * Options of {@linkcode Client}.
 *
 * @example A client for one API
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.ClientOptions = {
 *   baseUrl: "https://api.example.org/v2/",
 *   headers: { "User-Agent": "my-app/1.0" },
 *   params: { lang: "en" },
 *   timeout: 10,
 *   followRedirects: true,
 *   transport: new httpx.MockTransport((request) =>
 *     new httpx.Response(200, {
 *       text: `${request.url} ${request.headers.get("user-agent")}`,
 *     })
 *   ),
 * };
 * await using client = new httpx.Client(options);
 * const response = await client.get("users");
 * console.assert(
 *   response.text === "https://api.example.org/v2/users?lang=en my-app/1.0",
 * );
 * ```
 */
export interface ClientOptions {
  /** Default auth: `[user, pass]`, an `Auth`, or a function. */
  auth?: AuthTypes | null;
  /** Query parameters added to every request. */
  params?: QueryParamTypes | null;
  /** Headers added to every request (over the four defaults). */
  headers?: HeaderTypes | null;
  /** The client's cookie jar, or cookies to start it with. */
  cookies?: CookiesInit | null;
  /** TLS verification: `true` (default) or `{ caCerts }` PEM strings. */
  verify?: VerifyTypes;
  /** A client certificate `{ cert, key }` (PEM). */
  cert?: CertTypes;
  /** Allow HTTP/1.1 (default `true`). */
  http1?: boolean;
  /** Allow HTTP/2 (default `false`). */
  http2?: boolean;
  /** One proxy for all traffic (mounted as `"all://"`). */
  proxy?: string | URL | Proxy | null;
  /** Transports by URL pattern; `null` means the default transport. */
  mounts?: Record<string, BaseTransport | null>;
  /** Default timeouts (5 seconds each). */
  timeout?: TimeoutTypes;
  /** Follow redirects by default (default `false`). */
  followRedirects?: boolean;
  /** Pool limits for the transports the client builds. */
  limits?: Limits;
  /** Redirects followed before `TooManyRedirects` (default 20). */
  maxRedirects?: number;
  /** `{ request: [...], response: [...] }`; functions may be async. */
  eventHooks?: Partial<EventHooks> | null;
  /** Base for relative request URLs. */
  baseUrl?: string | URL;
  /** The default transport (instead of an `HTTPTransport`). */
  transport?: BaseTransport | null;
  /** Read proxy and certificate settings from the environment (default `true`). */
  trustEnv?: boolean;
  /** Encoding for text without a charset, or a function that picks one. */
  defaultEncoding?: string | ((content: Uint8Array) => string);
}

/** The timeout extension as the client stores it: the four fields and `total`. */
interface TimeoutExtension extends TimeoutConfig {
  total?: number | null;
}

const SUPPORTED_SCHEMES = new Set(["http", "https", "ws", "wss"]);
const DEFAULT_MAX_REDIRECTS = 20;
const URL_CACHE_SIZE = 256;

type State = "unopened" | "opened" | "closed";

function defaultHeaders(): Headers {
  return new Headers([
    ["Accept", "*/*"],
    ["Accept-Encoding", ACCEPT_ENCODING],
    ["Connection", "keep-alive"],
    ["User-Agent", USER_AGENT],
  ]);
}

function timeoutExtension(timeout: Timeout): TimeoutExtension {
  // `{ ...timeout.asExtension(), total }`, as one object.
  return {
    connect: timeout.connect,
    read: timeout.read,
    write: timeout.write,
    pool: timeout.pool,
    total: timeout.total,
  };
}

/**
 * An HTTP client with connection pooling, shared configuration and cookie
 * persistence, as HTTPX's `Client`/`AsyncClient` (every method is async).
 * Close it with `await client.close()` or `await using`.
 *
 * @example A client for one API, with a mock transport
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { json: { path: request.url.path } })
 * );
 * await using client = new httpx.Client({
 *   transport,
 *   baseUrl: "https://api.example.org/v1",
 *   headers: { "X-Token": "secret" },
 * });
 * const response = await client.get("/users");
 * console.assert(response.json<{ path: string }>().path === "/v1/users");
 * ```
 */
export class Client {
  /** Follow redirects unless a request says otherwise. */
  followRedirects: boolean;
  /** Redirects (and auth round trips) allowed before `TooManyRedirects`. */
  maxRedirects: number;

  #baseUrl: URL;
  /** `mergeUrl(baseUrl, text)` per URL text (URLs are immutable); reset with `baseUrl`. */
  #urlCache = new Map<string, URL>();
  #auth: Auth | null;
  #params: QueryParams;
  #headers: Headers;
  #cookies: Cookies;
  #timeout: Timeout;
  #eventHooks: EventHooks;
  #trustEnv: boolean;
  #defaultEncoding: string | ((content: Uint8Array) => string);
  #transport: BaseTransport;
  #mounts: Array<[MountPattern, BaseTransport | null]>;
  #state: State = "unopened";
  #open = new OpenBodies();

  // [fetch edge, issue 6]
  /**
   * The web `fetch(input, init)` signature, sent through this client (base
   * URL, auth, cookies, hooks, timeouts, pool, mounts), answering with a
   * web `Response` whose body is decoded and streamed. It is bound, so
   * `client.fetch` can be handed as it is to any library that takes a
   * `fetch`. `redirect` follows fetch (`"follow"` by default); a failed
   * request rejects with a `TypeError` whose `cause` is the `httpx` error.
   *
   * @example Hand the client to code that takes a `fetch`
   * ```ts
   * import * as httpx from "jsr:@x/httpx";
   * const transport = new httpx.MockTransport((request) =>
   *   new httpx.Response(200, {
   *     json: { path: request.url.path, token: request.headers.get("x-token") },
   *   })
   * );
   * await using client = new httpx.Client({
   *   transport,
   *   baseUrl: "https://api.example.org/v1/",
   *   headers: { "X-Token": "secret" },
   * });
   * const getJson = async (f: typeof fetch, path: string) =>
   *   await (await f(path)).json();
   * const body = await getJson(client.fetch, "users");
   * console.assert(body.path === "/v1/users" && body.token === "secret");
   * ```
   */
  readonly fetch: ClientFetch = (input, init) => clientFetch(this, input, init);

  /**
   * Make a client. Nothing is connected until the first request.
   *
   * @param options Client configuration; every option is optional.
   */
  constructor(options: ClientOptions = {}) {
    this.#baseUrl = enforceTrailingSlash(new URL(options.baseUrl ?? ""));
    this.#auth = buildAuth(options.auth);
    this.#params = new QueryParams(options.params ?? undefined);
    this.#headers = mergeHeaders(defaultHeaders(), options.headers);
    this.#cookies = new Cookies(options.cookies ?? undefined);
    this.#timeout = Timeout.from(
      options.timeout === undefined ? new Timeout() : options.timeout,
    );
    this.followRedirects = options.followRedirects ?? false;
    this.maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    this.#eventHooks = {
      request: [...(options.eventHooks?.request ?? [])],
      response: [...(options.eventHooks?.response ?? [])],
    };
    this.#trustEnv = options.trustEnv ?? true;
    this.#defaultEncoding = options.defaultEncoding ?? "utf-8";

    const transportOptions = (): HTTPTransportInit => {
      const init: Record<string, unknown> = {
        verify: options.verify ?? true,
        http1: options.http1 ?? true,
        http2: options.http2 ?? false,
        trustEnv: this.#trustEnv,
      };
      if (options.cert !== undefined) init.cert = options.cert;
      if (options.limits !== undefined) init.limits = options.limits;
      return init as HTTPTransportInit;
    };

    // Check every mount key before building any transport.
    const mountEntries = Object.entries(options.mounts ?? {}).map((
      [key, transport],
    ) =>
      [new MountPattern(key), transport] as [
        MountPattern,
        BaseTransport | null,
      ]
    );

    // [fetch edge, issue 6] HTTPTransport, or FetchTransport without sockets.
    this.#transport = options.transport ??
      createDefaultTransport(transportOptions());
    const table = new Map<string, [MountPattern, BaseTransport | null]>();
    if (options.proxy !== undefined && options.proxy !== null) {
      const proxyTransport = createDefaultTransport({
        ...transportOptions(),
        proxy: options.proxy,
      });
      table.set("all://", [new MountPattern("all://"), proxyTransport]);
    } else if (this.#trustEnv && options.transport == null) {
      // [proxies, issue 5] HTTP(S)_PROXY, ALL_PROXY and NO_PROXY, as HTTPX.
      for (const [pattern, url] of environmentProxyMounts()) {
        const transport = url === null
          ? null
          : createDefaultTransport({ ...transportOptions(), proxy: url });
        table.set(pattern.pattern, [pattern, transport]);
      }
    }
    for (const [pattern, transport] of mountEntries) {
      table.set(pattern.pattern, [pattern, transport]);
    }
    this.#mounts = [...table.values()].sort((a, b) =>
      MountPattern.compare(a[0], b[0])
    );
  }

  // ---------------------------------------------------------------- state

  /** Whether `close()` has been called. */
  get isClosed(): boolean {
    return this.#state === "closed";
  }

  /** Whether proxy and certificate settings are read from the environment. */
  get trustEnv(): boolean {
    return this.#trustEnv;
  }

  /** The client's default transport. */
  get transport(): BaseTransport {
    return this.#transport;
  }

  set transport(transport: BaseTransport) {
    this.#transport = transport;
  }

  /** The base for relative URLs; always ends with `/`. */
  get baseUrl(): URL {
    return this.#baseUrl;
  }

  set baseUrl(url: string | URL) {
    this.#urlCache.clear();
    this.#baseUrl = enforceTrailingSlash(
      url instanceof URL ? url : new URL(url),
    );
  }

  /** The client's headers (the four defaults plus the client's own). */
  get headers(): Headers {
    return this.#headers;
  }

  set headers(headers: HeaderTypes) {
    this.#headers = mergeHeaders(defaultHeaders(), headers);
  }

  /** The client's cookie jar. */
  get cookies(): Cookies {
    return this.#cookies;
  }

  set cookies(cookies: CookiesInit) {
    this.#cookies = new Cookies(cookies);
  }

  /** Query parameters added to every request. */
  get params(): QueryParams {
    return this.#params;
  }

  set params(params: QueryParamTypes) {
    this.#params = new QueryParams(params);
  }

  /** The default auth, or `null`. */
  get auth(): Auth | null {
    return this.#auth;
  }

  set auth(auth: AuthTypes | null) {
    this.#auth = buildAuth(auth);
  }

  /** The default timeouts. */
  get timeout(): Timeout {
    return this.#timeout;
  }

  set timeout(timeout: TimeoutTypes) {
    this.#timeout = Timeout.from(timeout);
  }

  /** The event hooks; the lists may be changed in place. */
  get eventHooks(): EventHooks {
    return this.#eventHooks;
  }

  set eventHooks(hooks: Partial<EventHooks>) {
    this.#eventHooks = {
      request: [...(hooks.request ?? [])],
      response: [...(hooks.response ?? [])],
    };
  }

  // ------------------------------------------------------------- building

  /**
   * Build a request with the client's configuration merged in: the URL
   * against `baseUrl`, params, headers and cookies per key, the timeout
   * into `extensions.timeout` and the signal into `extensions.signal`.
   *
   * @param method The HTTP method.
   * @param url An absolute URL, or one relative to `baseUrl`.
   * @param options Request options.
   * @returns The request, ready for {@linkcode Client.send}.
   */
  buildRequest(
    method: string,
    url: string | URL,
    options: BuildRequestOptions = {},
  ): Request {
    let merged: URL;
    if (typeof url === "string") {
      // Parsing is the costly part of merging; the result only depends on
      // the text and the base URL.
      const cache = this.#urlCache;
      let cached = cache.get(url);
      if (cached === undefined) {
        cached = mergeUrl(this.#baseUrl, url);
        if (cache.size >= URL_CACHE_SIZE) cache.clear();
        cache.set(url, cached);
      }
      merged = cached;
    } else {
      merged = mergeUrl(this.#baseUrl, url);
    }
    merged = mergeParams(merged, this.#params, options.params);
    // The request copies the headers it is given: no merged copy is needed
    // when this request adds none.
    const headers = options.headers === undefined || options.headers === null
      ? this.#headers
      : mergeHeaders(this.#headers, options.headers);
    const cookies = mergeCookies(this.#cookies, options.cookies);
    const extensions: RequestExtensions = options.extensions === undefined
      ? {}
      : { ...options.extensions };
    if (extensions.timeout === undefined) {
      const timeout = options.timeout === undefined
        ? this.#timeout
        : Timeout.from(options.timeout);
      extensions.timeout = timeoutExtension(timeout);
    }
    if (options.signal !== undefined) extensions.signal = options.signal;
    const init: RequestInit = { headers, extensions };
    if (cookies !== undefined) init.cookies = cookies;
    if (options.content !== undefined) init.content = options.content;
    if (options.data !== undefined) init.data = options.data;
    if (options.files !== undefined) init.files = options.files;
    if (options.json !== undefined) init.json = options.json;
    return new Request(method, merged, init);
  }

  // -------------------------------------------------------------- sending

  /**
   * Build and send a request; the body is read before the promise resolves.
   *
   * @param method The HTTP method.
   * @param url An absolute URL, or one relative to `baseUrl`.
   * @param options Request options.
   */
  request(
    method: string,
    url: string | URL,
    options: RequestOptions = {},
  ): Promise<Response> {
    let request: Request;
    try {
      request = this.buildRequest(method, url, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.send(
      request,
      "auth" in options || options.followRedirects !== undefined
        ? sendOptions(options, false)
        : NOT_STREAMED,
    );
  }

  /**
   * Send a request and return before reading the body. The response must
   * be closed: `await using response = await client.stream("GET", url)`.
   *
   * @param method The HTTP method.
   * @param url An absolute URL, or one relative to `baseUrl`.
   * @param options Request options.
   */
  async stream(
    method: string,
    url: string | URL,
    options: RequestOptions = {},
  ): Promise<Response> {
    const request = this.buildRequest(method, url, options);
    return await this.send(request, sendOptions(options, true));
  }

  /** Send a `GET` request. */
  get(
    url: string | URL,
    options: NoBodyRequestOptions = {},
  ): Promise<Response> {
    return this.request("GET", url, options);
  }

  /** Send a `HEAD` request. */
  head(
    url: string | URL,
    options: NoBodyRequestOptions = {},
  ): Promise<Response> {
    return this.request("HEAD", url, options);
  }

  /** Send an `OPTIONS` request. */
  options(
    url: string | URL,
    options: NoBodyRequestOptions = {},
  ): Promise<Response> {
    return this.request("OPTIONS", url, options);
  }

  /** Send a `DELETE` request. */
  delete(
    url: string | URL,
    options: NoBodyRequestOptions = {},
  ): Promise<Response> {
    return this.request("DELETE", url, options);
  }

  /** Send a `POST` request. */
  post(url: string | URL, options: RequestOptions = {}): Promise<Response> {
    return this.request("POST", url, options);
  }

  /** Send a `PUT` request. */
  put(url: string | URL, options: RequestOptions = {}): Promise<Response> {
    return this.request("PUT", url, options);
  }

  /** Send a `PATCH` request. */
  patch(url: string | URL, options: RequestOptions = {}): Promise<Response> {
    return this.request("PATCH", url, options);
  }

  /**
   * Send a request as it is (no merging), handling auth and redirects.
   * Without `stream: true` the body is read before the promise resolves.
   *
   * @param request The request, usually from {@linkcode Client.buildRequest}.
   * @param options `stream`, and `auth` / `followRedirects` overrides.
   * @throws {Error} When the client is closed.
   */
  async send(request: Request, options: SendOptions = {}): Promise<Response> {
    if (this.#state === "closed") {
      throw new Error("Cannot send a request, as the client has been closed");
    }
    this.#state = "opened";
    const followRedirects = options.followRedirects ?? this.followRedirects;
    const auth = requestAuth(
      request,
      options.auth === undefined ? this.#auth : buildAuth(options.auth),
    );
    const extensions = request.extensions;
    if (extensions.timeout === undefined) {
      extensions.timeout = timeoutExtension(this.#timeout);
    }
    const total = (extensions.timeout as TimeoutExtension).total ?? null;
    const deadline = new Deadline(total, extensions.signal);
    let response: Response | undefined;
    try {
      deadline.throwIfAborted();
      const hooks = this.#eventHooks;
      if (
        isPassThrough(auth) && hooks.request.length === 0 &&
        hooks.response.length === 0 && this.maxRedirects >= 0
      ) {
        // The usual call: one request, no hooks, in this async frame; the
        // redirect machinery only for a redirect.
        const transport = this.#checkedTransport(request, deadline);
        const start = performance.now();
        const pending = transport.handleRequest(request);
        try {
          response = await raceSignal(pending, deadline.signal);
        } catch (error) {
          throw this.#sendFailed(error, pending, request);
        }
        this.#adopt(response, request, deadline, start);
        response.history = [];
        if (response.hasRedirectLocation) {
          response = await this.#sendHandlingRedirects(
            request,
            followRedirects,
            [],
            deadline,
            response,
          );
        }
      } else {
        response = isPassThrough(auth)
          ? await this.#sendHandlingRedirects(
            request,
            followRedirects,
            [],
            deadline,
          )
          : await sendHandlingAuth(
            request,
            auth,
            [],
            (next, history) =>
              this.#sendHandlingRedirects(
                next,
                followRedirects,
                history,
                deadline,
              ),
          );
      }
      if (!options.stream) {
        const content = readResponseSoon(response);
        if (!(content instanceof Uint8Array)) await content;
        // Closed already when the body was all buffered.
        const bound = deadline.body;
        if (bound !== undefined && !bound.closed) await bound.close();
        deadline.clear();
      } else {
        const bound = deadline.body;
        if (
          bound === undefined ||
          !bound.addCloseCallback(() => deadline.clear())
        ) {
          deadline.clear();
        }
      }
      return response;
    } catch (error) {
      deadline.clear();
      if (response !== undefined) await response.close();
      if (error instanceof HTTPError && !error.hasRequest) {
        error.request = request;
      }
      throw error;
    }
  }

  /**
   * Send `request`, following redirects when asked. `first`: the response
   * to `request`, already received (and taken in) without hooks.
   */
  async #sendHandlingRedirects(
    request: Request,
    followRedirects: boolean,
    history: Response[],
    deadline: Deadline,
    first?: Response,
  ): Promise<Response> {
    while (true) {
      let response: Response;
      if (first !== undefined) {
        response = first;
        first = undefined;
      } else {
        if (history.length > this.maxRedirects) {
          throw new TooManyRedirects("Exceeded maximum allowed redirects", {
            request,
          });
        }
        const requestHooks = this.#eventHooks.request;
        for (let i = 0; i < requestHooks.length; i++) {
          await requestHooks[i](request);
        }
        // #sendSingleRequest in steps, so that the wait adds no async frame.
        const transport = this.#checkedTransport(request, deadline);
        const start = performance.now();
        const pending = transport.handleRequest(request);
        try {
          response = await raceSignal(pending, deadline.signal);
        } catch (error) {
          throw this.#sendFailed(error, pending, request);
        }
        this.#adopt(response, request, deadline, start);
      }
      try {
        const responseHooks = this.#eventHooks.response;
        for (let i = 0; i < responseHooks.length; i++) {
          await responseHooks[i](response);
        }
        response.history = history.length === 0 ? [] : [...history];
        if (!response.hasRedirectLocation) return response;
        const next = buildRedirectRequest(request, response, this.#cookies);
        history = [...history, response];
        if (followRedirects) {
          await response.read();
          await this.#finish(deadline);
          if (next.stream !== request.stream || isReplayable(next.stream)) {
            request = next;
          } else {
            throw new StreamConsumed(
              `Cannot follow the ${response.statusCode} redirect: it must resend the request body, which was a one-shot stream (an iterator or a ReadableStream) and has already been sent; pass the body as bytes or text, or read() the request before sending it`,
            );
          }
        } else {
          response.nextRequest = next;
          return response;
        }
      } catch (error) {
        await response.close();
        throw error;
      }
    }
  }

  /**
   * The transport for `request`, once its URL is checked; the call's
   * signal is set on it.
   */
  #checkedTransport(request: Request, deadline: Deadline): BaseTransport {
    const url = request.url;
    // The mount entry itself, not a new pair per request.
    const entry = this.#mountFor(url);
    const mountedTransport = entry === undefined ? null : entry[1];
    const transport = mountedTransport ?? this.#transport;
    const mounted = mountedTransport !== null && entry![0].scheme !== "";
    if (url.scheme === "") {
      throw new UnsupportedProtocol(
        "Request URL is missing an 'http://' or 'https://' protocol",
        { request },
      );
    }
    if (!mounted && !SUPPORTED_SCHEMES.has(url.scheme)) {
      throw new UnsupportedProtocol(
        `Request URL has an unsupported protocol '${url.scheme}://'`,
        { request },
      );
    }
    if (url.host === "" && SUPPORTED_SCHEMES.has(url.scheme)) {
      throw new LocalProtocolError("Request URL is missing a host", {
        request,
      });
    }
    deadline.throwIfAborted();
    const signal = deadline.signal;
    if (signal !== undefined) request.extensions.signal = signal;
    return transport;
  }

  /** The transport failed, or the signal won the race. */
  #sendFailed(
    error: unknown,
    pending: Promise<Response>,
    request: Request,
  ): unknown {
    // The transport may still answer after an abort: release that answer.
    pending.then((late) => late.close(), () => {});
    if (error instanceof HTTPError && !error.hasRequest) {
      error.request = request;
    }
    return error;
  }

  /**
   * Take the transport's response in: attach the request, time and bind
   * its body, and store its cookies.
   */
  #adopt(
    response: Response,
    request: Request,
    deadline: Deadline,
    start: number,
  ): void {
    response.request = request;
    const bound = new BoundStream(response.stream, deadline.signal);
    response.stream = bound;
    if (response.isClosed) {
      response.elapsed = (performance.now() - start) / 1000;
      deadline.body = undefined;
    } else {
      // Timed, and closed with the client, when its body closes.
      bound.track(response, start, this.#open);
      deadline.body = bound;
    }
    // Only Set-Cookie headers change the jar.
    if (response.headers.has("set-cookie")) {
      this.#cookies.extractCookies(response);
    }
    response.defaultEncoding = this.#defaultEncoding;
  }

  /** Close the body just read, so its elapsed time is set. */
  async #finish(deadline: Deadline): Promise<void> {
    const bound = deadline.body;
    if (bound !== undefined && !bound.closed) await bound.close();
  }

  /** The first mount whose pattern matches `url`, if any. */
  #mountFor(url: URL): [MountPattern, BaseTransport | null] | undefined {
    const mounts = this.#mounts;
    for (let i = 0; i < mounts.length; i++) {
      if (mounts[i][0].matches(url)) return mounts[i];
    }
    return undefined;
  }

  // -------------------------------------------------------------- closing

  /**
   * Close the client: every response still streaming, the default
   * transport and every mounted one. Safe to call more than once.
   */
  async close(): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    // Each leaves the list as it closes.
    const responses = this.#open.responses();
    for (const response of responses) await response.close();
    const transports = new Set<BaseTransport>([this.#transport]);
    for (const [, transport] of this.#mounts) {
      if (transport !== null) transports.add(transport);
    }
    for (const transport of transports) await transport.close();
  }

  /** HTTPX's async name for {@linkcode Client.close}. */
  aclose(): Promise<void> {
    return this.close();
  }

  /** `await using client = new httpx.Client()` closes it at scope end. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Whether a body can be iterated again (one-shot streams say `false`). */
function isReplayable(stream: unknown): boolean {
  if (stream === null || typeof stream !== "object") return true;
  const replayable = (stream as { replayable?: unknown }).replayable;
  return replayable !== false;
}

const NOT_STREAMED: SendOptions = Object.freeze({ stream: false });

function sendOptions(options: RequestOptions, stream: boolean): SendOptions {
  const send: SendOptions = { stream };
  if ("auth" in options) send.auth = options.auth;
  if (options.followRedirects !== undefined) {
    send.followRedirects = options.followRedirects;
  }
  return send;
}

/**
 * HTTPX's name for the async client: the same class as {@linkcode Client}.
 *
 * @example The same class under HTTPX's async name
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() => new httpx.Response(204));
 * await using client = new httpx.AsyncClient({ transport });
 * console.assert(client instanceof httpx.Client);
 * console.assert(
 *   (await client.get("https://example.org/")).statusCode === 204,
 * );
 * ```
 */
export const AsyncClient: typeof Client = Client;
/** HTTPX's name for the async client: the same type as {@linkcode Client}. */
export type AsyncClient = Client;
