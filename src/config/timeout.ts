/**
 * The `Timeout` configuration.
 *
 * @module
 */

import type { TimeoutConfig } from "../_types.ts";

/**
 * The five timeouts, in seconds; `null` disables one.
 *
 * @example What a transport receives
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { json: request.extensions.timeout })
 * );
 * const timeout: httpx.TimeoutOptions = { connect: 2, read: 10, total: 30 };
 * await using client = new httpx.Client({ transport, timeout });
 * const seen = (await client.get("https://example.org/")).json<
 *   httpx.TimeoutConfig
 * >();
 * console.assert(seen.connect === 2 && seen.read === 10 && seen.write === 5);
 * console.assert(client.timeout.total === 30);
 * ```
 */
export interface TimeoutOptions {
  /** TCP connect and TLS handshake. */
  connect?: number | null;
  /** Each read from the network, also between body chunks. */
  read?: number | null;
  /** Each write to the network. */
  write?: number | null;
  /** Waiting for a free connection in the pool. */
  pool?: number | null;
  /**
   * A deadline for the whole call: redirects, auth round trips and reading
   * the body. Not in HTTPX. Default `null` (no deadline).
   */
  total?: number | null;
}

/**
 * Anything accepted where a timeout is configured: seconds for all four,
 * `null`, a `Timeout`, the fields, or HTTPX's `[connect, read, write?,
 * pool?]` tuple (missing entries are `null`, no timeout).
 *
 * @example Every way to say "read within 10 seconds"
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const values: httpx.TimeoutTypes[] = [
 *   10,
 *   [5, 10],
 *   { read: 10 },
 *   new httpx.Timeout(10),
 * ];
 * for (const value of values) {
 *   console.assert(httpx.Timeout.from(value).read === 10);
 * }
 * console.assert(httpx.Timeout.from(null).read === null);
 * ```
 */
export type TimeoutTypes =
  | number
  | null
  | Timeout
  | TimeoutOptions
  | readonly [
    connect: number | null,
    read: number | null,
    write?: number | null,
    pool?: number | null,
  ];

/** The default for each of connect, read, write and pool: 5 seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 5;

function check(name: string, value: number | null | undefined): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new TypeError(
      `Timeout ${name} must be a non-negative number of seconds or null, got ${
        String(value)
      }`,
    );
  }
}

/**
 * Timeouts in seconds, as in HTTPX, plus a `total` deadline.
 *
 * `new Timeout(5)` sets connect, read, write and pool to 5 s;
 * `new Timeout(10, { connect: 60 })` overrides one of them;
 * `new Timeout({ connect: 1, read: 2 })` leaves the rest at the 5 s default;
 * `new Timeout([1, 2])` is HTTPX's tuple form (connect 1, read 2, write and
 * pool `null`).
 *
 * @example One default with an override
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const timeout = new httpx.Timeout(10, { connect: 60 });
 * console.assert(timeout.connect === 60 && timeout.read === 10);
 * console.assert(timeout.total === null);
 * ```
 */
export class Timeout {
  /** TCP connect and TLS handshake. */
  readonly connect: number | null;
  /** Each read from the network. */
  readonly read: number | null;
  /** Each write to the network. */
  readonly write: number | null;
  /** Waiting for a connection from the pool. */
  readonly pool: number | null;
  /** Deadline for the whole call, or `null`. */
  readonly total: number | null;

  /**
   * Build the configuration.
   *
   * @param timeout A default for all four, a `Timeout` to copy, the fields,
   *   or a `[connect, read, write?, pool?]` tuple.
   * @param options Fields that override the default.
   */
  constructor(
    timeout: TimeoutTypes = DEFAULT_TIMEOUT_SECONDS,
    options: TimeoutOptions = {},
  ) {
    let base: TimeoutOptions;
    if (timeout instanceof Timeout) {
      base = timeout;
    } else if (Array.isArray(timeout)) {
      const tuple = timeout as readonly (number | null | undefined)[];
      if (tuple.length < 2 || tuple.length > 4) {
        throw new TypeError(
          `A timeout tuple must have 2 to 4 entries, got ${tuple.length}`,
        );
      }
      base = {
        connect: tuple[0],
        read: tuple[1],
        write: tuple[2] ?? null,
        pool: tuple[3] ?? null,
      };
    } else if (timeout === null || typeof timeout === "number") {
      base = {
        connect: timeout,
        read: timeout,
        write: timeout,
        pool: timeout,
      };
    } else if (typeof timeout === "object") {
      const d = DEFAULT_TIMEOUT_SECONDS;
      base = {
        connect: d,
        read: d,
        write: d,
        pool: d,
        ...stripUndefined(timeout as TimeoutOptions),
      };
    } else {
      throw new TypeError(
        `Timeout must be a number of seconds, null, a Timeout or an object, got ${typeof timeout}`,
      );
    }
    const merged = { ...base, ...stripUndefined(options) };
    for (const key of ["connect", "read", "write", "pool", "total"] as const) {
      check(key, merged[key]);
    }
    this.connect = merged.connect ?? null;
    this.read = merged.read ?? null;
    this.write = merged.write ?? null;
    this.pool = merged.pool ?? null;
    this.total = merged.total ?? null;
  }

  /**
   * Turn any accepted timeout value into a `Timeout` (a `Timeout` is returned as is).
   *
   * @example Seconds or null
   * ```ts
   * import * as httpx from "jsr:@x/httpx";
   * console.assert(httpx.Timeout.from(2).read === 2);
   * console.assert(httpx.Timeout.from(null).connect === null);
   * ```
   */
  static from(value: TimeoutTypes): Timeout {
    return value instanceof Timeout ? value : new Timeout(value);
  }

  /** The four per-operation timeouts as transports receive them. */
  asExtension(): TimeoutConfig {
    return {
      connect: this.connect,
      read: this.read,
      write: this.write,
      pool: this.pool,
    };
  }

  /** Whether both have the same five values. */
  equals(other: unknown): boolean {
    return other instanceof Timeout && other.connect === this.connect &&
      other.read === this.read && other.write === this.write &&
      other.pool === this.pool && other.total === this.total;
  }

  /** `Timeout(timeout=5)` when all four agree, otherwise each field. */
  toString(): string {
    const f = (v: number | null) => v === null ? "null" : String(v);
    const total = this.total === null ? "" : `, total=${f(this.total)}`;
    if (
      this.connect === this.read && this.read === this.write &&
      this.write === this.pool
    ) {
      return `Timeout(timeout=${f(this.connect)}${total})`;
    }
    return `Timeout(connect=${f(this.connect)}, read=${f(this.read)}, write=${
      f(this.write)
    }, pool=${f(this.pool)}${total})`;
  }
}

function stripUndefined(options: TimeoutOptions): TimeoutOptions {
  const out: TimeoutOptions = {};
  for (const key of ["connect", "read", "write", "pool", "total"] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}
