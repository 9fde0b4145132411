/**
 * The top-level functions: `request`, `get`, `head`, `options`, `delete`,
 * `post`, `put`, `patch` and `stream`, each with a throw-away `Client`.
 *
 * @module
 */

import type { Response } from "../models/response.ts";
import type { URL } from "../models/url.ts";
import {
  Client,
  type ClientOptions,
  type RequestBodyOptions,
  type RequestOptions,
} from "./client.ts";
import { BoundStream } from "./_bound_stream.ts";

/**
 * Options of the top-level functions: the request options plus the client
 * options HTTPX accepts there (`proxy`, `verify`, `cert`, `trustEnv`,
 * `http2`). `cookies` and `timeout` configure the throw-away client, so
 * cookies persist across its redirects. `transport` is not in HTTPX: it
 * lets tests send through a `MockTransport`.
 *
 * @example Cookies, a body and a mock transport for one call
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: `${request.headers.get("cookie")} ${request.content.length}`,
 *   })
 * );
 * const options: httpx.TopLevelOptions = {
 *   transport,
 *   cookies: { session: "abc" },
 *   json: { id: 1 },
 * };
 * const response = await httpx.post("https://example.org/items", options);
 * console.assert(response.text === "session=abc 8");
 * ```
 */
export interface TopLevelOptions extends RequestOptions {
  /** One proxy for the request. */
  proxy?: ClientOptions["proxy"];
  /** TLS verification. */
  verify?: ClientOptions["verify"];
  /** A client certificate. */
  cert?: ClientOptions["cert"];
  /** Read proxy and certificate settings from the environment (default `true`). */
  trustEnv?: boolean;
  /** Allow HTTP/2 (default `false`). */
  http2?: boolean;
  /** Send through this transport instead of a new `HTTPTransport`. */
  transport?: ClientOptions["transport"];
}

/**
 * Options of the top-level body-less functions.
 *
 * @example Query parameters and a timeout for a GET
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.url.params.get("q") })
 * );
 * const options: httpx.TopLevelNoBodyOptions = {
 *   transport,
 *   params: { q: "deno" },
 *   timeout: 10,
 * };
 * const response = await httpx.get("https://example.org/search", options);
 * console.assert(response.text === "deno");
 * ```
 */
export type TopLevelNoBodyOptions = Omit<
  TopLevelOptions,
  keyof RequestBodyOptions
>;

function split(
  options: TopLevelOptions,
): [ClientOptions, RequestOptions] {
  const {
    proxy,
    verify,
    cert,
    trustEnv,
    http2,
    transport,
    cookies,
    timeout,
    ...rest
  } = options;
  const client: ClientOptions = {};
  if (proxy !== undefined) client.proxy = proxy;
  if (verify !== undefined) client.verify = verify;
  if (cert !== undefined) client.cert = cert;
  if (trustEnv !== undefined) client.trustEnv = trustEnv;
  if (http2 !== undefined) client.http2 = http2;
  if (transport !== undefined) client.transport = transport;
  if (cookies !== undefined) client.cookies = cookies;
  if (timeout !== undefined) client.timeout = timeout;
  return [client, rest];
}

/**
 * Send one request with a throw-away client; the body is read and the
 * client closed before the promise resolves.
 *
 * @example Send a PUT with a mock transport
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(201, { text: request.method })
 * );
 * const response = await httpx.request("PUT", "https://example.org/", {
 *   transport,
 * });
 * console.assert(response.statusCode === 201 && response.text === "PUT");
 * ```
 *
 * @param method The HTTP method.
 * @param url The absolute URL.
 * @param options Request options, plus `proxy`, `verify`, `cert`, `trustEnv`, `http2`.
 */
export async function request(
  method: string,
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  const [clientOptions, requestOptions] = split(options);
  const client = new Client(clientOptions);
  try {
    return await client.request(method, url, requestOptions);
  } finally {
    await client.close();
  }
}

