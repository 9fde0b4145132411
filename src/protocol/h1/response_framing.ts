/**
 * How a response body is delimited (RFC 9112 §6.3) and whether the
 * connection may carry another request afterwards.
 *
 * @module
 */

import { RemoteProtocolError } from "../../errors.ts";

/** The body framing of a response. */
export type ResponseBodyKind =
  /** No body: HEAD, 1xx, 204, 304, or `Content-Length: 0`. */
  | "none"
  /** Exactly `length` bytes. */
  | "length"
  /** The chunked transfer coding. */
  | "chunked"
  /** Everything until the server closes the connection. */
  | "close"
  /** 101 Switching Protocols or a 2xx answer to CONNECT: the bytes after the head are no longer HTTP. */
  | "upgrade";

/** The framing decision for one response. */
export interface ResponseFraming {
  /** How the body is delimited. */
  kind: ResponseBodyKind;
  /** The body length for `"length"` (0 otherwise). */
  length: number;
  /** Whether the connection can be reused once the body is read. */
  keepAlive: boolean;
}

/**
 * Decide the body framing and keep-alive for a response head.
 *
 * @param method The request method (`HEAD` and `CONNECT` matter).
 * @param statusCode The response status.
 * @param httpVersion `"HTTP/1.1"` or `"HTTP/1.0"`.
 * @param headers The response header fields.
 * @param requestKeepAlive `false` when the request said `Connection: close`.
 * @throws {RemoteProtocolError} For an invalid or conflicting
 * `Content-Length`.
 */
export function responseFraming(
  method: string,
  statusCode: number,
  httpVersion: string,
  headers: ReadonlyArray<readonly [string, string]>,
  requestKeepAlive: boolean,
): ResponseFraming {
  let contentLength: string[] | null = null;
  let transferEncoding: string[] | null = null;
  let connection: string[] | null = null;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    const n = name.length;
    if (n !== 10 && n !== 14 && n !== 17) continue;
    const lower = name.toLowerCase();
    if (lower === "content-length") {
      (contentLength ??= []).push(headers[i][1]);
    } else if (lower === "transfer-encoding") {
      (transferEncoding ??= []).push(headers[i][1]);
    } else if (lower === "connection") {
      (connection ??= []).push(headers[i][1]);
    }
  }

  let keepAlive = requestKeepAlive;
  if (keepAlive) {
    const tokens = connection === null ? [] : listTokens(connection);
    if (tokens.includes("close")) keepAlive = false;
    else if (httpVersion === "HTTP/1.0" && !tokens.includes("keep-alive")) {
      keepAlive = false;
    }
  }

  if (
    statusCode === 101 ||
    (method === "CONNECT" && statusCode >= 200 && statusCode < 300)
  ) {
    return { kind: "upgrade", length: 0, keepAlive: false };
  }
  if (
    method === "HEAD" || statusCode < 200 || statusCode === 204 ||
    statusCode === 304
  ) {
    return { kind: "none", length: 0, keepAlive };
  }
  if (transferEncoding !== null) {
    const codings = listTokens(transferEncoding);
    // Content-Length alongside Transfer-Encoding: the coding wins, and the
    // connection is not trusted for another message (RFC 9112 §6.3).
    if (contentLength !== null) keepAlive = false;
    if (codings[codings.length - 1] === "chunked") {
      return { kind: "chunked", length: 0, keepAlive };
    }
    return { kind: "close", length: 0, keepAlive: false };
  }
  if (contentLength !== null) {
    const length = parseContentLength(contentLength);
    return { kind: length === 0 ? "none" : "length", length, keepAlive };
  }
  return { kind: "close", length: 0, keepAlive: false };
}

/** Lower-cased, trimmed, non-empty comma-separated tokens of every value. */
function listTokens(values: string[]): string[] {
  const tokens: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const token = part.trim().toLowerCase();
      if (token !== "") tokens.push(token);
    }
  }
  return tokens;
}

function parseContentLength(values: string[]): number {
  let length: number | null = null;
  for (const value of values) {
    for (const part of value.split(",")) {
      const text = part.trim();
      if (!/^[0-9]+$/.test(text)) {
        throw new RemoteProtocolError(
          `Invalid Content-Length ${JSON.stringify(value.slice(0, 100))}`,
        );
      }
      const n = Number(text);
      if (!Number.isSafeInteger(n)) {
        throw new RemoteProtocolError("Content-Length is too large");
      }
      if (length !== null && n !== length) {
        throw new RemoteProtocolError("Conflicting Content-Length headers");
      }
      length = n;
    }
  }
  return length ?? 0;
}

/**
 * {@linkcode responseFraming} for a head without `Transfer-Encoding`, from
 * what a one-pass parse noted: at most one plain decimal `Content-Length`
 * (-1 when absent) and whether `Connection: close` / `Connection:
 * keep-alive` were sent. The decision is the same.
 *
 * @internal
 */
export function simpleResponseFraming(
  method: string,
  statusCode: number,
  httpVersion: string,
  contentLength: number,
  close: boolean,
  keepAliveToken: boolean,
  requestKeepAlive: boolean,
): ResponseFraming {
  let keepAlive = requestKeepAlive;
  if (keepAlive) {
    if (close) keepAlive = false;
    else if (httpVersion === "HTTP/1.0" && !keepAliveToken) keepAlive = false;
  }
  if (
    statusCode === 101 ||
    (method === "CONNECT" && statusCode >= 200 && statusCode < 300)
  ) {
    return { kind: "upgrade", length: 0, keepAlive: false };
  }
  if (
    method === "HEAD" || statusCode < 200 || statusCode === 204 ||
    statusCode === 304
  ) {
    return { kind: "none", length: 0, keepAlive };
  }
  if (contentLength >= 0) {
    return {
      kind: contentLength === 0 ? "none" : "length",
      length: contentLength,
      keepAlive,
    };
  }
  return { kind: "close", length: 0, keepAlive: false };
}
