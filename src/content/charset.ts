/**
 * Text encodings: the `charset` of a `Content-Type`, Python's codec names,
 * (incremental) decoding for `text` / `iterText`, and JSON from bytes with
 * the UTF-8/16/32 detection of RFC 4627 that Python's `json.loads` does.
 *
 * @module
 */

import {
  createDecoder,
  type IncrementalDecoder,
  lookupCodec,
} from "./_codecs.ts";
import { rechunkText } from "./streams.ts";

/** An incremental decoder, bytes in and text out, for `iterText`. */
export interface TextDecoderLike {
  /** Decode the next bytes; an incomplete trailing sequence is kept back. */
  decode(bytes: Uint8Array): string;
  /** Decode what was kept back (as U+FFFD when incomplete) and reset. */
  flush(): string;
}

/**
 * The `charset` parameter of a `Content-Type` value, lower-cased and
 * unquoted, read the way Python's `email.message.Message.get_content_charset`
 * does (which HTTPX uses): `;` inside quotes does not split, the first
 * `charset` wins, RFC 2231 `charset*=utf-8''…` is understood. A charset with
 * non-ASCII characters counts as none. An empty `charset=` gives `""`.
 *
 * @param contentType The header value.
 * @returns The charset, or `null` when there is none.
 */
export function charsetFromContentType(
  contentType: string | null | undefined,
): string | null {
  if (contentType === null || contentType === undefined) return null;
  const params = splitParams(contentType);
  let extended: string | null = null;
  for (let i = 0; i < params.length; i++) {
    const param = params[i];
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = param.slice(eq + 1).trim();
    if (name === "charset") return finishCharset(unquote(value));
    if (i > 0 && extended === null && /^charset\*(0\*?)?$/.test(name)) {
      extended = name.endsWith("*") ? decodeExtended(unquote(value)) : value;
    }
  }
  return extended === null ? null : finishCharset(extended);
}

function splitParams(value: string): string[] {
  const params: string[] = [];
  let rest = value;
  while (true) {
    let end = rest.indexOf(";");
    while (end > 0 && openQuotes(rest, end)) end = rest.indexOf(";", end + 1);
    if (end < 0) {
      params.push(rest.trim());
      return params;
    }
    params.push(rest.slice(0, end).trim());
    rest = rest.slice(end + 1);
  }
}

/** Whether an odd number of unescaped quotes precede `end`. */
function openQuotes(text: string, end: number): boolean {
  let quotes = 0;
  for (let i = 0; i < end; i++) {
    if (text[i] === '"' && text[i - 1] !== "\\") quotes++;
  }
  return quotes % 2 === 1;
}

function unquote(value: string): string {
  if (value.length > 1) {
    if (value.startsWith('"') && value.endsWith('"')) {
      return value.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"');
    }
    if (value.startsWith("<") && value.endsWith(">")) return value.slice(1, -1);
  }
  return value;
}

