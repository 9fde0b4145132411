/**
 * What the proxy connections share: resolved proxy settings, the handshake
 * context (one connect-timeout budget, cancellation, trace), a stream that
 * replays bytes read ahead, and the base class that connects on the first
 * request and then hands every request to the HTTP connection inside.
 *
 * @module
 */

import { PrefixedStream } from "../net/prefixed_stream.ts";
import { authority } from "../net/_authority.ts";
import type { TraceCallback } from "../_types.ts";
import { abortError } from "../_abort.ts";
import { traced } from "../_trace.ts";
import { basicAuthHeader } from "../auth/auth.ts";
import type { Proxy } from "../config/proxy.ts";
import { ConnectTimeout, ReadTimeout, WriteTimeout } from "../errors.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import type {
  NetworkBackend,
  NetworkStream,
  TlsOptions,
} from "../net/network.ts";
import {
  type Connection,
  ConnectionNotAvailable,
  type Origin,
} from "./_interface.ts";
import { HTTP11Connection } from "./http11.ts";

/** A proxy as the connections use it: where it is and what it is sent. */
export interface ProxySettings {
  /** `"http"`, `"https"`, `"socks5"` or `"socks5h"`. */
  readonly scheme: string;
  /** Host name or IP literal (no brackets). */
  readonly host: string;
  /** Port, default filled in (80, 443 or 1080). */
  readonly port: number;
  /** Credentials, or `null`. */
  readonly auth: readonly [username: string, password: string] | null;
  /**
   * Headers for an HTTP proxy: `Proxy-Authorization` (from `auth`) first,
   * then the proxy's own headers.
   */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

const PROXY_PORTS: Record<string, number> = {
  http: 80,
  https: 443,
  socks5: 1080,
  socks5h: 1080,
};

/**
 * The settings for a {@linkcode Proxy}: default port filled in and the
 * `Proxy-Authorization` header built from its credentials (unless its
 * headers carry one already).
 *
 * @param proxy The proxy configuration.
 */
export function proxySettings(proxy: Proxy): ProxySettings {
  const url = proxy.url;
  const scheme = url.scheme;
  const headers: Array<[string, string]> = [];
  if (
    proxy.auth !== null && (scheme === "http" || scheme === "https") &&
    !proxy.headers.has("proxy-authorization")
  ) {
    headers.push([
      "Proxy-Authorization",
      basicAuthHeader(proxy.auth[0], proxy.auth[1]),
    ]);
  }
  headers.push(...proxy.headers.wireItems());
  return {
    scheme,
    host: url.rawHost.toLowerCase(),
    port: url.port ?? PROXY_PORTS[scheme] ?? 80,
    auth: proxy.auth,
    headers,
  };
}

/** Builds the HTTP connection that runs over an established stream. */
export type StreamConnectionFactory = (
  origin: Origin,
  stream: NetworkStream,
) => Connection;

/** TLS settings for the origin (inside a tunnel) or for an `https://` proxy. */
export interface ProxyTlsSettings {
  /** PEM CA certificates to trust instead of the system store. */
  caCerts?: string[];
  /** PEM client certificate chain (origin only). */
  cert?: string;
  /** PEM private key for `cert`. */
  key?: string;
}

/** Options every proxy connection takes. */
export interface ProxyConnectionOptions {
  /** The proxy. */
  proxy: ProxySettings;
  /** Opens the TCP connection to the proxy. */
  backend: NetworkBackend;
  /** TLS to the origin (`https://` targets). */
  tls?: ProxyTlsSettings;
  /** TLS to an `https://` proxy. */
  proxyTls?: ProxyTlsSettings;
  /**
   * ALPN offered to the origin inside a tunnel: `["h2", "http/1.1"]` when
   * HTTP/2 is enabled (and `createConnection` can speak it), else
   * `["http/1.1"]` (the default).
   */
  alpnProtocols?: string[];
  /**
   * Builds the HTTP connection over the established stream (HTTP/1.1 or,
   * by the stream's ALPN, HTTP/2). Defaults to an `HTTP11Connection`.
   */
  createConnection?: StreamConnectionFactory;
  /** Keep-alive expiry for the default `HTTP11Connection`. */
  keepaliveExpiry?: number | null;
  /** Clock of the default `HTTP11Connection`, in seconds. */
  now?: () => number;
  /** Local address to bind (`"0.0.0.0"` or `"::"`). */
  localAddress?: string;
}

/** The default factory: HTTP/1.1 over the stream. */
export function defaultConnectionFactory(
  options: ProxyConnectionOptions,
): StreamConnectionFactory {
  if (options.createConnection !== undefined) return options.createConnection;
  const init = { keepaliveExpiry: options.keepaliveExpiry, now: options.now };
  return (origin, stream) => new HTTP11Connection(origin, stream, init);
}

/** Whether a target scheme needs TLS with the origin. */
export function needsTls(scheme: string): boolean {
  return scheme === "https" || scheme === "wss";
}

function seconds(value: number): string {
  return `${value} second${value === 1 ? "" : "s"}`;
}

/**
 * One proxy handshake: the connect timeout as a single budget for every
 * step (TCP connect, CONNECT exchange or SOCKS5 negotiation, TLS), the
 * request's signal, which closes the stream being set up, and its trace hook.
 */
export class HandshakeContext {
  /** The request's trace hook. */
  readonly trace: TraceCallback | undefined;
  /** The request's signal. */
  readonly signal: AbortSignal | undefined;
  /** The connect timeout in seconds, `null` for none. */
  readonly timeout: number | null;
  #now: () => number;
  #deadline: number;
  #stream: NetworkStream | null = null;
  #onAbort = (): void => this.#stream?.close();

