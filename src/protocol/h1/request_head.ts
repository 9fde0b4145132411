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
 * @param scratch A buffer to write the head into when it fits there with
 * `reserve` bytes to spare: the result is then a view of its start.
 * @param reserve Bytes to keep free after the head in the result's buffer
 * (for a body to follow in the same write), when `scratch` is used or the
 * head is pure ASCII.
 * @returns The encoded head, ending with `\r\n\r\n`.
 * @throws {LocalProtocolError} When the method, target or a header is invalid.
 */
export function serializeRequestHead(
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
  scratch?: Uint8Array,
  reserve = 0,
): Uint8Array {
  if (!isToken(method)) {
    throw new LocalProtocolError(`Illegal method characters ${quote(method)}`);
  }
  if (!isVisibleAscii(target)) {
    throw new LocalProtocolError(`Illegal target characters ${quote(target)}`);
  }
  // Fast path: validate and measure in one pass, then write the bytes
  // straight into one array (no intermediate string, no encoder call).
  let size = method.length + target.length + 14; // " ", " HTTP/1.1\r\n", "\r\n"
  let wide = false;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    const value = headers[i][1];
    if (!isToken(name)) {
      throw new LocalProtocolError(`Illegal header name ${quote(name)}`);
    }
    for (let j = 0; j < value.length; j++) {
      const c = value.charCodeAt(j);
      if (c > 0xff) wide = true;
      else if (c === 13 || c === 10 || c === 0) {
        throw new LocalProtocolError(`Illegal header value ${quote(value)}`);
      }
    }
    size += name.length + value.length + 4;
  }
  if (wide) return serializeWide(method, target, headers);
  const out = scratch !== undefined && size + reserve <= scratch.length
    ? scratch
    : new Uint8Array(size + reserve);
  let o = writeAscii(out, 0, method);
  out[o++] = 0x20;
  o = writeAscii(out, o, target);
  o = writeAscii(out, o, " HTTP/1.1\r\n");
  for (let i = 0; i < headers.length; i++) {
    o = writeAscii(out, o, headers[i][0]);
    out[o++] = 0x3a;
    out[o++] = 0x20;
    o = writeAscii(out, o, headers[i][1]);
    out[o++] = 0x0d;
    out[o++] = 0x0a;
  }
  out[o++] = 0x0d;
  out[o] = 0x0a;
  return out.length === size ? out : out.subarray(0, size);
}

/** Write the code units of `text` (all ≤ 0xFF) as bytes at `offset`. */
function writeAscii(out: Uint8Array, offset: number, text: string): number {
  const n = text.length;
  for (let i = 0; i < n; i++) out[offset + i] = text.charCodeAt(i);
  return offset + n;
}

/** The head when a value has code points above 0xFF (sent as UTF-8). */
function serializeWide(
  method: string,
  target: string,
  headers: ReadonlyArray<readonly [string, string]>,
): Uint8Array {
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
