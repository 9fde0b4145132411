/**
 * Serialise an HTTP/1.1 request head (request line and header fields).
 *
 * @module
 */

import { LocalProtocolError } from "../../errors.ts";
import {
  encodeLatin1,
  hasWideChars,
  isSafeFieldValue,
  isToken,
  isVisibleAscii,
  utf8AsLatin1,
} from "./_chars.ts";

/**
 * The bytes of `METHOD target HTTP/1.1`, each header as `name: value`, and
 * the blank line that ends the head, in one new array.
 *
 * Header names are sent exactly as given (case kept). Values whose code
 * points all fit in a byte are sent as latin1; a value with any code point
 * above 0xFF is sent as UTF-8.
 *
 * Validation happens before anything is built, so nothing is sent for an
 * invalid request: the method and every header name must be tokens, the
 * target visible ASCII without spaces, and no value may contain CR, LF or NUL.
 *
 * @param method The request method, e.g. `"GET"`.
 * @param target The request-target, e.g. `"/path?query"` or `"*"`.
 * @param headers `[name, value]` pairs in wire order.
 * @returns The encoded head, ending with `\r\n\r\n`.
 * @throws {LocalProtocolError} When the method, target or a header is invalid.
 */
export function serializeRequestHead(
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
): Uint8Array {
  if (!isToken(method)) {
    throw new LocalProtocolError(`Illegal method characters ${quote(method)}`);
  }
  if (!isVisibleAscii(target)) {
    throw new LocalProtocolError(`Illegal target characters ${quote(target)}`);
  }
  let head = method + " " + target + " HTTP/1.1\r\n";
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    let value = headers[i][1];
    if (!isToken(name)) {
      throw new LocalProtocolError(`Illegal header name ${quote(name)}`);
    }
    if (!isSafeFieldValue(value)) {
      throw new LocalProtocolError(`Illegal header value ${quote(value)}`);
    }
    if (hasWideChars(value)) value = utf8AsLatin1(value);
    head += name + ": " + value + "\r\n";
  }
  head += "\r\n";
  return encodeLatin1(head);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? text.slice(0, 100) + "…" : text);
}
