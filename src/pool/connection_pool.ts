/**
 * The connection pool: hands each request a connection to its origin,
 * whatever protocol the connection speaks.
 *
 * Bookkeeping is O(1) per request: idle connections sit on a stack per
 * origin (the most recently used is reused first, expired ones are dropped
 * when met), and one insertion-ordered set of all idle connections finds the
 * oldest to close when over `maxKeepaliveConnections` idle connections, or
 * when the pool is full and another origin needs a slot. Requests that find
 * no connection wait in FIFO order. Assignment never awaits; I/O happens
 * around it.
 *
 * @module
 */

import { abortError } from "../_abort.ts";
import type { ByteStream } from "../_types.ts";
import {
  type BufferedBodyStream,
  readAllOf,
  takeBufferedOf,
} from "../content/streams.ts";
import { Limits } from "../config/limits.ts";
import {
  type Connection,
  ConnectionNotAvailable,
  type Origin,
} from "../connection/_interface.ts";
import {
  type ConnectionTlsSettings,
  HTTPConnection,
} from "../connection/http_connection.ts";
import { failedBeforeResponse } from "../connection/http11.ts";
import { PoolTimeout, TransportError, UnsupportedProtocol } from "../errors.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { DenoBackend } from "../net/deno_backend.ts";
import type { NetworkBackend } from "../net/network.ts";

/** Methods that may be sent again after failing on a reused connection. */
const IDEMPOTENT = new Set([
  "GET",
  "HEAD",
  "OPTIONS",
  "PUT",
  "DELETE",
  "TRACE",
]);

const DEFAULT_PORTS: Record<string, number> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
};

/** Options of {@linkcode ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Connection limits and keep-alive expiry (HTTPX's defaults). */
  limits?: Limits;
  /** Opens network streams (default: {@linkcode DenoBackend}). */
  backend?: NetworkBackend;
  /** TLS settings for `https`/`wss` connections. */
  tls?: ConnectionTlsSettings;
  /** Allow HTTP/1.1 (default `true`). */
  http1?: boolean;
  /** Allow HTTP/2 (default `false`). */
  http2?: boolean;
  /** Connect retries per new connection (default 0). */
  retries?: number;
  /** Local address (`"0.0.0.0"` for IPv4, `"::"` for IPv6). */
  localAddress?: string;
  /** Clock in seconds for keep-alive expiry (default `performance.now() / 1000`). */
  now?: () => number;
  /**
   * Makes a new, not yet connected, connection for `origin` (default: an
   * {@linkcode HTTPConnection}). Proxies and tests plug in here.
   */
  createConnection?: (origin: Origin) => Connection;
  /**
   * Maps every error the pool raises (from `handleRequest` and from the
   * response bodies it hands out) for the request it concerns; the
   * transport passes its mapping to `httpx` errors here, so the bodies need
   * no wrapper of their own. Identity by default.
   */
  mapError?: (error: unknown, request: Request) => unknown;
}

/** A connection with the pool's bookkeeping. */
interface Slot {
  readonly connection: Connection;
  readonly key: string;
  /** Requests currently using it. */
  active: number;
  /** Whether it sits in the idle structures. */
  idle: boolean;
  /** Whether it is in its origin's shared (multiplexing) set. */
  shared: boolean;
}

/** A request waiting for a connection. */
interface Waiter {
  readonly origin: Origin;
  readonly key: string;
  readonly fresh: boolean;
  resolve(slot: Slot): void;
  reject(error: unknown): void;
}

/** A connection assigned to a request, and the request already started on it. */
interface Assigned {
  slot: Slot;
  pending: Promise<Response>;
}

/** `scheme://host:port`. */
function originKey(origin: Origin): string {
  return `${origin.scheme}://${origin.host}:${origin.port}`;
}

/**
 * The origin of `request`, checking the scheme as httpcore does.
 *
 * @throws {UnsupportedProtocol} For a missing or unknown scheme.
 */
export function requestOrigin(request: Request): Origin {
  const url = request.url;
  const scheme = url.scheme;
  if (scheme === "") {
    throw new UnsupportedProtocol(
      "Request URL is missing an 'http://' or 'https://' protocol",
      { request },
    );
  }
  const defaultPort = DEFAULT_PORTS[scheme];
  if (defaultPort === undefined) {
    throw new UnsupportedProtocol(
      `Request URL has an unsupported protocol '${scheme}://'`,
      { request },
    );
  }
  const host = url.rawHost.toLowerCase();
  if (host === "") {
    throw new UnsupportedProtocol("Request URL is missing a host", {
      request,
    });
  }
  return { scheme, host, port: url.port ?? defaultPort };
}

