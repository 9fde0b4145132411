/**
 * `HTTPTransport`: the default transport, sending over this project's own
 * HTTP/1.1 connections and connection pool on Deno's sockets.
 *
 * @module
 */

import { Limits } from "../config/limits.ts";
import type { Proxy } from "../config/proxy.ts";
import {
  ConnectError,
  HTTPError,
  InvalidURL,
  ReadError,
  StreamError,
  TimeoutException,
  TransportError,
  WriteError,
} from "../errors.ts";
import type { URL } from "../models/url.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { proxyConnectionFactory } from "../connection/proxy_connection.ts";
import { caCertsFromEnv } from "../net/_tls.ts";
import type { NetworkBackend } from "../net/network.ts";
import { ConnectionPool } from "../pool/connection_pool.ts";
import type { BaseTransport } from "./base.ts";

/**
 * Options of {@linkcode HTTPTransport}.
 *
 * @example HTTP/2, a small pool and connect retries
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.HTTPTransportOptions = {
 *   http2: true,
 *   limits: new httpx.Limits({ maxConnections: 4 }),
 *   retries: 2,
 * };
 * const transport = new httpx.HTTPTransport(options);
 * await using client = new httpx.Client({ transport });
 * console.assert(client.transport === transport);
 * ```
 */
export interface HTTPTransportOptions {
  /**
   * Verify server certificates (default `true`), or trust these PEM CA
   * certificates besides the system store. `false` is not possible on Deno.
   */
  verify?: boolean | { caCerts: string[] };
  /** A client certificate chain and its private key, both PEM. */
  cert?: { cert: string; key: string };
  /** Allow HTTP/1.1 (default `true`). */
  http1?: boolean;
  /** Allow HTTP/2 (default `false`). */
  http2?: boolean;
  /** Pool limits (HTTPX's defaults: 100 connections, 20 idle, 5 s). */
  limits?: Limits;
  /**
   * A proxy for every request: `http://` / `https://` (forwarding for
   * `http://` targets, CONNECT tunnels for the others) or `socks5://` /
   * `socks5h://`.
   */
  proxy?: string | URL | Proxy | null;
  /** Read `SSL_CERT_FILE` / `SSL_CERT_DIR` (default `true`), where permitted. */
  trustEnv?: boolean;
  /** Retries of a failed connect, with back-off 0, 0.5, 1, 2 … s (default 0). */
  retries?: number;
  /** Local address: `"0.0.0.0"` forces IPv4, `"::"` IPv6. */
  localAddress?: string;
  /**
   * The network backend: Deno's sockets by default. Pass a
   * {@linkcode NetworkBackend} to script or wrap connections, as tests do.
   */
  backend?: NetworkBackend;
}

/**
 * The default transport: HTTP/1.1 over `Deno.connect` / `Deno.startTls`,
 * with a connection pool (`limits`), connect `retries`, `verify` and `cert`.
 *
 * `verify: false` raises an error: Deno cannot skip certificate checks per
 * connection. Pass `verify: { caCerts: [pem] }` with the server's CA, or run
 * Deno with `--unsafely-ignore-certificate-errors`.
 *
 * @example Limits and retries for a client
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.HTTPTransport({
 *   limits: new httpx.Limits({ maxConnections: 10 }),
 *   retries: 2,
 * });
 * await using client = new httpx.Client({ transport });
 * console.assert(client.transport === transport);
 * ```
 */
export class HTTPTransport implements BaseTransport {
  /** The proxy given, or `null`. */
  readonly proxy: string | URL | Proxy | null;
  #pool: ConnectionPool;

