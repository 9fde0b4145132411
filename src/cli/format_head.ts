/**
 * Request and response heads as the command line prints them: a start line,
 * `name: value` lines exactly as sent or received, then a blank line.
 *
 * @module
 */

import { codes } from "../models/codes.ts";
import type { Style } from "./style.ts";

/** A request head to print. */
export interface RequestHead {
  /** The method, such as `GET`. */
  method: string;
  /** The request-target, such as `/path?query`. */
  target: string;
  /** Header fields in the order they go on the wire. */
  headers: ReadonlyArray<readonly [string, string]>;
}

/** A response head to print. */
export interface ResponseHead {
  /** `HTTP/1.1`, `HTTP/1.0` or `HTTP/2`. */
  httpVersion: string;
  /** The status code. */
  statusCode: number;
  /** The reason phrase as received, or `null` for the standard phrase. */
  reasonPhrase: string | null;
  /** Header fields as received. */
  headers: ReadonlyArray<readonly [string, string]>;
}

function fieldLines(
  headers: ReadonlyArray<readonly [string, string]>,
  style: Style,
  lowerCase: boolean,
): string {
  let out = "";
  for (const [name, value] of headers) {
    out += `${style.name(lowerCase ? name.toLowerCase() : name)}: ${value}\n`;
  }
  return out;
}

/**
 * The request line and headers, then a blank line. HTTP/2 heads show
 * lower-cased names and `HTTP/2`, as they go on the wire.
 *
 * @param head The request head.
 * @param http2 Whether the request goes over HTTP/2.
 * @param style Colours, or none.
 * @returns The text, ending in a blank line.
 */
export function formatRequestHead(
  head: RequestHead,
  http2: boolean,
  style: Style,
): string {
  const version = http2 ? "HTTP/2" : "HTTP/1.1";
  const start = `${style.method(head.method)} ${head.target} ${
    style.dim(version)
  }\n`;
  return start + fieldLines(head.headers, style, http2) + "\n";
}

/**
 * The status line and headers, then a blank line. Without a reason phrase
 * (HTTP/2) the standard phrase for the code is shown.
 *
 * @param head The response head.
 * @param style Colours, or none.
 * @returns The text, ending in a blank line.
 */
export function formatResponseHead(head: ResponseHead, style: Style): string {
  const reason = head.reasonPhrase ?? codes.getReasonPhrase(head.statusCode);
  const status = reason === ""
    ? `${head.statusCode}`
    : `${head.statusCode} ${reason}`;
  const start = `${style.dim(head.httpVersion)} ${
    style.status(head.statusCode, status)
  }\n`;
  return start + fieldLines(head.headers, style, false) + "\n";
}
