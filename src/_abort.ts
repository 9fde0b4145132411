/**
 * The error to raise when a request's signal aborts.
 *
 * @module
 */

import { HTTPError, RequestError, TimeoutException } from "./errors.ts";

/**
 * The `httpx` error for an aborted signal: the reason itself when it already
 * is an `httpx` error (the client's `total` deadline aborts with a
 * `ReadTimeout`), a `TimeoutException` for `AbortSignal.timeout()`, and a
 * `RequestError` otherwise, with the reason kept in `cause`.
 */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof HTTPError) return reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") {
    return new TimeoutException("The request timed out", { cause: reason });
  }
  return new RequestError("The request was aborted", { cause: reason });
}
