/**
 * The network backend over Deno's sockets: `Deno.connect`, `Deno.startTls`
 * and (for client certificates) `Deno.connectTls`.
 *
 * Timeouts cost no timer per read or write: each stream keeps one timer,
 * armed for the earliest pending deadline and re-armed only when it fires
 * while an operation is still pending. When a deadline passes, the socket is
 * closed, which fails the pending operation, and the error raised is the
 * matching timeout.
 *
 * @module
 */

import { authority } from "./_authority.ts";
import {
  ConnectError,
  ConnectTimeout,
  ReadError,
  ReadTimeout,
  WriteError,
  WriteTimeout,
} from "../errors.ts";
import { abortError } from "../_abort.ts";
import type {
  ConnectOptions,
  NetworkBackend,
  NetworkStream,
  TlsOptions,
} from "./network.ts";

/** Size of the buffer each stream reads into (and of the largest read). */
const READ_BUFFER_SIZE = 64 * 1024;

function addrString(addr: Deno.Addr | undefined): string | null {
  // Connections from Deno.startTls report addresses without `transport`.
  const net = addr as Partial<Deno.NetAddr> | undefined;
  if (typeof net?.hostname === "string" && typeof net.port === "number") {
    return authority(net.hostname, net.port);
  }
  return null;
}

function isIpLiteral(host: string): boolean {
  return host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function seconds(value: number): string {
  return `${value} second${value === 1 ? "" : "s"}`;
}

/** Why a connect attempt was cut short. */
const TIMED_OUT = Symbol("timed out");

/**
 * Aborts when the connect timeout passes or the caller's signal aborts;
 * `reason` tells which.
 */
class ConnectDeadline {
  readonly controller: AbortController = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signal: AbortSignal | undefined;
  #onAbort = (): void => this.controller.abort(this.#signal?.reason);

  constructor(timeout: number | null, signal: AbortSignal | undefined) {
    this.#signal = signal;
    if (timeout !== null) {
      this.#timer = setTimeout(
        () => this.controller.abort(TIMED_OUT),
        Math.max(0, timeout * 1000),
      );
    }
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get timedOut(): boolean {
    return this.controller.signal.aborted &&
      this.controller.signal.reason === TIMED_OUT;
  }

  /** Resolve with `promise`, or reject as soon as the deadline aborts; a late result is closed. */
  race<T extends { close(): void }>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.then((value) => value.close(), () => {});
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        promise.then((value) => value.close(), () => {});
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          if (signal.aborted) value.close();
          else resolve(value);
        },
        (error) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }
}

/**
 * A {@linkcode NetworkBackend} over Deno's TCP and TLS sockets.
 *
 * TLS verification uses Deno's root store plus the given `caCerts`; the
 * server name sent as SNI and checked against the certificate is
 * `tls.serverName`, which may differ from the host connected to. Client
 * certificates (`tls.cert` / `tls.key`) need `Deno.connectTls`, which checks
 * the host connected to, so they cannot be combined with a different
 * server name.
 *
 * @example Open a TCP connection to a local server
 * ```ts ignore
 * const backend = new DenoBackend();
 * const stream = await backend.connect({ host: "127.0.0.1", port: 8080, timeout: 5 });
 * await stream.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 5);
 * const bytes = await stream.read(65536, 5);
 * stream.close();
 * ```
 */
