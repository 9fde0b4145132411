/**
 * Types shared by every layer: byte streams, extensions and trace hooks.
 *
 * @module
 */

/**
 * A body as a sequence of byte chunks, with an optional `close()` that
 * releases what produces it (a pooled connection, a file). Every layer that
 * passes bodies uses this one shape; web `ReadableStream`s are adapted only at
 * the edges where a user asks for one.
 */
export interface ByteStream extends AsyncIterable<Uint8Array> {
  /** Release the source. Safe to call more than once. */
  close?(): void | Promise<void>;
}

/**
 * A trace hook, called at the start, completion or failure of each step of
 * sending a request, with httpcore's event names
 * (`connection.connect_tcp.started`, `http11.send_request_headers.complete`, …).
 */
export type TraceCallback = (
  event: string,
  info: Record<string, unknown>,
) => void | Promise<void>;

/** Timeouts in seconds as transports receive them; `null` disables one. */
export interface TimeoutConfig {
  /** TCP connect and TLS handshake. */
  connect: number | null;
  /** Each read from the network, also between body chunks. */
  read: number | null;
  /** Each write to the network. */
  write: number | null;
  /** Waiting for a connection from the pool. */
  pool: number | null;
}

/** What `request.extensions` may carry down to a transport. */
export interface RequestExtensions {
  /** Per-request timeouts, filled by the client from its `Timeout`. */
  timeout?: TimeoutConfig;
  /** Trace hook for the transport's events. */
  trace?: TraceCallback;
  /** TLS server name (and name to verify) instead of the URL's host. */
  sniHostname?: string;
  /** Raw request-target to send instead of the URL's path and query. */
  target?: string;
  /**
   * Cancels the request when aborted: the user's `signal`, the `total`
   * deadline, or both. The transport closes what it was using and raises
   * the error `abortReason()` gives.
   */
  signal?: AbortSignal;
  /** Anything else, passed through untouched. */
  [key: string]: unknown;
}

/** What a transport reports in `response.extensions`. */
export interface ResponseExtensions {
  /** `"HTTP/1.1"`, `"HTTP/1.0"` or `"HTTP/2"`. */
  httpVersion?: string;
  /** The reason phrase exactly as received (HTTP/1.x only). */
  reasonPhrase?: string;
  /** The connection itself, after a 101 Switching Protocols or a CONNECT. */
  networkStream?: unknown;
  /** The HTTP/2 stream identifier. */
  streamId?: number;
  /** Anything else, passed through untouched. */
  [key: string]: unknown;
}
