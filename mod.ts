/**
 * HTTPX's API for Deno: a fully async HTTP client with its own HTTP/1.1,
 * HTTP/2 and connection pool, streaming, cookies, redirects with history,
 * Basic and Digest auth, timeouts (with a `total` deadline), proxies, and
 * mock and in-process app transports.
 *
 * Import the namespace: `URL`, `Request`, `Response`, `Headers` and `Proxy`
 * are HTTPX's classes and would otherwise shadow the web globals.
 *
 * @example Send a request through a mock transport
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { json: { path: request.url.path } })
 * );
 * await using client = new httpx.Client({
 *   transport,
 *   baseUrl: "https://api.example.org/v1/",
 * });
 * const response = await client.get("users", { params: { page: 2 } });
 * console.assert(response.statusCode === 200);
 * const url = response.url.toString();
 * console.assert(url === "https://api.example.org/v1/users?page=2");
 * console.assert(response.json<{ path: string }>().path === "/v1/users");
 * ```
 *
 * @module
 */

// Top-level functions.
export {
  delete,
  get,
  head,
  options,
  patch,
  post,
  put,
  request,
  stream,
} from "./src/client/api.ts";
export type {
  TopLevelNoBodyOptions,
  TopLevelOptions,
} from "./src/client/api.ts";

// Clients.
export { AsyncClient, Client } from "./src/client/client.ts";
export type {
  AuthTypes,
  BuildRequestOptions,
  CertTypes,
  ClientOptions,
  EventHooks,
  NoBodyRequestOptions,
  RequestBodyOptions,
  RequestHook,
  RequestOptions,
  ResponseHook,
  SendOptions,
  VerifyTypes,
} from "./src/client/client.ts";
export type { ClientFetch } from "./src/client/_fetch_facade.ts";

// Models.
export { URL } from "./src/models/url.ts";
export type { URLOptions } from "./src/models/url.ts";
export { QueryParams } from "./src/models/query_params.ts";
export type {
  PrimitiveData,
  QueryParamTypes,
} from "./src/models/query_params.ts";
export { Headers } from "./src/models/headers.ts";
export type {
  GetListOptions,
  HeaderTypes,
  HeaderValue,
} from "./src/models/headers.ts";
export { Request } from "./src/models/request.ts";
export type { RequestOptions as RequestInit } from "./src/models/request.ts";
export { Response } from "./src/models/response.ts";
export type {
  DefaultEncoding,
  ResponseOptions,
} from "./src/models/response.ts";
export { Cookies } from "./src/models/cookies.ts";
export type {
  CookieJar,
  CookieJarOptions,
  CookieOptions,
  CookieRecord,
  CookiesInit,
  CookieURL,
} from "./src/models/cookies.ts";
export type { Link } from "./src/models/_links.ts";
export { codes } from "./src/models/codes.ts";
export type { Codes } from "./src/models/codes.ts";

// Bodies.
export { BytesStream as ByteStream } from "./src/content/streams.ts";
export type {
  FileValue,
  RequestContent,
  RequestData,
  RequestFiles,
} from "./src/content/request_body.ts";
export type { PartHeaders } from "./src/content/multipart.ts";
export type { ContentSource, ContentStream } from "./src/content/streams.ts";
export type {
  ByteStream as AsyncByteStream,
  RequestExtensions,
  ResponseExtensions,
  TimeoutConfig,
  TraceCallback,
} from "./src/_types.ts";

// Configuration.
export { Timeout } from "./src/config/timeout.ts";
export type { TimeoutOptions, TimeoutTypes } from "./src/config/timeout.ts";
export { Limits } from "./src/config/limits.ts";
export type { LimitsOptions } from "./src/config/limits.ts";
export { Proxy } from "./src/config/proxy.ts";
export type { ProxyOptions } from "./src/config/proxy.ts";

// Authentication.
export { Auth, BasicAuth, FunctionAuth } from "./src/auth/auth.ts";
export type { AuthFlow } from "./src/auth/auth.ts";
export { DigestAuth } from "./src/auth/digest_auth.ts";
export { NetRCAuth } from "./src/auth/netrc_auth.ts";

// Transports.
export type {
  AsyncBaseTransport,
  BaseTransport,
} from "./src/transports/base.ts";
export { MockTransport } from "./src/transports/mock.ts";
export type { MockHandler } from "./src/transports/mock.ts";
export { AppTransport } from "./src/transports/app.ts";
export type {
  AppHandler,
  AppHandlerInfo,
  AppRemoteAddr,
  AppTransportOptions,
} from "./src/transports/app.ts";
export { AsyncHTTPTransport, HTTPTransport } from "./src/transports/http.ts";
export type { HTTPTransportOptions } from "./src/transports/http.ts";
export { FetchTransport } from "./src/transports/fetch.ts";
export type {
  FetchFunction,
  FetchTransportOptions,
} from "./src/transports/fetch.ts";
export type {
  ConnectOptions,
  NetworkBackend,
  NetworkStream,
  TlsOptions,
} from "./src/net/network.ts";

// Exceptions.
export {
  CloseError,
  ConnectError,
  ConnectTimeout,
  CookieConflict,
  DecodingError,
  HTTPError,
  HTTPStatusError,
  InvalidURL,
  LocalProtocolError,
  NetworkError,
  PoolTimeout,
  ProtocolError,
  ProxyError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  RequestError,
  RequestNotRead,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
  StreamError,
  TimeoutException,
  TooManyRedirects,
  TransportError,
  UnsupportedProtocol,
  WriteError,
  WriteTimeout,
} from "./src/errors.ts";
export type { HTTPErrorOptions, HTTPStatusErrorOptions } from "./src/errors.ts";
