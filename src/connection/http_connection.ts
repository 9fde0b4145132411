/**
 * A pooled connection that connects on its first request (TCP, then TLS
 * for `https`/`wss`), picks the protocol and hands requests to it.
 *
 * @module
 */

import { abortError } from "../_abort.ts";
import { traced } from "../_trace.ts";
import type { TraceCallback } from "../_types.ts";
import {
  ConnectError,
  ConnectTimeout,
  HTTPError,
  RemoteProtocolError,
  UnsupportedProtocol,
} from "../errors.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import type { NetworkBackend, NetworkStream } from "../net/network.ts";
import {
  type Connection,
  ConnectionNotAvailable,
  type Origin,
} from "./_interface.ts";
import { HTTP11Connection } from "./http11.ts";
import { HTTP2Connection } from "./http2.ts";

/** TLS settings shared by every connection of a pool. */
export interface ConnectionTlsSettings {
  /** PEM CA certificates to trust besides the system store. */
  caCerts?: string[];
  /** PEM client certificate chain. */
  cert?: string;
  /** PEM private key of `cert`. */
  key?: string;
}

/** Options of {@linkcode HTTPConnection}. */
export interface HTTPConnectionOptions {
  /** Opens the network stream. */
  backend: NetworkBackend;
  /** TLS settings for `https` and `wss`. */
  tls?: ConnectionTlsSettings;
  /** Allow HTTP/1.1 (default `true`). */
  http1?: boolean;
  /** Allow HTTP/2 (default `false`). */
  http2?: boolean;
  /** Connect attempts to retry after a `ConnectError`/`ConnectTimeout` (default 0). */
  retries?: number;
  /** Local address: `"0.0.0.0"` forces IPv4, `"::"` IPv6. */
  localAddress?: string;
  /** Seconds an idle connection stays reusable (`null`: no limit). */
  keepaliveExpiry?: number | null;
  /** The clock `hasExpired(now)` compares with, in seconds. */
  now?: () => number;
}

/** Delay before the n-th retry (0-based): 0, 0.5, 1, 2, 4 … seconds. */
export function retryDelay(attempt: number): number {
  return attempt === 0 ? 0 : 0.5 * 2 ** (attempt - 1);
}

/**
 * A connection to one origin, created by the pool before it is connected
 * (`CONNECTING`). Its first `handleRequest` opens the stream, retrying
 * connect failures `retries` times, and then delegates to an
 * {@linkcode HTTP11Connection} (or, once it exists, an HTTP/2 connection
 * when ALPN picks `"h2"`). A failed connect leaves it closed
 * (`CONNECTION FAILED`).
 */
export class HTTPConnection implements Connection {
  /** The origin this connection serves. */
  readonly origin: Origin;
  #options: HTTPConnectionOptions;
  #connection: Connection | null = null;
  #connecting: Promise<void> | null = null;
  #connectFailed = false;
  #closed = false;
  #abort = new AbortController();

  /**
   * A connection that will connect on its first request.
   *
   * @param origin Where it connects.
   * @param options Backend, TLS, protocols, retries.
   */
  constructor(origin: Origin, options: HTTPConnectionOptions) {
    this.origin = origin;
    this.#options = options;
  }

  /** `"HTTP/1.1"`, `"HTTP/2"`, or `null` until connected. */
  get httpVersion(): string | null {
    return this.#connection?.httpVersion ?? null;
  }

  /** The protocol connection, once connected. */
  get connection(): Connection | null {
    return this.#connection;
  }