/** RFC 2231 `charset'language'percent-encoded-value`. */
function decodeExtended(value: string): string {
  const parts = value.split("'");
  const encoded = parts.length === 3 ? parts[2] : value;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function finishCharset(charset: string): string | null {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(charset) ? charset.toLowerCase() : null;
}

/**
 * Whether an encoding name is one this port can decode, under any of
 * Python's spellings (`"utf8"`, `"UTF-8"`, `"latin-1"`, `"cp1252"`,
 * `"shift_jis"`…). HTTPX falls back to the default encoding for a charset
 * that is not known, and so should the caller.
 *
 * @param encoding The encoding name.
 * @returns `true` when {@linkcode decodeText} accepts it.
 */
export function isKnownEncoding(encoding: string): boolean {
  return lookupCodec(encoding) !== null;
}

/**
 * The canonical name of an encoding (Python's codec module name, such as
 * `"utf_8"`, `"latin_1"`, `"cp1252"`), or `null` when it is unknown.
 *
 * @param encoding The encoding name.
 * @returns The canonical name, or `null`.
 */
export function normalizeEncoding(encoding: string): string | null {
  return lookupCodec(encoding);
}

function codecOrThrow(encoding: string): string {
  const codec = lookupCodec(encoding);
  if (codec === null) throw new RangeError(`Unknown encoding: ${encoding}`);
  return codec;
}

/**
 * A new incremental decoder for an encoding, replacing malformed input with
 * U+FFFD as Python's `errors="replace"` does. Encodings follow Python:
 * `latin-1` is true ISO-8859-1 (not windows-1252), `utf-8` keeps a BOM as
 * U+FEFF, `utf-8-sig` drops it, `utf-16` / `utf-32` read the byte order from
 * a BOM.
 *
 * @param encoding The encoding name (default UTF-8).
 * @returns The decoder.
 * @throws {RangeError} For an unknown encoding.
 */
export function createTextDecoder(encoding = "utf-8"): TextDecoderLike {
  return createDecoder(codecOrThrow(encoding)) as IncrementalDecoder;
}

/**
 * Decode a whole body to text, replacing malformed input with U+FFFD.
 *
 * @param bytes The body.
 * @param encoding The encoding name (default UTF-8).
 * @returns The text.
 * @throws {RangeError} For an unknown encoding.
 */
export function decodeText(bytes: Uint8Array, encoding = "utf-8"): string {
  const decoder = createTextDecoder(encoding);
  return decoder.decode(bytes) + decoder.flush();
}

/**
 * Decode a byte stream to text incrementally, for `iterText(chunkSize)`:
 * multi-byte characters split across chunks are decoded whole, empty
 * strings are never yielded, and with `chunkSize` the pieces are exactly
 * that many characters long except the last.
 *
 * @param source The (already content-decoded) body chunks.
 * @param encoding The encoding name (default UTF-8).
 * @param chunkSize Characters per piece, or `null`/`undefined` for as-is.
 * @returns The text pieces.
 * @throws {RangeError} For an unknown encoding.
 */
export function decodeTextStream(
  source: AsyncIterable<Uint8Array>,
  encoding = "utf-8",
  chunkSize?: number | null,
): AsyncIterable<string> {
  const decoder = createTextDecoder(encoding);
  return rechunkText(decodeChunks(source, decoder), chunkSize);
}

async function* decodeChunks(
  source: AsyncIterable<Uint8Array>,
  decoder: TextDecoderLike,
): AsyncGenerator<string> {
  for await (const chunk of source) {
    const text = decoder.decode(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.flush();
  if (rest.length > 0) yield rest;
}

/**
 * The encoding of JSON bytes, as Python's `json.detect_encoding` finds it:
 * from a BOM (UTF-32, UTF-16, UTF-8), else from where the zero bytes are in
 * the first four bytes, else UTF-8.
 *
 * @param bytes The start of the JSON document.
 * @returns A codec name: `utf-8`, `utf-8-sig`, `utf-16`, `utf-16-le`,
 *   `utf-16-be`, `utf-32`, `utf-32-le` or `utf-32-be`.
 */
export function detectJsonEncoding(bytes: Uint8Array): string {
  const b = bytes;
  if (
    b.length >= 4 &&
    ((b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) ||
      (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0))
  ) {
    return "utf-32";
  }
  if (
    b.length >= 2 &&
    ((b[0] === 0xfe && b[1] === 0xff) || (b[0] === 0xff && b[1] === 0xfe))
  ) {
    return "utf-16";
  }
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return "utf-8-sig";
  }
  if (b.length >= 4) {
    if (b[0] === 0) return b[1] !== 0 ? "utf-16-be" : "utf-32-be";
    if (b[1] === 0) return b[2] !== 0 || b[3] !== 0 ? "utf-16-le" : "utf-32-le";
  } else if (b.length === 2) {
    if (b[0] === 0) return "utf-16-be";
    if (b[1] === 0) return "utf-16-le";
  }
  return "utf-8";
}

/**
 * Parse JSON from bytes, as `Response.json()` does: the encoding is
 * detected (UTF-8 with or without BOM, UTF-16 and UTF-32 in either byte
 * order, with or without BOM) and the declared charset is ignored.
 *
 * @param bytes The JSON document.
 * @param reviver Passed on to `JSON.parse`.
 * @returns The parsed value.
 * @throws {SyntaxError} For invalid JSON or bytes that are not valid text
 *   in the detected encoding.
 */
export function jsonFromBytes(
  bytes: Uint8Array,
  reviver?: (this: unknown, key: string, value: unknown) => unknown,
): unknown {
  const encoding = detectJsonEncoding(bytes);
  let text: string;
  try {
    const decoder = createDecoder(lookupCodec(encoding)!, true);
    text = decoder.decode(bytes) + decoder.flush();
  } catch (error) {
    throw new SyntaxError(`JSON is not valid ${encoding} text`, {
      cause: error,
    });
  }
  return JSON.parse(text, reviver);
}
