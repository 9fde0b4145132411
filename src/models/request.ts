/**
 * The HTTP request: method, URL, headers and a body stream.
 *
 * @module
 */

import type { ByteStream, RequestExtensions } from "../_types.ts";
import { RequestNotRead } from "../errors.ts";
import {
  BytesStream,
  concatBytes,
  type ContentSource,
} from "../content/streams.ts";
import {
  encodeRequest,
  type RequestData,
  type RequestFiles,
} from "../content/request_body.ts";
import { boundaryFromContentType } from "../content/multipart.ts";
import { Cookies, type CookiesInit } from "./cookies.ts";
import { Headers, type HeaderTypes } from "./headers.ts";
import type { QueryParamTypes } from "./query_params.ts";
import { URL, urlNetloc } from "./url.ts";

/**
 * Options of the {@linkcode Request} constructor.
 *
 * @example Build a request by hand
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const init: httpx.RequestInit = {
 *   params: { q: "deno" },
 *   headers: { accept: "text/plain" },
 *   content: "hello",
 * };
 * const request = new httpx.Request(
 *   "POST",
 *   "https://example.org/search",
 *   init,
 * );
 * console.assert(
 *   request.url.toString() === "https://example.org/search?q=deno",
 * );
 * console.assert(request.headers.get("content-length") === "5");
 * ```
 */
export interface RequestOptions {
  /** Query parameters, merged into the URL's query (these win per key). */
  params?: QueryParamTypes;
  /** Request headers. */
  headers?: HeaderTypes;
  /** Cookies, rendered into a `Cookie` header for the URL. */
  cookies?: CookiesInit;
  /** A raw body: text (sent as UTF-8), bytes, a blob, a file or a stream. */
  content?: ContentSource;
  /** Form fields: URL-encoded, or multipart together with `files`. */
  data?: RequestData;
  /** Files to upload as `multipart/form-data`. */
  files?: RequestFiles;
  /** A JSON body (serialised compactly), with `Content-Type: application/json`. */
  json?: unknown;
  /**
   * The body as a ready stream. No headers are added at all (no `Host`, no
   * framing): this is for building requests from parts, as redirects do.
   */
  stream?: ByteStream;
  /** Per-request settings for the transport: `timeout`, `trace`, `signal`, … */
  extensions?: RequestExtensions;
}

const EMPTY = new BytesStream(new Uint8Array(0));

/**
 * The `Host` header of each URL (URLs are immutable, and a client reuses
 * the ones it parsed), so that it is built once per URL. The pairs are
 * shared: headers never change a pair in place.
 */
const HOST_HEADERS = new WeakMap<URL, [string, string]>();

function hostHeader(url: URL): [string, string] {
  let pair = HOST_HEADERS.get(url);
  if (pair === undefined) {
    pair = ["Host", urlNetloc(url)];
    HOST_HEADERS.set(url, pair);
  }
  return pair;
}

/**
 * An HTTP request, as built by `client.buildRequest()` or by hand and sent
 * with `client.send()`. The `Host` header and the body headers
 * (`Content-Length` or `Transfer-Encoding`, `Content-Type`) are added as
 * HTTPX adds them, unless given.
 *
 * @example Build and send a request
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const request = new httpx.Request("post", "https://example.org/items", {
 *   params: { page: 2 },
 *   json: { name: "widget" },
 * });
 * console.assert(request.method === "POST");
 * console.assert(
 *   request.url.toString() === "https://example.org/items?page=2",
 * );
 * console.assert(request.headers.get("content-type") === "application/json");
 * console.assert(
 *   new TextDecoder().decode(request.content) === '{"name":"widget"}',
 * );
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(201, { content: request.content })
 * );
 * const client = new httpx.Client({ transport });
 * const response = await client.send(request);
 * console.assert(response.statusCode === 201);
 * console.assert(response.json<{ name: string }>().name === "widget");
 * ```
 */
export class Request {
  /** The method, upper-cased. */
  method: string;
  /** The URL, with `params` merged into its query. */
  url: URL;
  /** The request headers. */
  headers: Headers;
  /** Per-request settings for the transport. */
  extensions: RequestExtensions;

  #stream: ByteStream = EMPTY;
  #content: Uint8Array | undefined;