function isReplayable(stream: ByteStream): boolean {
  return (stream as { replayable?: unknown }).replayable === true;
}

/** The pool's `#release`, for its response bodies. */
let releaseSlot: (pool: ConnectionPool, slot: Slot) => void;

/**
 * A pool of connections, shared by every request of a transport.
 *
 * `maxConnections` counts connecting, active and idle connections; at most
 * `maxKeepaliveConnections` *idle* ones are kept (the oldest is closed
 * beyond that), each for `keepaliveExpiry` seconds. When the pool is full,
 * a request waits (FIFO) up to `timeout.pool` seconds, or takes the slot of
 * an idle connection to another origin. An idempotent request that fails on
 * a reused connection before any response byte arrived is sent once more on
 * a new connection.
 *
 * @example
 * ```ts ignore
 * const pool = new ConnectionPool({ limits: new Limits({ maxConnections: 10 }) });
 * const response = await pool.handleRequest(new Request("GET", "http://127.0.0.1:8080/"));
 * await response.read();
 * await pool.close();
 * ```
 */
export class ConnectionPool {
  #options: ConnectionPoolOptions;
  #maxConnections: number;
  #maxIdle: number;
  #keepaliveExpiry: number | null;
  #now: () => number;
  #backend: NetworkBackend | undefined;
  #slots = new Map<Connection, Slot>();
  /** Idle connections per origin, most recently released last. */
  #idleByOrigin = new Map<string, Slot[]>();
  /** Every idle connection, oldest first. */
  #idleOrder = new Set<Slot>();
  /** Connections in use that can take more requests (HTTP/2). */
  #sharedByOrigin = new Map<string, Set<Slot>>();
  #sharedCount = 0;
  #waiters = new Set<Waiter>();
  #activeRequests = 0;
  #closed = false;
  #mapError: ((error: unknown, request: Request) => unknown) | undefined;

