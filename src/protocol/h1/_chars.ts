/**
 * Character classes and byte/string conversions shared by the HTTP/1.1
 * serialiser and parser.
 *
 * @module
 */

/** `TOKEN[c]` is 1 when the code unit `c` may appear in an RFC 9110 token. */
export const TOKEN: Uint8Array = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;

/** Whether `text` is a non-empty RFC 9110 token (method, header name). */
export function isToken(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

/** Whether `text` is a non-empty run of visible ASCII (a request-target). */
export function isVisibleAscii(text: string): boolean {
  const n = text.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** Whether a header value is free of CR, LF and NUL. */
export function isSafeFieldValue(text: string): boolean {
  // indexOf is native and fast for the common, clean case.
  return text.indexOf("\r") === -1 && text.indexOf("\n") === -1 &&
    text.indexOf("\0") === -1;
}

/** Whether any code unit of `text` is above 0xFF. */
export function hasWideChars(text: string): boolean {
  return /[\u0100-\uffff]/.test(text);
}

const encoder = new TextEncoder();

/**
 * `text` re-spelt so each UTF-8 byte is one code unit (0x00–0xFF), ready for
 * {@linkcode encodeLatin1}.
 */
export function utf8AsLatin1(text: string): string {
  const bytes = encoder.encode(text);
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/**
 * Encode a string whose code units are all ≤ 0xFF, one byte each, into a
 * single new array.
 */
export function encodeLatin1(text: string): Uint8Array {
  // Pure ASCII (the usual head) goes through the native encoder.
  if (!/[\u0080-\uffff]/.test(text)) return encoder.encode(text);
  const n = text.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i);
  return out;
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decode bytes as latin1: every byte is the code point of the same value. */
export function decodeLatin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/** Decode bytes as UTF-8 when they are valid UTF-8, else as latin1. */
export function decodeUtf8OrLatin1(bytes: Uint8Array): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return decodeLatin1(bytes);
  }
}

/** Whether any byte of `bytes[start, end)` is 0x80 or above. */
export function hasHighBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
): boolean {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return true;
  return false;
}
