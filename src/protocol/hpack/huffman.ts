/**
 * HPACK Huffman coding (RFC 7541 §5.2, Appendix B).
 *
 * The decoder walks the input four bits at a time through a state table
 * built once at module load: each state is an internal node of the code
 * tree, and each (state, nibble) entry gives the next state, the symbol
 * completed on the way (at most one: the shortest code has 5 bits) and
 * whether EOS was hit. At the end the state must be an all-ones path of at
 * most 7 bits (valid padding).
 *
 * @module
 */

import type { ByteWriter } from "./_byte_writer.ts";
import { CompressionError } from "./compression_error.ts";
import { EOS_SYMBOL, HUFFMAN_CODE_TABLE } from "./huffman_table.ts";
import { latin1Decode } from "./_latin1.ts";

const CODES = new Uint32Array(257);
const LENGTHS = new Uint8Array(257);
for (let symbol = 0; symbol <= EOS_SYMBOL; symbol++) {
  CODES[symbol] = HUFFMAN_CODE_TABLE[symbol * 2];
  LENGTHS[symbol] = HUFFMAN_CODE_TABLE[symbol * 2 + 1];
}

// Entry layout: bits 0–8 next state, bit 9 "emits", bits 10–17 symbol,
// bit 20 "failed" (EOS inside the string).
const EMITS = 1 << 9;
const FAILED = 1 << 20;
const STATE_MASK = 0x1ff;

function buildDecoder(): { table: Uint32Array; accepting: Uint8Array } {
  // child[node * 2 + bit]: >= 0 internal node, < 0 leaf -(symbol + 1), and
  // NONE while unset.
  const NONE = 0x7fffffff;
  const child = new Int32Array(512 * 2).fill(NONE);
  const depth = new Uint8Array(512);
  const allOnes = new Uint8Array(512);
  allOnes[0] = 1;
  let nodes = 1;
  for (let symbol = 0; symbol <= EOS_SYMBOL; symbol++) {
    const code = CODES[symbol];
    const length = LENGTHS[symbol];
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const b = (code >>> bit) & 1;
      const slot = node * 2 + b;
      if (bit === 0) {
        child[slot] = -(symbol + 1);
        break;
      }
      let next = child[slot];
      if (next === NONE) {
        next = nodes++;
        child[slot] = next;
        depth[next] = depth[node] + 1;
        allOnes[next] = allOnes[node] & b;
      }
      node = next;
    }
  }
  const table = new Uint32Array(nodes * 16);
  const accepting = new Uint8Array(nodes);
  for (let state = 0; state < nodes; state++) {
    accepting[state] = allOnes[state] && depth[state] <= 7 ? 1 : 0;
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let i = 3; i >= 0; i--) {
        const next = child[node * 2 + ((nibble >> i) & 1)];
        if (next < 0) {
          const symbol = -next - 1;
          if (symbol === EOS_SYMBOL) {
            entry = FAILED;
            break;
          }
          entry = EMITS | (symbol << 10);
          node = 0;
        } else {
          node = next;
        }
      }
      table[state * 16 + nibble] = entry === FAILED ? FAILED : entry | node;
    }
  }
  return { table, accepting };
}

const { table: DECODE_TABLE, accepting: ACCEPTING } = buildDecoder();

/**
 * Octets the Huffman coding of a latin1 string takes; a character above
 * U+00FF raises {@linkcode CompressionError}.
 */
export function huffmanEncodedLength(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) {
      throw new CompressionError(
        "Header contains a character outside latin1 (one octet per character)",
      );
    }
    bits += LENGTHS[code];
  }
  return (bits + 7) >> 3;
}

/**
 * Append the Huffman coding of a latin1 string, padded with the high bits
 * of EOS (ones).
 */
export function huffmanEncode(writer: ByteWriter, text: string): void {
  // Pending bits live in `acc` (at most 7 + 30 = 37 bits, safe as a double).
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const symbol = text.charCodeAt(i) & 0xff;
    const length = LENGTHS[symbol];
    acc = acc * (1 << length) + CODES[symbol];
    bits += length;
    while (bits >= 8) {
      bits -= 8;
      const divisor = 2 ** bits;
      const octet = Math.floor(acc / divisor);
      writer.byte(octet);
      acc -= octet * divisor;
    }
  }
  if (bits > 0) {
    writer.byte(((acc << (8 - bits)) | (0xff >> bits)) & 0xff);
  }
}

let scratch = new Uint8Array(1024);

/**
 * Decode `block[start, end)` as Huffman-coded octets into a latin1 string.
 * EOS in the data, padding longer than 7 bits or padding that is not all
 * ones raise {@linkcode CompressionError}.
 */
export function huffmanDecode(
  block: Uint8Array,
  start: number,
  end: number,
): string {
  // Decoded into one reused scratch buffer: header strings are short and
  // many, and only the string is kept.
  const most = Math.ceil(((end - start) * 8) / 5);
  if (scratch.length < most) {
    scratch = new Uint8Array(Math.max(most, 2 * scratch.length));
  }
  const out = scratch;
  let n = 0;
  let state = 0;
  for (let i = start; i < end; i++) {
    const octet = block[i];
    let entry = DECODE_TABLE[state * 16 + (octet >> 4)];
    if (entry & FAILED) {
      throw new CompressionError("Huffman data contains EOS");
    }
    if (entry & EMITS) out[n++] = (entry >> 10) & 0xff;
    state = entry & STATE_MASK;
    entry = DECODE_TABLE[state * 16 + (octet & 0x0f)];
    if (entry & FAILED) {
      throw new CompressionError("Huffman data contains EOS");
    }
    if (entry & EMITS) out[n++] = (entry >> 10) & 0xff;
    state = entry & STATE_MASK;
  }
  if (!ACCEPTING[state]) {
    throw new CompressionError("Invalid Huffman padding");
  }
  return latin1Decode(out, 0, n);
}
