import assert from "node:assert/strict";
import { ByteWriter } from "../../../src/protocol/hpack/_byte_writer.ts";
import { CompressionError } from "../../../src/protocol/hpack/compression_error.ts";
import {
  decodeInteger,
  encodeInteger,
} from "../../../src/protocol/hpack/integer.ts";

function encode(value: number, prefix: number, flags = 0): number[] {
  const writer = new ByteWriter();
  encodeInteger(writer, value, prefix, flags);
  return Array.from(writer.take());
}

function decode(bytes: number[], prefix: number): [number, number] {
  const cursor = { pos: 0 };
  const value = decodeInteger(Uint8Array.from(bytes), cursor, prefix);
  return [value, cursor.pos];
}

Deno.test("integer: RFC 7541 C.1 examples", () => {
  assert.deepEqual(encode(10, 5), [0x0a]);
  assert.deepEqual(encode(1337, 5), [0x1f, 0x9a, 0x0a]);
  assert.deepEqual(encode(42, 8), [0x2a]);
  assert.deepEqual(decode([0x0a], 5), [10, 1]);
  assert.deepEqual(decode([0x1f, 0x9a, 0x0a], 5), [1337, 3]);
  assert.deepEqual(decode([0x2a], 8), [42, 1]);
});

Deno.test("integer: flags stay in the high bits and the prefix is masked", () => {
  assert.deepEqual(encode(3, 6, 0x40), [0x43]);
  assert.deepEqual(decode([0xc3], 6), [3, 1]);
  assert.deepEqual(encode(63, 6, 0x40), [0x7f, 0x00]);
  assert.deepEqual(decode([0x7f, 0x00], 6), [63, 2]);
});

Deno.test("integer: round trips across prefixes and magnitudes", () => {
  for (const prefix of [4, 5, 6, 7, 8]) {
    for (
      const value of [
        0,
        1,
        14,
        15,
        16,
        127,
        128,
        255,
        256,
        16383,
        65535,
        2 ** 31 - 1,
        2 ** 32 - 1,
      ]
    ) {
      const bytes = encode(value, prefix);
      assert.deepEqual(decode(bytes, prefix), [value, bytes.length]);
    }
  }
});

Deno.test("integer: truncated, overlong and overflowing input", () => {
  assert.throws(() => decode([], 5), CompressionError);
  assert.throws(() => decode([0x1f], 5), CompressionError);
  assert.throws(() => decode([0x1f, 0x9a], 5), CompressionError);
  // Six continuation octets.
  assert.throws(
    () => decode([0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 5),
    CompressionError,
  );
  // 2^32 + 30 does not fit.
  assert.throws(
    () => decode([0x1f, 0xff, 0xff, 0xff, 0xff, 0x10], 5),
    CompressionError,
  );
});