  /**
   * Connect if not yet connected, then send `request`.
   *
   * @throws {ConnectionNotAvailable} When connecting already, failed, or
   * the protocol connection is busy.
   */
  handleRequest(request: Request): Promise<Response> {
    const connection = this.#connection;
    if (connection === null) return this.#connectAndHandle(request);
    // Connected: hand the request over without another async frame.
    try {
      if (!connection.isAvailable()) throw new ConnectionNotAvailable();
      return connection.handleRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The first request (or one that shares a pending HTTP/2 connection). */
  async #connectAndHandle(request: Request): Promise<Response> {
    if (this.#connection === null) {
      if (this.#connectFailed || this.#closed) {
        throw new ConnectionNotAvailable();
      }
      const pending = this.#connecting;
      if (pending !== null) {
        // Only reached when HTTP/2 may be negotiated (the pool shares a
        // pending connection only then): wait, then share it or give up.
        if (!this.#mayNegotiateHttp2()) throw new ConnectionNotAvailable();
        await pending.catch(() => {});
        const connection = this.#connection as Connection | null;
        if (connection === null || !connection.isAvailable()) {
          throw new ConnectionNotAvailable();
        }
        return await connection.handleRequest(request);
      }
      const connecting = this.#open(request);
      this.#connecting = connecting;
      try {
        await connecting;
      } finally {
        this.#connecting = null;
      }
    } else if (!this.#connection.isAvailable()) {
      throw new ConnectionNotAvailable();
    }
    return await this.#connection!.handleRequest(request);
  }

  /** Connect and set up the protocol connection. */
  async #open(request: Request): Promise<void> {
    let stream: NetworkStream;
    try {
      stream = await this.#connect(request);
    } catch (error) {
      this.#connectFailed = true;
      throw error;
    }
    if (this.#closed) {
      stream.close();
      this.#connectFailed = true;
      throw new ConnectionNotAvailable();
    }
    try {
      this.#connection = this.#protocolConnection(stream);
    } catch (error) {
      stream.close();
      this.#connectFailed = true;
      throw error;
    }
  }

  /** Close now (aborting a connect in progress); idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort(
      new ConnectError("The connection was closed while connecting"),
    );
    this.#connection?.close();
  }

  /** Whether this connection serves `origin`. */
  canHandleRequest(origin: Origin): boolean {
    return origin.scheme === this.origin.scheme &&
      origin.host === this.origin.host && origin.port === this.origin.port;
  }

  /**
   * Whether a request could be sent on it now. Before it is connected,
   * only when HTTP/2 may be negotiated (its requests can share it).
   */
  isAvailable(): boolean {
    if (this.#connection !== null) return this.#connection.isAvailable();
    if (this.#connectFailed || this.#closed) return false;
    return this.#mayNegotiateHttp2();
  }

  /** Whether it expired, or failed to connect. */
  hasExpired(now: number): boolean {
    if (this.#connection !== null) return this.#connection.hasExpired(now);
    return this.#connectFailed || this.#closed;
  }

  /** Whether no request is in flight (a failed connection counts as idle). */
  isIdle(): boolean {
    if (this.#connection !== null) return this.#connection.isIdle();
    return this.#connectFailed || this.#closed;
  }

  /** Whether it is closed, or failed to connect. */
  isClosed(): boolean {
    if (this.#connection !== null) return this.#connection.isClosed();
    return this.#connectFailed || this.#closed;
  }

  /** The protocol connection's info, or `CONNECTING` / `CONNECTION FAILED`. */
  info(): string {
    if (this.#connection !== null) return this.#connection.info();
    return this.#connectFailed || this.#closed
      ? "CONNECTION FAILED"
      : "CONNECTING";
  }

  /** `<HTTPConnection [...]>`. */
  toString(): string {
    return `<HTTPConnection [${this.info()}]>`;
  }

  #isTls(): boolean {
    return this.origin.scheme === "https" || this.origin.scheme === "wss";
  }

  #mayNegotiateHttp2(): boolean {
    const { http1 = true, http2 = false } = this.#options;
    return http2 && (this.#isTls() || !http1);
  }

  #alpnProtocols(): string[] {
    const { http1 = true, http2 = false } = this.#options;
    const protocols: string[] = [];
    if (http2) protocols.push("h2");
    if (http1 || protocols.length === 0) protocols.push("http/1.1");
    return protocols;
  }

  #protocolConnection(stream: NetworkStream): Connection {
    const { http1 = true, http2 = false } = this.#options;
    const priorKnowledge = !this.#isTls() && http2 && !http1;
    if (stream.alpnProtocol === "h2" && !http2) {
      throw new RemoteProtocolError(
        "The server chose HTTP/2 by ALPN, but HTTP/2 was not offered",
      );
    }
    if (stream.alpnProtocol === "h2" || priorKnowledge) {
      return new HTTP2Connection(this.origin, stream, {
        keepaliveExpiry: this.#options.keepaliveExpiry ?? null,
        now: this.#options.now,
      });
    }
    if (!http1) {
      throw new UnsupportedProtocol(
        "HTTP/1.1 is disabled and the server did not negotiate HTTP/2",
      );
    }
    return new HTTP11Connection(this.origin, stream, {
      keepaliveExpiry: this.#options.keepaliveExpiry ?? null,
      now: this.#options.now,
    });
  }

  /** Open the stream, retrying connect failures with back-off. */
  async #connect(request: Request): Promise<NetworkStream> {
    const { backend, retries = 0 } = this.#options;
    const extensions = request.extensions;
    const trace = extensions.trace;
    const signal = extensions.signal === undefined
      ? this.#abort.signal
      : AbortSignal.any([extensions.signal, this.#abort.signal]);
    let attempt = 0;
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      try {
        return await this.#connectOnce(request, signal, trace);
      } catch (error) {
        if (
          attempt >= retries || signal.aborted ||
          !(error instanceof ConnectError || error instanceof ConnectTimeout)
        ) {
          throw error;
        }
        const delay = retryDelay(attempt);
        attempt++;
        await traced(
          trace,
          "connection.retry",
          { exception: error, attempt, delay },
          () => abortable(backend.sleep(delay), signal),
        );
      }
    }
  }

  async #connectOnce(
    request: Request,
    signal: AbortSignal,
    trace: TraceCallback | undefined,
  ): Promise<NetworkStream> {
    const { backend, tls = {}, localAddress } = this.#options;
    const timeout = request.extensions.timeout?.connect ?? null;
    const { host, port } = this.origin;
    const tlsOptions = this.#isTls()
      ? {
        serverName: request.extensions.sniHostname ?? host,
        caCerts: tls.caCerts,
        cert: tls.cert,
        key: tls.key,
        alpnProtocols: this.#alpnProtocols(),
      }
      : undefined;
    const info = {
      host,
      port,
      local_address: localAddress ?? null,
      timeout,
    };
    if (tlsOptions !== undefined && tlsOptions.cert !== undefined) {
      // Deno's startTls takes no client certificate: connect and handshake
      // in one call (reported as connect_tcp).
      return await traced(
        trace,
        "connection.connect_tcp",
        info,
        () =>
          mapUnknown(
            backend.connect({
              host,
              port,
              timeout,
              localAddress,
              tls: tlsOptions,
              signal,
            }),
            signal,
          ),
      );
    }
    const tcp = await traced(
      trace,
      "connection.connect_tcp",
      info,
      () =>
        mapUnknown(
          backend.connect({ host, port, timeout, localAddress, signal }),
          signal,
        ),
    );
    if (tlsOptions === undefined) return tcp;
    try {
      return await traced(
        trace,
        "connection.start_tls",
        { server_hostname: tlsOptions.serverName, timeout },
        () => mapUnknown(tcp.startTls(tlsOptions, timeout), signal, true),
      );
    } catch (error) {
      tcp.close();
      throw error;
    }
  }
}

/**
 * `promise`, rejecting at once when `signal` aborts (the late result of a
 * stream-producing promise is closed).
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    closeLate(promise);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      closeLate(promise);
      reject(abortError(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function closeLate(promise: Promise<unknown>): void {
  promise.then((value) => {
    if (
      typeof value === "object" && value !== null &&
      typeof (value as { close?: unknown }).close === "function"
    ) {
      (value as { close(): void }).close();
    }
  }, () => {});
}

/**
 * Wait for a connect step; abort raises the signal's error, and anything
 * that is not an `httpx` error becomes a `ConnectError`.
 */
async function mapUnknown<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  raceAbort = false,
): Promise<T> {
  try {
    return await (raceAbort ? abortable(promise, signal) : promise);
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    if (error instanceof HTTPError) throw error;
    throw new ConnectError(
      error instanceof Error ? error.message : String(error),
      { cause: error },
    );
  }
}
