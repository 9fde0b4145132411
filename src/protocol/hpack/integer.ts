/**
 * HPACK prefix-coded integers (RFC 7541 §5.1).
 *
 * @module
 */

import type { ByteWriter } from "./_byte_writer.ts";
import { CompressionError } from "./compression_error.ts";

/** A read position in a header block, advanced by the decoding functions. */
export interface Cursor {
  /** Offset of the next octet to read. */
  pos: number;
}

/** The largest integer a decoder accepts (2^32 − 1). */
export const MAX_HPACK_INTEGER = 0xffffffff;

/** At most this many continuation octets follow the prefix. */
const MAX_CONTINUATION_OCTETS = 5;

/**
 * Append `value` with an N-bit prefix; `flags` are the high bits of the
 * first octet (the representation's pattern).
 */
export function encodeInteger(
  writer: ByteWriter,
  value: number,
  prefixBits: number,
  flags: number,
): void {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) {
    writer.byte(flags | value);
    return;
  }
  writer.byte(flags | mask);
  let rest = value - mask;
  while (rest >= 128) {
    writer.byte((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  writer.byte(rest);
}

/**
 * Read an integer with an N-bit prefix at `cursor`, advancing it.
 * Truncated input, more than five continuation octets or a value above
 * {@linkcode MAX_HPACK_INTEGER} raise {@linkcode CompressionError}.
 */
export function decodeInteger(
  block: Uint8Array,
  cursor: Cursor,
  prefixBits: number,
): number {
  let pos = cursor.pos;
  if (pos >= block.length) throw new CompressionError("Truncated integer");
  const mask = (1 << prefixBits) - 1;
  let value = block[pos++] & mask;
  if (value < mask) {
    cursor.pos = pos;
    return value;
  }
  let multiplier = 1;
  for (let count = 0;; count++) {
    if (count === MAX_CONTINUATION_OCTETS) {
      throw new CompressionError("Integer encoding is too long");
    }
    if (pos >= block.length) throw new CompressionError("Truncated integer");
    const octet = block[pos++];
    value += (octet & 0x7f) * multiplier;
    if (value > MAX_HPACK_INTEGER) {
      throw new CompressionError("Integer is too large");
    }
    if ((octet & 0x80) === 0) break;
    multiplier *= 128;
  }
  cursor.pos = pos;
  return value;
}
