/**
 * Errors of the HTTP/2 core. The connection layer maps them to `httpx`
 * errors (`RemoteProtocolError`, `LocalProtocolError`).
 *
 * @module
 */

import { errorCodeName } from "./error_codes.ts";

/** Base class of the HTTP/2 core's errors. */
export class H2Error extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * The peer broke the protocol in a way that ends the connection. When
 * `receiveData` raises it, a GOAWAY with `code` is already queued in
 * `dataToSend()`.
 */
export class H2ConnectionError extends H2Error {
  /** The error code sent in GOAWAY. */
  readonly code: number;

  /**
   * @param code HTTP/2 error code.
   * @param message What was wrong.
   * @param options The cause, if any.
   */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(`${message} (${errorCodeName(code)})`, options);
    this.code = code;
  }
}

/**
 * The peer broke the protocol for one stream; the connection goes on.
 * Used inside the core, which answers with RST_STREAM and reports a
 * `StreamReset` event.
 */
export class H2StreamError extends H2Error {
  /** The stream concerned. */
  readonly streamId: number;
  /** The error code sent in RST_STREAM. */
  readonly code: number;

  /**
   * @param streamId Stream concerned.
   * @param code HTTP/2 error code.
   * @param message What was wrong.
   */
  constructor(streamId: number, code: number, message: string) {
    super(`${message} (${errorCodeName(code)})`);
    this.streamId = streamId;
    this.code = code;
  }
}

/**
 * We asked for something the protocol does not allow now: sending on a
 * closed stream or connection, more streams than the peer allows, stream
 * ids exhausted. Nothing was queued.
 */
export class H2StateError extends H2Error {}
