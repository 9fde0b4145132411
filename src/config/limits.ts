/**
 * The `Limits` configuration of the connection pool.
 *
 * @module
 */

/**
 * Options of {@linkcode Limits}.
 *
 * @example A small pool
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.LimitsOptions = {
 *   maxConnections: 4,
 *   keepaliveExpiry: null,
 * };
 * const limits = new httpx.Limits(options);
 * console.assert(limits.maxKeepaliveConnections === 4);
 * console.assert(limits.keepaliveExpiry === null);
 * ```
 */
export interface LimitsOptions {
  /**
   * Most connections open at once (connecting, active and idle), or `null`
   * for no limit.
   * @default {100}
   */
  maxConnections?: number | null;
  /**
   * Most idle keep-alive connections kept, or `null` for no limit.
   * @default {20}
   */
  maxKeepaliveConnections?: number | null;
  /**
   * Seconds an idle connection is kept, or `null` for ever.
   * @default {5}
   */
  keepaliveExpiry?: number | null;
}

function checkCount(name: string, value: number | null): void {
  if (value !== null && (!Number.isInteger(value) || value < 0)) {
    throw new RangeError(
      `Limits ${name} must be a non-negative integer or null, got ${value}`,
    );
  }
}

/**
 * Connection pool limits, with HTTPX's defaults: 100 connections, 20 idle
 * keep-alive connections, 5 seconds keep-alive expiry. Unlike HTTPX, the
 * keep-alive limit counts only *idle* connections.
 *
 * @example Limit the connections of a client
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const limits = new httpx.Limits({ maxConnections: 10 });
 * console.assert(limits.maxKeepaliveConnections === 10);
 * const transport = new httpx.MockTransport(() => new httpx.Response(200));
 * await using client = new httpx.Client({ limits, transport });
 * console.assert(
 *   (await client.get("https://example.org/")).statusCode === 200,
 * );
 * ```
 */
export class Limits {
  /** Most connections open at once, or `null`. */
  readonly maxConnections: number | null;
  /** Most idle connections kept, or `null`; never above `maxConnections`. */
  readonly maxKeepaliveConnections: number | null;
  /** Seconds an idle connection is kept, or `null`. */
  readonly keepaliveExpiry: number | null;

  /**
   * Build the limits.
   *
   * @param options The limits; omitted ones take the defaults.
   */
  constructor(options: LimitsOptions = {}) {
    const max = options.maxConnections === undefined
      ? 100
      : options.maxConnections;
    let keep = options.maxKeepaliveConnections === undefined
      ? 20
      : options.maxKeepaliveConnections;
    const expiry = options.keepaliveExpiry === undefined
      ? 5
      : options.keepaliveExpiry;
    checkCount("maxConnections", max);
    checkCount("maxKeepaliveConnections", keep);
    if (expiry !== null && (typeof expiry !== "number" || !(expiry >= 0))) {
      throw new RangeError(
        `Limits keepaliveExpiry must be a non-negative number of seconds or null, got ${expiry}`,
      );
    }
    if (max !== null && (keep === null || keep > max)) keep = max;
    this.maxConnections = max;
    this.maxKeepaliveConnections = keep;
    this.keepaliveExpiry = expiry;
  }

  /** Whether both have the same three values. */
  equals(other: unknown): boolean {
    return other instanceof Limits &&
      other.maxConnections === this.maxConnections &&
      other.maxKeepaliveConnections === this.maxKeepaliveConnections &&
      other.keepaliveExpiry === this.keepaliveExpiry;
  }

  /** `Limits(maxConnections=…, maxKeepaliveConnections=…, keepaliveExpiry=…)`. */
  toString(): string {
    return `Limits(maxConnections=${this.maxConnections}, maxKeepaliveConnections=${this.maxKeepaliveConnections}, keepaliveExpiry=${this.keepaliveExpiry})`;
  }
}