  /**
   * Build a transport with its own connection pool.
   *
   * @param options TLS, protocols, limits, retries and backend.
   * @throws {TypeError} For `verify: false` or a malformed `verify` / `cert`.
   */
  constructor(options: HTTPTransportOptions = {}) {
    const verify = options.verify ?? true;
    if (verify === false) {
      throw new TypeError(
        "verify: false is not supported on Deno, which cannot skip certificate checks per connection: pass verify: { caCerts: [pem] } with the server's CA certificate, or run Deno with --unsafely-ignore-certificate-errors",
      );
    }
    let caCerts: string[] | undefined;
    if (verify === true) {
      if (options.trustEnv ?? true) caCerts = caCertsFromEnv() ?? undefined;
    } else {
      if (!Array.isArray(verify.caCerts)) {
        throw new TypeError(
          "verify must be true or { caCerts: string[] } (PEM certificates)",
        );
      }
      caCerts = verify.caCerts;
    }
    if (
      options.cert !== undefined &&
      (typeof options.cert.cert !== "string" ||
        typeof options.cert.key !== "string")
    ) {
      throw new TypeError("cert must be { cert: string, key: string } (PEM)");
    }
    this.proxy = options.proxy ?? null;
    const tls = { caCerts, cert: options.cert?.cert, key: options.cert?.key };
    // [proxies, issue 5] Proxy connections are built per target origin.
    const createConnection = this.proxy === null
      ? undefined
      : proxyConnectionFactory(this.proxy, {
        backend: options.backend,
        tls,
        http1: options.http1 ?? true,
        http2: options.http2 ?? false,
        keepaliveExpiry: (options.limits ?? new Limits()).keepaliveExpiry,
        localAddress: options.localAddress,
      });
    this.#pool = new ConnectionPool({
      limits: options.limits ?? new Limits(),
      backend: options.backend,
      tls: {
        caCerts,
        cert: options.cert?.cert,
        key: options.cert?.key,
      },
      http1: options.http1 ?? true,
      http2: options.http2 ?? false,
      retries: options.retries ?? 0,
      localAddress: options.localAddress,
      createConnection,
      // Errors from the pool and from its response bodies become `httpx`
      // errors there, so the bodies need no wrapper here.
      mapError: toHttpxError,
    });
  }

  /**
   * The connection pool, for inspection.
   *
   * @ignore
   */
  get pool(): ConnectionPool {
    return this.#pool;
  }

  /**
   * Send `request`; the response body streams from the connection. Errors,
   * from sending and from the body, are `httpx` errors.
   */
  handleRequest(request: Request): Promise<Response> {
    return this.#pool.handleRequest(request);
  }

  /** Close every pooled connection. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** `<HTTPTransport [Requests: … | Connections: …]>`. */
  toString(): string {
    return `<HTTPTransport [${this.#pool.info()}]>`;
  }
}

/**
 * HTTPX's name for the async transport; the same class.
 *
 * @example The same class under HTTPX's async name
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.AsyncHTTPTransport({ retries: 1 });
 * console.assert(transport instanceof httpx.HTTPTransport);
 * await using client = new httpx.AsyncClient({ transport });
 * console.assert(client.transport === transport);
 * ```
 */
export const AsyncHTTPTransport: typeof HTTPTransport = HTTPTransport;
/** HTTPX's name for the async transport; the same class. */
export type AsyncHTTPTransport = HTTPTransport;

/** `error` when it is an `httpx` error already, else the closest one, with `error` as its cause. */
function toHttpxError(error: unknown, request: Request): unknown {
  if (
    error instanceof HTTPError || error instanceof StreamError ||
    error instanceof InvalidURL
  ) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error, request };
  if (error instanceof Deno.errors.TimedOut) {
    return new TimeoutException(message, options);
  }
  if (
    error instanceof Deno.errors.ConnectionRefused ||
    error instanceof Deno.errors.AddrNotAvailable ||
    error instanceof Deno.errors.NotConnected
  ) {
    return new ConnectError(message, options);
  }
  if (
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.UnexpectedEof ||
    error instanceof Deno.errors.Interrupted ||
    error instanceof Deno.errors.BadResource
  ) {
    return new ReadError(message, options);
  }
  if (error instanceof Deno.errors.BrokenPipe) {
    return new WriteError(message, options);
  }
  return new TransportError(message, options);
}