export class DenoBackend implements NetworkBackend {
  /** Open a TCP connection, and TLS over it when `options.tls` is set. */
  async connect(options: ConnectOptions): Promise<NetworkStream> {
    const { host, port, timeout, tls, signal } = options;
    const where = authority(host, port);
    if (signal?.aborted) throw abortError(signal);
    const deadline = new ConnectDeadline(timeout, signal);
    let stage: "connect" | "tls" = "connect";
    try {
      const address = await this.#resolveFamily(
        host,
        options.localAddress,
        deadline,
      );
      if (tls !== undefined && tls.cert !== undefined) {
        stage = "tls";
        return await this.#connectTlsWithCert(address, port, tls, deadline);
      }
      const tcp = await deadline.race(
        Deno.connect({ hostname: address, port, signal: deadline.signal }),
      );
      try {
        tcp.setNoDelay(true);
      } catch {
        // Not fatal: Nagle stays on.
      }
      if (tls === undefined) return new DenoStream(tcp, tcp, null);
      stage = "tls";
      return await upgrade(tcp, tls, deadline);
    } catch (error) {
      if (error instanceof ConnectError) throw error;
      if (deadline.timedOut) {
        throw new ConnectTimeout(
          stage === "tls"
            ? `Timed out during the TLS handshake with ${where} after ${
              seconds(timeout ?? 0)
            }`
            : `Timed out connecting to ${where} after ${seconds(timeout ?? 0)}`,
          { cause: error },
        );
      }
      if (signal?.aborted) throw abortError(signal);
      throw new ConnectError(
        stage === "tls"
          ? `TLS handshake with ${where} failed: ${describe(error)}`
          : `Could not connect to ${where}: ${describe(error)}`,
        { cause: error },
      );
    } finally {
      deadline.dispose();
    }
  }

  /** Sleep for `seconds` (connect retry back-off). */
  sleep(seconds: number): Promise<void> {
    if (!(seconds > 0)) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }

  /** The address to connect to: `host`, or one of its addresses of the family `localAddress` asks for. */
  async #resolveFamily(
    host: string,
    localAddress: string | undefined,
    deadline: ConnectDeadline,
  ): Promise<string> {
    if (localAddress === undefined) return host;
    let type: "A" | "AAAA";
    if (localAddress === "0.0.0.0") type = "A";
    else if (localAddress === "::") type = "AAAA";
    else {
      throw new ConnectError(
        `Binding to local address ${localAddress} is not supported on Deno; use "0.0.0.0" (IPv4) or "::" (IPv6) to choose the address family`,
      );
    }
    if (isIpLiteral(host)) {
      if (host.includes(":") !== (type === "AAAA")) {
        throw new ConnectError(
          `Cannot connect to ${host} from local address ${localAddress}: the address families differ`,
        );
      }
      return host;
    }
    const addresses = await Deno.resolveDns(host, type, {
      signal: deadline.signal,
    });
    if (addresses.length === 0) {
      throw new ConnectError(
        `No ${type === "A" ? "IPv4" : "IPv6"} address found for ${host}`,
      );
    }
    return addresses[0];
  }

  async #connectTlsWithCert(
    address: string,
    port: number,
    tls: TlsOptions,
    deadline: ConnectDeadline,
  ): Promise<NetworkStream> {
    if (tls.serverName !== address) {
      throw new ConnectError(
        `A client certificate cannot be used with a TLS server name (${tls.serverName}) other than the address connected to (${address}) on Deno`,
      );
    }
    const conn = await deadline.race(Deno.connectTls({
      hostname: address,
      port,
      caCerts: tls.caCerts,
      alpnProtocols: tls.alpnProtocols,
      cert: tls.cert ?? "",
      key: tls.key ?? "",
    }));
    try {
      const info = await deadline.race(
        conn.handshake().then((info) => ({ info, close() {} })),
      );
      return new DenoStream(conn, null, info.info.alpnProtocol);
    } catch (error) {
      conn.close();
      throw error;
    }
  }
}

/** TLS over a connected TCP socket, honouring the deadline. */
async function upgrade(
  tcp: Deno.TcpConn,
  tls: TlsOptions,
  deadline: ConnectDeadline,
): Promise<DenoStream> {
  let conn: Deno.TlsConn;
  try {
    conn = await deadline.race(Deno.startTls(tcp, {
      hostname: tls.serverName,
      caCerts: tls.caCerts,
      alpnProtocols: tls.alpnProtocols,
    }));
  } catch (error) {
    try {
      tcp.close();
    } catch {
      // Already consumed by startTls.
    }
    throw error;
  }
  try {
    const info = await deadline.race(
      conn.handshake().then((info) => ({ info, close() {} })),
    );
    return new DenoStream(conn, null, info.info.alpnProtocol);
  } catch (error) {
    try {
      conn.close();
    } catch {
      // Closed already.
    }
    throw error;
  }
}

/** A TCP or TLS socket as a {@linkcode NetworkStream}. */
class DenoStream implements NetworkStream {
  readonly alpnProtocol: string | null;
  readonly remoteAddr: string | null;
  readonly localAddr: string | null;
  #conn: Deno.Conn;
  #tcp: Deno.TcpConn | null;
  #buffer = new Uint8Array(READ_BUFFER_SIZE);
  #closed = false;
  #consumed = false;
  // One timer for both directions, armed for the earliest deadline.
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #readDeadline = Infinity;
  #writeDeadline = Infinity;
  #timedOut: "read" | "write" | null = null;
  // The pending read's timeout (one read at a time), for its error message.
  #readTimeout: number | null = null;
  #onTimer = (): void => this.#checkDeadlines();

  constructor(
    conn: Deno.Conn,
    tcp: Deno.TcpConn | null,
    alpnProtocol: string | null,
  ) {
    this.#conn = conn;
    this.#tcp = tcp;
    this.alpnProtocol = alpnProtocol;
    this.remoteAddr = addrString(conn.remoteAddr);
    this.localAddr = addrString(conn.localAddr);
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  get #where(): string {
    return this.remoteAddr ?? "the server";
  }

  read(
    maxBytes: number,
    timeout: number | null,
  ): Promise<Uint8Array | null> {
    if (this.#closed) {
      return Promise.reject(
        new ReadError(`Cannot read from ${this.#where}: connection closed`),
      );
    }
    const buffer = maxBytes >= this.#buffer.length
      ? this.#buffer
      : this.#buffer.subarray(0, Math.max(1, maxBytes));
    if (timeout !== null) {
      this.#readDeadline = performance.now() + timeout * 1000;
      this.#arm(this.#readDeadline);
    }
    // One read at a time: its timeout is kept for the error message.
    this.#readTimeout = timeout;
    return this.#conn.read(buffer).then(this.#onRead, this.#onReadFailed);
  }

