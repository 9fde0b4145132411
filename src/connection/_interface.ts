/**
 * What the pool knows about a connection, whatever protocol it speaks.
 * HTTP/1.1, HTTP/2 and proxy connections all implement this; the pool's
 * bookkeeping reads only these synchronous predicates.
 *
 * @module
 */

import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";

/** `scheme://host:port` identity of a connection. */
export interface Origin {
  /** `"http"` or `"https"` (or `"ws"`, `"wss"`). */
  scheme: string;
  /** Host name or IP literal, lowercase, no brackets. */
  host: string;
  /** Port, defaults filled in. */
  port: number;
}

/** Raised by a connection that cannot take this request after all; the pool re-queues it. */
export class ConnectionNotAvailable extends Error {
  override get name(): string {
    return "ConnectionNotAvailable";
  }
}

/** A pooled connection. */
export interface Connection {
  /** The origin this connection serves. */
  readonly origin: Origin;
  /** Send one request over this connection. */
  handleRequest(request: Request): Promise<Response>;
  /** Close now; idempotent. */
  close(): void;
  /** Whether this connection can serve requests for `origin`. */
  canHandleRequest(origin: Origin): boolean;
  /** Whether a new request could be sent on it right now. */
  isAvailable(): boolean;
  /** Whether the keep-alive deadline passed or the server closed it (from state already held; no I/O). */
  hasExpired(now: number): boolean;
  /** Whether no request is in flight. */
  isIdle(): boolean;
  /** Whether it is closed (or failed to connect). */
  isClosed(): boolean;
  /** `"HTTP/1.1"`, `"HTTP/2"`, or `null` while connecting. */
  readonly httpVersion: string | null;
  /** A one-line description for `repr`-like output. */
  info(): string;
}