  /**
   * @param request The request that opens the connection.
   * @param now The clock, in milliseconds.
   */
  constructor(
    request: Request,
    now: () => number = () => performance.now(),
  ) {
    const extensions = request.extensions;
    this.trace = extensions.trace;
    this.signal = extensions.signal;
    this.timeout = extensions.timeout?.connect ?? null;
    this.#now = now;
    this.#deadline = this.timeout === null
      ? Infinity
      : now() + this.timeout * 1000;
    this.signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Seconds left of the budget (`null`: no limit). */
  remaining(): number | null {
    if (this.#deadline === Infinity) return null;
    const left = (this.#deadline - this.#now()) / 1000;
    if (left <= 0) throw this.#timedOut("connecting through the proxy");
    return left;
  }

  /** The stream being set up, closed if the signal aborts. */
  track(stream: NetworkStream): void {
    this.#stream = stream;
    if (this.signal?.aborted) stream.close();
  }

  /** Raise the abort error if the signal aborted. */
  throwIfAborted(): void {
    if (this.signal?.aborted) throw abortError(this.signal);
  }

  /** Read with the remaining budget as the timeout. */
  async read(
    stream: NetworkStream,
    what: string,
  ): Promise<Uint8Array | null> {
    try {
      return await stream.read(65536, this.remaining());
    } catch (error) {
      throw this.mapError(error, what);
    }
  }

  /** Write with the remaining budget as the timeout. */
  async write(
    stream: NetworkStream,
    data: Uint8Array,
    what: string,
  ): Promise<void> {
    try {
      await stream.write(data, this.remaining());
    } catch (error) {
      throw this.mapError(error, what);
    }
  }

  /** Upgrade to TLS within the remaining budget. */
  async startTls(
    stream: NetworkStream,
    options: TlsOptions,
  ): Promise<NetworkStream> {
    try {
      const upgraded = await stream.startTls(options, this.remaining());
      this.track(upgraded);
      return upgraded;
    } catch (error) {
      throw this.mapError(
        error,
        `the TLS handshake with ${options.serverName}`,
      );
    }
  }

  /**
   * The error to raise for `error`: the abort error when the signal
   * aborted, `ConnectTimeout` for a read or write timeout (their timeout was
   * the connect budget), else `error` itself.
   */
  mapError(error: unknown, what: string): unknown {
    if (this.signal?.aborted) return abortError(this.signal);
    if (error instanceof ReadTimeout || error instanceof WriteTimeout) {
      return this.#timedOut(what, error);
    }
    return error;
  }

  /** Stop watching the signal. */
  dispose(): void {
    this.signal?.removeEventListener("abort", this.#onAbort);
    this.#stream = null;
  }

  #timedOut(what: string, cause?: unknown): ConnectTimeout {
    return new ConnectTimeout(
      `Timed out during ${what} after ${seconds(this.timeout ?? 0)}`,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** Trace around a step, with the same names and payloads as httpcore. */
export function tracedStep<T>(
  context: HandshakeContext,
  name: string,
  info: Record<string, unknown>,
  fn: () => Promise<T>,
): Promise<T> {
  return traced(context.trace, name, info, fn);
}

type ProxiedState = "NEW" | "CONNECTING" | "CONNECTED" | "FAILED" | "CLOSED";

/**
 * A connection through a proxy: it connects (and runs the proxy handshake)
 * on its first request, then hands each request to the HTTP connection
 * built over the resulting stream. To the pool it is a connection like any
 * other, serving one origin.
 */
export abstract class ProxiedConnection implements Connection {
  /** The origin this connection serves (the target, not the proxy). */
  readonly origin: Origin;
  #state: ProxiedState = "NEW";
  #inner: Connection | null = null;
  #pending: NetworkStream | null = null;

  /**
   * @param origin The target origin.
   */
  constructor(origin: Origin) {
    this.origin = origin;
  }

  /**
   * Connect and run the handshake; return the HTTP connection to use.
   * Streams opened on the way are passed to `track`, so that `close()`
   * during the handshake closes them.
   */
  protected abstract establish(
    request: Request,
    track: (stream: NetworkStream) => void,
  ): Promise<Connection>;

  /** Send `request` on the established connection. */
  protected send(inner: Connection, request: Request): Promise<Response> {
    return inner.handleRequest(request);
  }

  /** The class name shown by `toString()`. */
  protected abstract get kind(): string;

  /** The HTTP connection inside, once established. */
  get connection(): Connection | null {
    return this.#inner;
  }

  /**
   * Send a request, connecting first when this is the first one.
   *
   * @throws {ConnectionNotAvailable} While another request is connecting
   * it, or after it closed.
   */
  async handleRequest(request: Request): Promise<Response> {
    const inner = this.#inner;
    if (inner !== null) return await this.send(inner, request);
    if (this.#state !== "NEW") throw new ConnectionNotAvailable();
    this.#state = "CONNECTING";
    let established: Connection;
    try {
      established = await this.establish(request, (stream) => {
        this.#pending = stream;
        if (this.#state === "CLOSED") stream.close();
      });
    } catch (error) {
      this.#pending?.close();
      this.#pending = null;
      if (this.#state === "CONNECTING") this.#state = "FAILED";
      throw error;
    }
    this.#pending = null;
    // close() may have run while the handshake was under way.
    if ((this.#state as ProxiedState) === "CLOSED") {
      established.close();
      throw new ConnectionNotAvailable();
    }
    this.#state = "CONNECTED";
    this.#inner = established;
    return await this.send(established, request);
  }

  /** Close the connection, or the stream being set up; idempotent. */
  close(): void {
    if (this.#state === "CLOSED") return;
    this.#state = "CLOSED";
    this.#pending?.close();
    this.#pending = null;
    this.#inner?.close();
  }

  /** Whether this connection serves `origin`. */
  canHandleRequest(origin: Origin): boolean {
    const own = this.origin;
    return origin.scheme === own.scheme && origin.host === own.host &&
      origin.port === own.port;
  }

  /** Whether a request could be sent on it now (never while connecting). */
  isAvailable(): boolean {
    return this.#state === "CONNECTED" && this.#inner!.isAvailable();
  }

  /** Whether it failed, closed, or the connection inside expired. */
  hasExpired(now: number): boolean {
    if (this.#state === "FAILED" || this.#state === "CLOSED") return true;
    return this.#inner?.hasExpired(now) ?? false;
  }

  /** Whether no request is in flight on the connection inside. */
  isIdle(): boolean {
    return this.#inner?.isIdle() ?? false;
  }

  /** Whether it failed or closed. */
  isClosed(): boolean {
    if (this.#state === "FAILED" || this.#state === "CLOSED") return true;
    return this.#inner?.isClosed() ?? false;
  }

  /** The inner connection's HTTP version, `null` while connecting. */
  get httpVersion(): string | null {
    return this.#inner?.httpVersion ?? null;
  }

  /** httpcore's one-line description. */
  info(): string {
    const inner = this.#inner;
    if (inner !== null) return inner.info();
    const o = this.origin;
    const where = `'${o.scheme}://${authority(o.host, o.port)}'`;
    const state = this.#state === "FAILED"
      ? "CONNECTION FAILED"
      : this.#state === "CLOSED"
      ? "CLOSED"
      : "CONNECTING";
    return `${where}, ${state}`;
  }

  /** `<TunnelHTTPConnection [...]>`-style text. */
  toString(): string {
    return `<${this.kind} [${this.info()}]>`;
  }
}

/** What tells one kind of tunnel apart: its name, trace events and errors. */
export interface TunnelSteps {
  /** The class name `toString()` shows. */
  readonly kind: string;
  /** Prefix of the `connect_tcp` trace event. */
  readonly connectPrefix: "connection" | "socks";
  /** Trace event of the TLS handshake with the origin. */
  readonly startTlsEvent: string;
  /** The handshake, as timeout messages name it. */
  readonly handshake: string;
  /** The error for bytes the proxy sent before the origin's TLS handshake. */
  readonly earlyData: () => Error;
}

/**
 * A connection through a tunnel to the origin (HTTP CONNECT or SOCKS5): on
 * its first request it connects to the proxy, runs the proxy handshake
 * ({@linkcode TunnelledConnection.openTunnel}), then, for TLS targets, TLS
 * with the origin over the tunnel (SNI: the `sniHostname` extension or the
 * origin host; ALPN as configured). Every step shares the connect timeout.
 */
export abstract class TunnelledConnection extends ProxiedConnection {
  #options: ProxyConnectionOptions;
  #steps: TunnelSteps;
  #factory: StreamConnectionFactory;

  /**
   * No I/O happens until the first request.
   *
   * @param origin The target origin.
   * @param options The proxy, the network backend, TLS and ALPN settings.
   * @param steps Trace names and errors of this kind of tunnel.
   */
  constructor(
    origin: Origin,
    options: ProxyConnectionOptions,
    steps: TunnelSteps,
  ) {
    super(origin);
    this.#options = options;
    this.#steps = steps;
    this.#factory = defaultConnectionFactory(options);
  }

  /** The class name from the steps. */
  protected get kind(): string {
    return this.#steps.kind;
  }

  /** The proxy. */
  protected get proxy(): ProxySettings {
    return this.#options.proxy;
  }

  /**
   * Run the proxy handshake over `stream`; the bytes read past its end.
   *
   * @param context The handshake's budget, signal and trace.
   * @param stream The stream to the proxy.
   * @param request The request that opens the connection.
   */
  protected abstract openTunnel(
    context: HandshakeContext,
    stream: NetworkStream,
    request: Request,
  ): Promise<Uint8Array>;

  /** Connect, open the tunnel, then TLS with the origin for TLS targets. */
  protected async establish(
    request: Request,
    track: (stream: NetworkStream) => void,
  ): Promise<Connection> {
    const origin = this.origin;
    const options = this.#options;
    const steps = this.#steps;
    const context = new HandshakeContext(request);
    try {
      context.throwIfAborted();
      let stream = await connectToProxy(
        context,
        options,
        steps.connectPrefix,
        track,
      );
      const leftover = await this.openTunnel(context, stream, request);
      if (needsTls(origin.scheme)) {
        if (leftover.length > 0) throw steps.earlyData();
        const serverName = request.extensions.sniHostname ?? origin.host;
        const tlsOptions = originTls(options, serverName);
        stream = await traced(context.trace, steps.startTlsEvent, {
          server_hostname: serverName,
          alpn_protocols: tlsOptions.alpnProtocols,
          timeout: context.remaining(),
        }, () => context.startTls(stream, tlsOptions));
        track(stream);
      } else if (leftover.length > 0) {
        stream = new PrefixedStream(stream, leftover);
        track(stream);
      }
      context.throwIfAborted();
      return this.#factory(origin, stream);
    } catch (error) {
      throw context.mapError(error, steps.handshake);
    } finally {
      context.dispose();
    }
  }
}

/**
 * Open the TCP connection to the proxy (and TLS, for an `https://` proxy),
 * traced as `<prefix>.connect_tcp` (and `<prefix>.start_tls`).
 */
export async function connectToProxy(
  context: HandshakeContext,
  options: ProxyConnectionOptions,
  prefix: "connection" | "socks",
  track: (stream: NetworkStream) => void,
): Promise<NetworkStream> {
  const { proxy, backend } = options;
  const timeout = context.remaining();
  let stream: NetworkStream;
  try {
    stream = await tracedStep(context, `${prefix}.connect_tcp`, {
      host: proxy.host,
      port: proxy.port,
      local_address: options.localAddress ?? null,
      timeout,
    }, () =>
      backend.connect({
        host: proxy.host,
        port: proxy.port,
        timeout,
        localAddress: options.localAddress,
        signal: context.signal,
      }));
  } catch (error) {
    throw context.mapError(error, `connecting to the proxy`);
  }
  context.track(stream);
  track(stream);
  if (proxy.scheme !== "https") return stream;
  const tls: TlsOptions = {
    serverName: proxy.host,
    alpnProtocols: ["http/1.1"],
  };
  if (options.proxyTls?.caCerts !== undefined) {
    tls.caCerts = options.proxyTls.caCerts;
  }
  const upgraded = await tracedStep(context, "connection.start_tls", {
    server_hostname: proxy.host,
    timeout: context.remaining(),
  }, () => context.startTls(stream, tls));
  track(upgraded);
  return upgraded;
}

/** TLS settings for the origin, with its server name and ALPN list. */
export function originTls(
  options: ProxyConnectionOptions,
  serverName: string,
): TlsOptions {
  const tls: TlsOptions = {
    serverName,
    alpnProtocols: options.alpnProtocols ?? ["http/1.1"],
  };
  const given = options.tls;
  if (given?.caCerts !== undefined) tls.caCerts = given.caCerts;
  if (given?.cert !== undefined) tls.cert = given.cert;
  if (given?.key !== undefined) tls.key = given.key;
  return tls;
}