  /** Read into the caller's `buffer` (see `NetworkStream.readInto`). */
  readInto(buffer: Uint8Array, timeout: number | null): Promise<number | null> {
    if (this.#closed) {
      return Promise.reject(
        new ReadError(`Cannot read from ${this.#where}: connection closed`),
      );
    }
    if (timeout !== null) {
      this.#readDeadline = performance.now() + timeout * 1000;
      this.#arm(this.#readDeadline);
    }
    this.#readTimeout = timeout;
    return this.#conn.read(buffer).then(this.#onReadInto, this.#onReadFailed);
  }

  #onReadInto = (count: number | null): number | null => {
    this.#readDeadline = Infinity;
    if (count === null && (this.#timedOut !== null || this.#closed)) {
      throw this.#readFailure(null, this.#readTimeout);
    }
    return count;
  };

  #onRead = (count: number | null): Uint8Array | null => {
    this.#readDeadline = Infinity;
    if (count === null) {
      if (this.#timedOut !== null || this.#closed) {
        throw this.#readFailure(null, this.#readTimeout);
      }
      return null;
    }
    return this.#buffer.subarray(0, count);
  };

  #onReadFailed = (error: unknown): null => {
    this.#readDeadline = Infinity;
    if (error instanceof Deno.errors.UnexpectedEof) return null;
    throw this.#readFailure(error, this.#readTimeout);
  };

  async write(data: Uint8Array, timeout: number | null): Promise<void> {
    if (this.#closed) {
      throw new WriteError(`Cannot write to ${this.#where}: connection closed`);
    }
    if (timeout !== null) {
      this.#writeDeadline = performance.now() + timeout * 1000;
      this.#arm(this.#writeDeadline);
    }
    try {
      let offset = 0;
      while (offset < data.length) {
        offset += await this.#conn.write(data.subarray(offset));
      }
    } catch (error) {
      if (this.#timedOut === "write") {
        throw new WriteTimeout(
          `Timed out writing to ${this.#where} after ${seconds(timeout ?? 0)}`,
          { cause: error },
        );
      }
      throw new WriteError(
        `Writing to ${this.#where} failed: ${describe(error)}`,
        { cause: error },
      );
    } finally {
      this.#writeDeadline = Infinity;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#consumed) return;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or by Deno.
    }
  }

  async startTls(
    options: TlsOptions,
    timeout: number | null,
  ): Promise<NetworkStream> {
    const where = this.#where;
    if (this.#tcp === null || this.#closed) {
      throw new ConnectError(
        this.#closed
          ? `Cannot start TLS with ${where}: connection closed`
          : `Cannot start TLS with ${where}: TLS over TLS is not supported on Deno`,
      );
    }
    if (options.cert !== undefined) {
      throw new ConnectError(
        `Cannot start TLS with ${where}: Deno.startTls does not support client certificates`,
      );
    }
    const tcp = this.#tcp;
    this.#consumed = true;
    this.close();
    const deadline = new ConnectDeadline(timeout, undefined);
    try {
      return await upgrade(tcp, options, deadline);
    } catch (error) {
      if (deadline.timedOut) {
        throw new ConnectTimeout(
          `Timed out during the TLS handshake with ${where} after ${
            seconds(timeout ?? 0)
          }`,
          { cause: error },
        );
      }
      throw new ConnectError(
        `TLS handshake with ${where} failed: ${describe(error)}`,
        { cause: error },
      );
    } finally {
      deadline.dispose();
    }
  }

  #readFailure(error: unknown, timeout: number | null): Error {
    if (this.#timedOut === "read") {
      return new ReadTimeout(
        `Timed out reading from ${this.#where} after ${seconds(timeout ?? 0)}`,
        { cause: error ?? undefined },
      );
    }
    if (this.#closed) {
      return new ReadError(
        `Reading from ${this.#where} failed: connection closed`,
        { cause: error ?? undefined },
      );
    }
    return new ReadError(
      `Reading from ${this.#where} failed: ${describe(error)}`,
      { cause: error },
    );
  }

  /** Make sure the timer fires no later than `at`. */
  #arm(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    const timer = setTimeout(
      this.#onTimer,
      Math.max(0, at - performance.now()),
    );
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #checkDeadlines(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#closed) return;
    const now = performance.now();
    if (this.#readDeadline <= now || this.#writeDeadline <= now) {
      this.#timedOut = this.#readDeadline <= now ? "read" : "write";
      this.close();
      return;
    }
    const next = Math.min(this.#readDeadline, this.#writeDeadline);
    if (next !== Infinity) this.#arm(next);
  }
}