  /**
   * Build a request; the body is encoded and the auto headers added.
   *
   * @param method The method (any case).
   * @param url The URL, as text or an `httpx.URL`.
   * @param options Params, headers, cookies, a body and extensions.
   */
  constructor(
    method: string,
    url: URL | string,
    options: RequestOptions = {},
  ) {
    this.method = method.toUpperCase();
    let target = url instanceof URL ? url : new URL(url);
    if (options.params !== undefined && options.params !== null) {
      target = target.copyMergeParams(options.params);
    }
    this.url = target;
    const given = options.headers;
    this.extensions = options.extensions === undefined
      ? {}
      : { ...options.extensions };
    const cookies = options.cookies;
    const { content, data, files, json } = options;
    if (
      given instanceof Headers && (cookies === undefined || cookies === null) &&
      options.stream === undefined && content === undefined &&
      data === undefined && files === undefined && json === undefined
    ) {
      // No body and nothing to add but `Host` (and a zero length): one copy
      // of the given headers, with those in front.
      this.headers = given;
      this.#stream = EMPTY;
      this.#prepare([], true);
      return;
    }
    this.headers = new Headers(given);
    if (cookies !== undefined && cookies !== null) {
      new Cookies(cookies).setCookieHeader(this);
    }

    if (options.stream !== undefined) {
      this.#stream = options.stream;
      return;
    }

    if (
      content === undefined && data === undefined && files === undefined &&
      json === undefined
    ) {
      this.#stream = EMPTY;
      this.#prepare([]);
      return;
    }
    const body = encodeRequest({
      content,
      data,
      files,
      json,
      boundary: files === undefined
        ? null
        : boundaryFromContentType(this.headers.get("content-type")),
    });
    this.#stream = body.stream;
    this.#prepare(body.headers);
  }

  /**
   * Add the body headers the encoder made, then `Host` and a zero length.
   * `shared`: `this.headers` is still the caller's, to be copied.
   */
  #prepare(bodyHeaders: [string, string][], shared = false): void {
    const headers = this.headers;
    if (bodyHeaders.length > 0) {
      const hasLength = headers.has("content-length");
      for (const [name, value] of bodyHeaders) {
        if (hasLength && name.toLowerCase() === "transfer-encoding") continue;
        if (!headers.has(name)) headers.append(name, value);
      }
    }
    const auto: [string, string][] = [];
    if (!headers.has("host") && this.url.rawHost !== "") {
      auto.push(hostHeader(this.url));
    }
    if (
      !headers.has("content-length") && !headers.has("transfer-encoding") &&
      (this.method === "POST" || this.method === "PUT" ||
        this.method === "PATCH")
    ) {
      auto.push(["Content-Length", "0"]);
    }
    if (auto.length > 0) {
      this.headers = Headers.withAsciiPrepended(auto, headers);
    } else if (shared) {
      this.headers = new Headers(headers);
    }
  }

  /** The body. A `BytesStream` when it is held in memory. */
  get stream(): ByteStream {
    return this.#stream;
  }

  set stream(stream: ByteStream) {
    this.#stream = stream;
    this.#content = undefined;
  }

  /**
   * The body. Available at once for bodies held in memory; for a streamed
   * body, after {@linkcode Request.read}.
   *
   * @throws {RequestNotRead} For a streamed body not read yet.
   */
  get content(): Uint8Array {
    if (this.#content === undefined) {
      const stream = this.#stream;
      if (!(stream instanceof BytesStream)) throw new RequestNotRead();
      this.#content = stream.bytes;
    }
    return this.#content;
  }

  /**
   * Read the whole body. A streamed body is replaced by the bytes read, so
   * the request can be sent again (after a redirect or an auth challenge).
   *
   * @returns The body.
   */
  async read(): Promise<Uint8Array> {
    if (this.#content === undefined) {
      const stream = this.#stream;
      if (stream instanceof BytesStream) {
        this.#content = stream.bytes;
      } else {
        const chunks: Uint8Array[] = [];
        let total = 0;
        for await (const chunk of stream) {
          chunks.push(chunk);
          total += chunk.byteLength;
        }
        const content = chunks.length === 0
          ? new Uint8Array(0)
          : concatBytes(chunks, total);
        this.#stream = new BytesStream(content);
        this.#content = content;
      }
    }
    return this.#content;
  }

  /** `<Request('GET', 'https://example.org/')>`. */
  toString(): string {
    return `<Request('${this.method}', '${this.url}')>`;
  }

  /** Shown by `console.log` and `Deno.inspect`: the same as `toString()`. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}