/**
 * Send one request and return before reading the body. Closing the
 * response also closes its throw-away client.
 *
 * @example Count the bytes of a streamed body
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(200, { content: new Uint8Array([1, 2, 3]) })
 * );
 * await using response = await httpx.stream("GET", "https://example.org/", {
 *   transport,
 * });
 * let total = 0;
 * for await (const chunk of response.iterBytes()) total += chunk.length;
 * console.assert(total === 3);
 * ```
 *
 * @param method The HTTP method.
 * @param url The absolute URL.
 * @param options As for {@linkcode request}.
 */
export async function stream(
  method: string,
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  const [clientOptions, requestOptions] = split(options);
  const client = new Client(clientOptions);
  let response: Response;
  try {
    response = await client.stream(method, url, requestOptions);
  } catch (error) {
    await client.close();
    throw error;
  }
  const body = response.stream;
  if (body instanceof BoundStream && !response.isClosed) {
    await body.onClose(() => client.close());
  } else {
    await client.close();
  }
  return response;
}

/**
 * Send a `GET` request with a throw-away client.
 *
 * @example Search with query parameters
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.url.params.get("q") ?? "" })
 * );
 * const response = await httpx.get("https://example.org/search", {
 *   params: { q: "deno" },
 *   transport,
 * });
 * console.assert(response.text === "deno");
 * ```
 */
export function get(
  url: string | URL,
  options: TopLevelNoBodyOptions = {},
): Promise<Response> {
  return request("GET", url, options);
}

/**
 * Send a `HEAD` request with a throw-away client.
 *
 * @example Check a resource without its body
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(() => new httpx.Response(204));
 * const response = await httpx.head("https://example.org/", { transport });
 * console.assert(response.statusCode === 204);
 * ```
 */
export function head(
  url: string | URL,
  options: TopLevelNoBodyOptions = {},
): Promise<Response> {
  return request("HEAD", url, options);
}

/**
 * Send an `OPTIONS` request with a throw-away client.
 *
 * @example Ask which methods are allowed
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(204, { headers: { Allow: "GET, POST" } })
 * );
 * const response = await httpx.options("https://example.org/", { transport });
 * console.assert(response.headers.get("allow") === "GET, POST");
 * ```
 */
export function options(
  url: string | URL,
  options: TopLevelNoBodyOptions = {},
): Promise<Response> {
  return request("OPTIONS", url, options);
}

/**
 * Send a `DELETE` request with a throw-away client.
 *
 * @example Delete a resource
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.method })
 * );
 * const response = await httpx.delete("https://example.org/1", { transport });
 * console.assert(response.text === "DELETE");
 * ```
 */
function deleteRequest(
  url: string | URL,
  options: TopLevelNoBodyOptions = {},
): Promise<Response> {
  return request("DELETE", url, options);
}
export { deleteRequest as delete };

/**
 * Send a `POST` request with a throw-away client.
 *
 * @example Post JSON
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(async (request) =>
 *   new httpx.Response(200, { content: await request.read() })
 * );
 * const response = await httpx.post("https://example.org/echo", {
 *   json: { a: 1 },
 *   transport,
 * });
 * console.assert(response.text === '{"a":1}');
 * ```
 */
export function post(
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  return request("POST", url, options);
}

/**
 * Send a `PUT` request with a throw-away client.
 *
 * @example Put raw content
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(async (request) =>
 *   new httpx.Response(200, { content: await request.read() })
 * );
 * const response = await httpx.put("https://example.org/", {
 *   content: "data",
 *   transport,
 * });
 * console.assert(response.text === "data");
 * ```
 */
export function put(
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  return request("PUT", url, options);
}

/**
 * Send a `PATCH` request with a throw-away client.
 *
 * @example Patch with form fields
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: request.headers.get("content-type") ?? "",
 *   })
 * );
 * const response = await httpx.patch("https://example.org/", {
 *   data: { a: "1" },
 *   transport,
 * });
 * console.assert(response.text === "application/x-www-form-urlencoded");
 * ```
 */
export function patch(
  url: string | URL,
  options: TopLevelOptions = {},
): Promise<Response> {
  return request("PATCH", url, options);
}