  /** @param options Limits, backend, TLS, protocols and retries. */
  constructor(options: ConnectionPoolOptions = {}) {
    this.#options = options;
    const limits = options.limits ?? new Limits();
    this.#maxConnections = limits.maxConnections ?? Infinity;
    this.#maxIdle = Math.min(
      limits.maxKeepaliveConnections ?? Infinity,
      this.#maxConnections,
    );
    this.#keepaliveExpiry = limits.keepaliveExpiry;
    this.#now = options.now ?? (() => performance.now() / 1000);
    this.#backend = options.backend;
    this.#mapError = options.mapError;
  }

  /** How many connections are open (connecting, active or idle). */
  get connectionCount(): number {
    return this.#slots.size;
  }

  /** How many connections are idle. */
  get idleCount(): number {
    return this.#idleOrder.size;
  }

  /** How many requests wait for a connection. */
  get queuedCount(): number {
    return this.#waiters.size;
  }

  /** How many requests hold a connection. */
  get activeCount(): number {
    return this.#activeRequests;
  }

  /** The connections, for inspection. */
  get connections(): Connection[] {
    return [...this.#slots.keys()];
  }

  /**
   * Send `request` on a pooled connection. The response's body stream
   * releases the connection when read to the end or closed.
   */
  handleRequest(request: Request): Promise<Response> {
    // The usual case without an async frame: a connection is free now, and
    // the request needs no retry.
    try {
      const origin = requestOrigin(request);
      if (this.#closed) {
        throw new TransportError("The connection pool is closed", { request });
      }
      const signal = request.extensions.signal;
      if (signal?.aborted) throw abortError(signal);
      const key = originKey(origin);
      const slot = this.#acquireNow(origin, key, false);
      if (slot === null) {
        return this.#handleRequest(request, origin, key, false, false);
      }
      return slot.connection.handleRequest(request).then(
        (response) => this.#bindBody(response, slot, request),
        (error) => this.#retryOrFail(error, slot, request, origin, key, false),
      );
    } catch (error) {
      return Promise.reject(this.#map(error, request));
    }
  }

  /** The request failed on `slot`: try another connection, or fail. */
  #retryOrFail(
    error: unknown,
    slot: Slot,
    request: Request,
    origin: Origin,
    key: string,
    retried: boolean,
  ): Promise<Response> {
    if (error instanceof ConnectionNotAvailable) {
      // Do not hand the same connection straight back.
      this.#unshare(slot);
      this.#release(slot, false);
      return this.#handleRequest(request, origin, key, false, retried);
    }
    this.#release(slot);
    if (
      !retried && !request.extensions.signal?.aborted &&
      IDEMPOTENT.has(request.method) && failedBeforeResponse(error) &&
      isReplayable(request.stream)
    ) {
      return this.#handleRequest(request, origin, key, true, true);
    }
    throw this.#map(error, request);
  }

  /** The response's body, bound to `slot` (released when it closes). */
  #bindBody(response: Response, slot: Slot, request: Request): Response {
    response.stream = new PooledStream(
      response.stream,
      this,
      slot,
      request.extensions.signal,
      this.#mapError,
      request,
    );
    return response;
  }

  #map(error: unknown, request: Request): unknown {
    return this.#mapError === undefined
      ? error
      : this.#mapError(error, request);
  }

  /** The general case: wait for a connection, retry as needed. */
  async #handleRequest(
    request: Request,
    origin: Origin,
    key: string,
    fresh: boolean,
    retried: boolean,
  ): Promise<Response> {
    try {
      const signal = request.extensions.signal;
      const poolTimeout = request.extensions.timeout?.pool ?? null;
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        // The request starts on its connection in the same step that
        // assigns it, so a multiplexing connection counts it before the
        // next assignment asks `isAvailable()`.
        const now = this.#acquireNow(origin, key, fresh);
        let slot: Slot;
        let pending: Promise<Response>;
        if (now !== null) {
          slot = now;
          pending = now.connection.handleRequest(request);
        } else {
          const assigned = await this.#wait(
            origin,
            key,
            fresh,
            poolTimeout,
            signal,
            request,
          );
          slot = assigned.slot;
          pending = assigned.pending;
        }
        let response: Response;
        try {
          response = await pending;
        } catch (error) {
          if (error instanceof ConnectionNotAvailable) {
            // Do not hand the same connection straight back.
            this.#unshare(slot);
            this.#release(slot, false);
            continue;
          }
          this.#release(slot);
          if (
            !retried && !signal?.aborted && IDEMPOTENT.has(request.method) &&
            failedBeforeResponse(error) && isReplayable(request.stream)
          ) {
            retried = true;
            fresh = true;
            continue;
          }
          throw error;
        }
        return this.#bindBody(response, slot, request);
      }
    } catch (error) {
      throw this.#map(error, request);
    }
  }

  static {
    releaseSlot = (pool, slot) => pool.#release(slot);
  }

  /** Close every connection and fail every waiting request. */
  close(): Promise<void> {
    this.#closed = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) {
      waiter.reject(
        new TransportError(
          "The connection pool was closed while waiting for a connection",
        ),
      );
    }
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    this.#idleByOrigin.clear();
    this.#idleOrder.clear();
    this.#sharedByOrigin.clear();
    this.#sharedCount = 0;
    for (const slot of slots) slot.connection.close();
    return Promise.resolve();
  }

  /** `Requests: 1 active, 0 queued | Connections: 1 active, 0 idle`. */
  info(): string {
    const idle = this.#idleOrder.size;
    return `Requests: ${this.#activeRequests} active, ${this.#waiters.size} queued | Connections: ${
      this.#slots.size - idle
    } active, ${idle} idle`;
  }

  /** `<ConnectionPool [Requests: … | Connections: …]>`. */
  toString(): string {
    return `<ConnectionPool [${this.info()}]>`;
  }

  // ---- assignment (synchronous) ----

  /** A connection for `origin` right now, or `null` when the request must wait. */
  #acquireNow(origin: Origin, key: string, fresh: boolean): Slot | null {
    // Requests already waiting go first; they can only be waiting when no
    // connection is free, so a newcomer would wait too.
    if (this.#waiters.size > 0 && this.#sharedCount === 0) return null;
    const slot = this.#assign(origin, key, fresh);
    if (slot !== null) this.#take(slot);
    return slot;
  }

  #assign(origin: Origin, key: string, fresh: boolean): Slot | null {
    if (!fresh) {
      const reusable = this.#checkoutShared(key) ?? this.#checkoutIdle(key);
      if (reusable !== null) return reusable;
    }
    if (this.#slots.size < this.#maxConnections) return this.#open(origin, key);
    // Full: give the slot of the oldest idle connection (another origin's,
    // or, for a fresh connection, possibly this one's) to this request.
    const oldest = this.#oldestIdle();
    if (oldest !== null) {
      this.#discard(oldest);
      return this.#open(origin, key);
    }
    return null;
  }

  #checkoutShared(key: string): Slot | null {
    const shared = this.#sharedByOrigin.get(key);
    if (shared === undefined) return null;
    for (const slot of shared) {
      if (slot.connection.isAvailable()) return slot;
      this.#unshare(slot);
      if (slot.connection.isClosed()) this.#discard(slot);
    }
    return null;
  }

  #checkoutIdle(key: string): Slot | null {
    const stack = this.#idleByOrigin.get(key);
    if (stack === undefined) return null;
    const now = this.#now();
    while (stack.length > 0) {
      const slot = stack.pop()!;
      slot.idle = false;
      this.#idleOrder.delete(slot);
      const connection = slot.connection;
      if (
        connection.isClosed() || connection.hasExpired(now) ||
        !connection.isAvailable()
      ) {
        this.#discard(slot);
        continue;
      }
      if (stack.length === 0) this.#idleByOrigin.delete(key);
      return slot;
    }
    this.#idleByOrigin.delete(key);
    return null;
  }

  #oldestIdle(): Slot | null {
    for (const slot of this.#idleOrder) return slot;
    return null;
  }

  #open(origin: Origin, key: string): Slot {
    const connection = this.#createConnection(origin);
    const slot: Slot = {
      connection,
      key,
      active: 0,
      idle: false,
      shared: false,
    };
    this.#slots.set(connection, slot);
    return slot;
  }

  #createConnection(origin: Origin): Connection {
    const options = this.#options;
    if (options.createConnection !== undefined) {
      return options.createConnection(origin);
    }
    this.#backend ??= new DenoBackend();
    return new HTTPConnection(origin, {
      backend: this.#backend,
      tls: options.tls,
      http1: options.http1,
      http2: options.http2,
      retries: options.retries,
      localAddress: options.localAddress,
      keepaliveExpiry: this.#keepaliveExpiry,
      now: this.#now,
    });
  }

  /** A request starts using `slot`. */
  #take(slot: Slot): void {
    slot.active++;
    this.#activeRequests++;
    // A connection that takes more requests while busy is shared (HTTP/2,
    // or a pending connection that may become HTTP/2).
    if (!slot.shared && slot.connection.isAvailable()) this.#share(slot);
  }

  #share(slot: Slot): void {
    let shared = this.#sharedByOrigin.get(slot.key);
    if (shared === undefined) {
      shared = new Set();
      this.#sharedByOrigin.set(slot.key, shared);
    }
    shared.add(slot);
    slot.shared = true;
    this.#sharedCount++;
  }

  /**
   * A request is done with `slot` (response finished, or it failed). A
   * busy connection that can take requests again (an HTTP/2 stream freed)
   * is shared again unless `reshare` is false.
   */
  #release(slot: Slot, reshare = true): void {
    slot.active--;
    this.#activeRequests--;
    if (!this.#slots.has(slot.connection)) return; // closed with the pool
    const connection = slot.connection;
    if (connection.isClosed()) {
      this.#discard(slot);
    } else if (slot.active === 0) {
      this.#unshare(slot);
      if (connection.isIdle() && connection.isAvailable()) {
        this.#makeIdle(slot);
      } else {
        // Unused yet not reusable (a body closed while still busy, say):
        // close it rather than hold its slot for ever.
        this.#discard(slot);
      }
    } else if (reshare && !slot.shared && connection.isAvailable()) {
      this.#share(slot);
    }
    this.#serveWaiters();
  }

  #makeIdle(slot: Slot): void {
    slot.idle = true;
    this.#idleOrder.add(slot);
    let stack = this.#idleByOrigin.get(slot.key);
    if (stack === undefined) {
      stack = [];
      this.#idleByOrigin.set(slot.key, stack);
    }
    stack.push(slot);
    while (this.#idleOrder.size > this.#maxIdle) {
      this.#discard(this.#oldestIdle()!);
    }
  }

  #unshare(slot: Slot): void {
    if (!slot.shared) return;
    slot.shared = false;
    this.#sharedCount--;
    const shared = this.#sharedByOrigin.get(slot.key);
    if (shared === undefined) return;
    shared.delete(slot);
    if (shared.size === 0) this.#sharedByOrigin.delete(slot.key);
  }

  /** Forget `slot` and close its connection. */
  #discard(slot: Slot): void {
    this.#slots.delete(slot.connection);
    this.#unshare(slot);
    if (slot.idle) {
      slot.idle = false;
      this.#idleOrder.delete(slot);
      const stack = this.#idleByOrigin.get(slot.key);
      if (stack !== undefined) {
        const index = stack.lastIndexOf(slot);
        if (index >= 0) stack.splice(index, 1);
        if (stack.length === 0) this.#idleByOrigin.delete(slot.key);
      }
    }
    slot.connection.close();
  }

  /** Hand free connections to waiting requests, oldest first. */
  #serveWaiters(): void {
    for (const waiter of this.#waiters) {
      const slot = this.#assign(waiter.origin, waiter.key, waiter.fresh);
      if (slot === null) {
        // Nothing free: later waiters can only use a shared connection.
        if (this.#sharedCount === 0) return;
        continue;
      }
      this.#waiters.delete(waiter);
      this.#take(slot);
      waiter.resolve(slot);
    }
  }

  /** Wait (FIFO) for a connection; the request starts on it when assigned. */
  #wait(
    origin: Origin,
    key: string,
    fresh: boolean,
    poolTimeout: number | null,
    signal: AbortSignal | undefined,
    request: Request,
  ): Promise<Assigned> {
    return new Promise<Assigned>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = (): void => {
        if (!this.#waiters.delete(waiter)) return;
        cleanup();
        reject(abortError(signal!));
      };
      const waiter: Waiter = {
        origin,
        key,
        fresh,
        resolve: (slot) => {
          cleanup();
          const pending = slot.connection.handleRequest(request);
          // Awaited by the request's own task, one turn later.
          pending.catch(() => {});
          resolve({ slot, pending });
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (poolTimeout !== null) {
        timer = setTimeout(() => {
          if (!this.#waiters.delete(waiter)) return;
          cleanup();
          reject(
            new PoolTimeout(
              `No connection was free in the pool within ${poolTimeout} second${
                poolTimeout === 1 ? "" : "s"
              }`,
            ),
          );
        }, poolTimeout * 1000);
      }
    });
  }
}

/**
 * A response body that gives its connection back to the pool when read to
 * the end, when closed, when reading fails, or when the request's signal
 * aborts. Its errors go through the pool's `mapError`.
 */
class PooledStream implements BufferedBodyStream {
  #inner: ByteStream;
  // `null` once the connection was given back.
  #pool: ConnectionPool | null;
  #slot: Slot;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #mapError: ((error: unknown, request: Request) => unknown) | undefined;
  #request: Request;

  constructor(
    inner: ByteStream,
    pool: ConnectionPool,
    slot: Slot,
    signal: AbortSignal | undefined,
    mapError: ((error: unknown, request: Request) => unknown) | undefined,
    request: Request,
  ) {
    this.#inner = inner;
    this.#pool = pool;
    this.#slot = slot;
    this.#signal = signal;
    this.#mapError = mapError;
    this.#request = request;
    if (signal !== undefined) {
      // The connection closes itself on abort; close the body too.
      const onAbort = (): void => void this.close().catch(() => {});
      this.#onAbort = onAbort;
      signal.addEventListener("abort", onAbort, { once: true });
    }
  }

  #map(error: unknown): unknown {
    return this.#mapError === undefined
      ? error
      : this.#mapError(error, this.#request);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const iterator = this.#inner[Symbol.asyncIterator]();
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        let result: IteratorResult<Uint8Array>;
        try {
          result = await iterator.next();
        } catch (error) {
          await this.close().catch(() => {});
          throw this.#map(error);
        }
        if (result.done) await this.close();
        return result;
      },
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        try {
          try {
            await iterator.return?.();
          } finally {
            await this.close();
          }
        } catch (error) {
          throw this.#map(error);
        }
        return { done: true, value: undefined };
      },
    };
  }

  /** The rest of the body at once (see `WholeBodyStream`), then release. */
  async readAll(): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await readAllOf(this.#inner);
    } catch (error) {
      await this.close().catch(() => {});
      throw this.#map(error);
    }
    await this.close();
    return bytes;
  }

  /** The rest of the body when buffered (see `BufferedBodyStream`), then release. */
  takeBuffered(): Uint8Array | undefined {
    if (this.#pool === null) return undefined;
    let bytes: Uint8Array | undefined;
    try {
      bytes = takeBufferedOf(this.#inner);
    } catch (error) {
      // The inner stream is closed by then; give the connection back.
      this.#release();
      throw this.#map(error);
    }
    if (bytes !== undefined) this.#release();
    return bytes;
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    if (pool === null) return;
    this.#pool = null;
    this.#unlisten();
    try {
      await this.#inner.close?.();
    } catch (error) {
      throw this.#map(error);
    } finally {
      releaseSlot(pool, this.#slot);
    }
  }

  #release(): void {
    const pool = this.#pool;
    if (pool === null) return;
    this.#pool = null;
    this.#unlisten();
    releaseSlot(pool, this.#slot);
  }

  #unlisten(): void {
    if (this.#onAbort !== undefined) {
      this.#signal?.removeEventListener("abort", this.#onAbort);
      this.#onAbort = undefined;
    }
  }
}
