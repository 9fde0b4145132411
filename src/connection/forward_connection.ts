/**
 * Forwarding through an HTTP proxy, for `http://` targets: each request
 * goes to the proxy with the absolute URL as its target.
 *
 * @module
 */

import { ProxyError } from "../errors.ts";
import { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { urlNetloc } from "../models/url.ts";
import type { NetworkStream } from "../net/network.ts";
import type { Connection, Origin } from "./_interface.ts";
import {
  connectToProxy,
  defaultConnectionFactory,
  HandshakeContext,
  ProxiedConnection,
  type ProxyConnectionOptions,
  type StreamConnectionFactory,
} from "./_proxy_shared.ts";

/**
 * The headers of a forwarded request: the proxy headers whose names the
 * request does not have, then the request's own.
 *
 * @param proxyHeaders Headers for the proxy (`Proxy-Authorization` first).
 * @param requestHeaders The request's headers in wire order.
 */
export function forwardHeaders(
  proxyHeaders: ReadonlyArray<readonly [string, string]>,
  requestHeaders: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const names = new Set(requestHeaders.map(([name]) => name.toLowerCase()));
  const headers: Array<[string, string]> = [];
  for (const [name, value] of proxyHeaders) {
    if (!names.has(name.toLowerCase())) headers.push([name, value]);
  }
  for (const [name, value] of requestHeaders) headers.push([name, value]);
  return headers;
}

/**
 * The absolute-form request target for a request sent to a forward proxy:
 * `http://host[:port]` and the path and query (or the `target` extension).
 * Userinfo and fragment are never included.
 *
 * @param request The request to forward.
 */
export function absoluteTarget(request: Request): string {
  const url = request.url;
  return `${url.scheme}://${urlNetloc(url)}${
    request.extensions.target ?? url.rawPath
  }`;
}

/**
 * A connection to an HTTP proxy that forwards requests for one `http://`
 * origin: `GET http://example.org/path HTTP/1.1`, with the proxy headers
 * (`Proxy-Authorization` among them) merged in as httpcore merges them. The
 * connection to the proxy is HTTP/1.1 (TLS for an `https://` proxy) and is
 * kept alive and reused like any other. A `407` answer raises `ProxyError`.
 *
 * Trace events: `connection.connect_tcp`, `connection.start_tls` (an
 * `https://` proxy), then the `http11.*` events of each request.
 */
export class ForwardHTTPConnection extends ProxiedConnection {
  #options: ProxyConnectionOptions;
  #factory: StreamConnectionFactory;

  /**
   * No I/O happens until the first request.
   *
   * @param origin The target origin (scheme `http`).
   * @param options The proxy and the network backend.
   */
  constructor(origin: Origin, options: ProxyConnectionOptions) {
    super(origin);
    this.#options = options;
    this.#factory = defaultConnectionFactory({
      ...options,
      createConnection: undefined,
    });
  }

  /** `ForwardHTTPConnection`. */
  protected get kind(): string {
    return "ForwardHTTPConnection";
  }

  /** Connect to the proxy. */
  protected async establish(
    request: Request,
    track: (stream: NetworkStream) => void,
  ): Promise<Connection> {
    const context = new HandshakeContext(request);
    try {
      context.throwIfAborted();
      const stream = await connectToProxy(
        context,
        this.#options,
        "connection",
        track,
      );
      const proxy = this.#options.proxy;
      return this.#factory({
        scheme: proxy.scheme,
        host: proxy.host,
        port: proxy.port,
      }, stream);
    } catch (error) {
      throw context.mapError(error, "connecting to the proxy");
    } finally {
      context.dispose();
    }
  }

  /** Rewrite the request for the proxy and send it. */
  protected override async send(
    inner: Connection,
    request: Request,
  ): Promise<Response> {
    const proxied = new Request(request.method, request.url, {
      headers: forwardHeaders(
        this.#options.proxy.headers,
        request.headers.wireItems(),
      ),
      stream: request.stream,
      extensions: { ...request.extensions, target: absoluteTarget(request) },
    });
    const response = await inner.handleRequest(proxied);
    if (response.statusCode === 407) {
      const reason = response.extensions.reasonPhrase ??
        "Proxy Authentication Required";
      await response.stream.close?.();
      throw new ProxyError(`407 ${reason}`.trimEnd(), { request });
    }
    return response;
  }
}
