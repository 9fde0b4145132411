/**
 * Picks the proxy connection for an origin: forwarding for `http://`
 * targets through an HTTP proxy, a CONNECT tunnel for the other schemes,
 * and SOCKS5 for `socks5://` / `socks5h://` proxies. The pool calls the
 * factory for each new connection, as it would build an `HTTPConnection`.
 *
 * @module
 */

import { Proxy } from "../config/proxy.ts";
import { UnsupportedProtocol } from "../errors.ts";
import type { URL } from "../models/url.ts";
import { DenoBackend } from "../net/deno_backend.ts";
import type { NetworkBackend } from "../net/network.ts";
import type { Connection, Origin } from "./_interface.ts";
import {
  needsTls,
  type ProxyConnectionOptions,
  proxySettings,
  type ProxyTlsSettings,
  type StreamConnectionFactory,
} from "./_proxy_shared.ts";
import { ForwardHTTPConnection } from "./forward_connection.ts";
import { HTTP11Connection } from "./http11.ts";
import { HTTP2Connection } from "./http2.ts";
import { SOCKSConnection } from "./socks_connection.ts";
import { TunnelHTTPConnection } from "./tunnel_connection.ts";

/** Options of {@linkcode proxyConnectionFactory}. */
export interface ProxyFactoryOptions {
  /** Opens TCP connections (default: Deno's sockets). */
  backend?: NetworkBackend;
  /** TLS to the origin; its `caCerts` are trusted for an `https://` proxy too. */
  tls?: ProxyTlsSettings;
  /** Allow HTTP/1.1 with the origin (default `true`). */
  http1?: boolean;
  /** Allow HTTP/2 with the origin, inside a tunnel (default `false`). */
  http2?: boolean;
  /** Seconds an idle connection stays reusable (`null`: no limit). */
  keepaliveExpiry?: number | null;
  /** The clock connections compare expiry with, in seconds. */
  now?: () => number;
  /** Local address: `"0.0.0.0"` forces IPv4, `"::"` IPv6. */
  localAddress?: string;
}

/**
 * The ALPN list offered to the origin: `"h2"` when HTTP/2 is allowed,
 * `"http/1.1"` when HTTP/1.1 is (or when nothing else would be offered).
 */
export function alpnProtocols(http1: boolean, http2: boolean): string[] {
  const protocols: string[] = [];
  if (http2) protocols.push("h2");
  if (http1 || protocols.length === 0) protocols.push("http/1.1");
  return protocols;
}

/**
 * Builds HTTP/2 over a stream whose ALPN said `"h2"` (or in cleartext with
 * HTTP/2 only: prior knowledge), else HTTP/1.1.
 */
export function streamConnectionFactory(
  options: ProxyFactoryOptions,
): StreamConnectionFactory {
  const { http1 = true, http2 = false } = options;
  const init = {
    keepaliveExpiry: options.keepaliveExpiry ?? null,
    now: options.now,
  };
  return (origin: Origin, stream) => {
    const priorKnowledge = !needsTls(origin.scheme) && http2 && !http1;
    if ((http2 && stream.alpnProtocol === "h2") || priorKnowledge) {
      return new HTTP2Connection(origin, stream, init);
    }
    if (!http1) {
      throw new UnsupportedProtocol(
        "HTTP/1.1 is disabled and the server did not negotiate HTTP/2",
      );
    }
    return new HTTP11Connection(origin, stream, init);
  };
}

/**
 * The proxy as a {@linkcode Proxy}: strings and URLs are parsed (the
 * scheme is checked there).
 */
export function toProxy(proxy: string | URL | Proxy): Proxy {
  return proxy instanceof Proxy ? proxy : new Proxy(proxy);
}

/**
 * A factory of connections through `proxy`, one per target origin:
 * `ForwardHTTPConnection` for `http://` targets through an HTTP(S) proxy,
 * `TunnelHTTPConnection` for `https://`, `ws://` and `wss://` targets,
 * `SOCKSConnection` for every target through a SOCKS5 proxy.
 *
 * @param proxy The proxy.
 * @param options Backend, TLS, protocols and keep-alive.
 */
export function proxyConnectionFactory(
  proxy: string | URL | Proxy,
  options: ProxyFactoryOptions = {},
): (origin: Origin) => Connection {
  const settings = proxySettings(toProxy(proxy));
  const http1 = options.http1 ?? true;
  const http2 = options.http2 ?? false;
  const shared: ProxyConnectionOptions = {
    proxy: settings,
    backend: options.backend ?? new DenoBackend(),
    alpnProtocols: alpnProtocols(http1, http2),
    createConnection: streamConnectionFactory(options),
    keepaliveExpiry: options.keepaliveExpiry ?? null,
  };
  if (options.tls !== undefined) shared.tls = options.tls;
  if (options.tls?.caCerts !== undefined) {
    shared.proxyTls = { caCerts: options.tls.caCerts };
  }
  if (options.now !== undefined) shared.now = options.now;
  if (options.localAddress !== undefined) {
    shared.localAddress = options.localAddress;
  }
  const socks = settings.scheme === "socks5" || settings.scheme === "socks5h";
  return (origin: Origin): Connection => {
    if (socks) return new SOCKSConnection(origin, shared);
    if (origin.scheme === "http") {
      return new ForwardHTTPConnection(origin, shared);
    }
    return new TunnelHTTPConnection(origin, shared);
  };
}
