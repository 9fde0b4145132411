/**
 * HPACK string literals (RFC 7541 §5.2): a 7-bit-prefix length with the
 * Huffman flag, then raw or Huffman-coded octets.
 *
 * @module
 */

import type { ByteWriter } from "./_byte_writer.ts";
import { CompressionError } from "./compression_error.ts";
import {
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedLength,
} from "./huffman.ts";
import { type Cursor, decodeInteger, encodeInteger } from "./integer.ts";
import { latin1Decode } from "./_latin1.ts";

/**
 * Append a latin1 string literal; with `huffman` it is Huffman-coded when
 * that is strictly shorter.
 */
export function encodeString(
  writer: ByteWriter,
  text: string,
  huffman: boolean,
): void {
  if (huffman && text.length > 0) {
    const coded = huffmanEncodedLength(text);
    if (coded < text.length) {
      encodeInteger(writer, coded, 7, 0x80);
      huffmanEncode(writer, text);
      return;
    }
  }
  encodeInteger(writer, text.length, 7, 0x00);
  writer.latin1(text);
}

/** Read a string literal at `cursor` as a latin1 string, advancing it. */
export function decodeString(block: Uint8Array, cursor: Cursor): string {
  if (cursor.pos >= block.length) {
    throw new CompressionError("Truncated string literal");
  }
  const huffman = (block[cursor.pos] & 0x80) !== 0;
  const length = decodeInteger(block, cursor, 7);
  const start = cursor.pos;
  if (length > block.length - start) {
    throw new CompressionError(
      "String literal is longer than the header block",
    );
  }
  cursor.pos = start + length;
  return huffman
    ? huffmanDecode(block, start, start + length)
    : latin1Decode(block, start, start + length);
}
