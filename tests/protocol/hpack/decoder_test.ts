import assert from "node:assert/strict";
import {
  CompressionError,
  OversizedHeaderListError,
} from "../../../src/protocol/hpack/compression_error.ts";
import { HpackDecoder } from "../../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../../src/protocol/hpack/encoder.ts";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

Deno.test("decoder: malformed blocks raise CompressionError", () => {
  const cases: Array<[string, Uint8Array]> = [
    ["index 0", bytes(0x80)],
    ["static index out of range of an empty dynamic table", bytes(0xbe)],
    ["index far out of range", bytes(0xff, 0xff, 0x7f)],
    ["truncated integer", bytes(0xff)],
    ["truncated integer in a name index", bytes(0x7f, 0x80)],
    ["truncated string length", bytes(0x40)],
    ["string longer than the block", bytes(0x40, 0x05, 0x61, 0x62)],
    ["value missing", bytes(0x40, 0x01, 0x61)],
    ["bad Huffman padding", bytes(0x40, 0x81, 0x18, 0x00)],
    ["EOS in Huffman data", bytes(0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00)],
    ["literal name index out of range", bytes(0x0f, 0x30, 0x00)],
    ["size update too large", bytes(0x3f, 0xe2, 0x1f)], // 4097
    ["size update after a field", bytes(0x82, 0x20)],
    ["overflowing integer", bytes(0x1f, 0xff, 0xff, 0xff, 0xff, 0x7f)],
  ];
  for (const [what, block] of cases) {
    const decoder = new HpackDecoder();
    assert.throws(() => decoder.decode(block), CompressionError, what);
  }
});

Deno.test("decoder: size updates at the start, within the bound", () => {
  const decoder = new HpackDecoder();
  // Two updates then a field: allowed.
  assert.deepEqual(decoder.decode(bytes(0x20, 0x3f, 0x11, 0x82)), [[
    ":method",
    "GET",
  ]]);
  assert.equal(decoder.table.maxSize, 48);
  assert.deepEqual(decoder.decode(bytes(0x3f, 0xe1, 0x1f)), []); // 4096
  assert.equal(decoder.table.maxSize, 4096);
});

Deno.test("decoder: a lowered SETTINGS bound requires a size update", () => {
  const decoder = new HpackDecoder();
  decoder.setMaxAllowedTableSize(1024);
  assert.throws(() => decoder.decode(bytes(0x82)), CompressionError);
  const again = new HpackDecoder();
  again.setMaxAllowedTableSize(1024);
  assert.throws(() => again.decode(bytes(0x3f, 0xe2, 0x07)), CompressionError); // 1025
  assert.deepEqual(again.decode(bytes(0x3f, 0xe1, 0x07, 0x82)), [[
    ":method",
    "GET",
  ]]);
  assert.equal(again.table.maxSize, 1024);
});

Deno.test("decoder: oversized header list is raised after the whole block keeps the context", () => {
  const encoder = new HpackEncoder();
  const decoder = new HpackDecoder({ maxHeaderListSize: 100 });
  const big = encoder.encode([["x-a", "1".repeat(40)], [
    "x-b",
    "2".repeat(40),
  ]]);
  assert.throws(() => decoder.decode(big), OversizedHeaderListError);
  // Both entries were still added, so the next block using them decodes.
  const next = encoder.encode([["x-b", "2".repeat(40)]]);
  assert.equal(next.length, 1);
  assert.deepEqual(decoder.decode(next), [["x-b", "2".repeat(40)]]);
});

Deno.test("decoder: octets are kept as latin1 characters", () => {
  const decoder = new HpackDecoder();
  const block = bytes(0x00, 0x01, 0x78, 0x03, 0xc3, 0xa9, 0xff);
  assert.deepEqual(decoder.decode(block), [["x", "\u00c3\u00a9\u00ff"]]);
});

Deno.test("decoder: random input ends in a result or CompressionError", () => {
  // A fixed-seed generator keeps the run reproducible.
  let seed = 0x2545f491;
  const next = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const encoder = new HpackEncoder();
  const valid = encoder.encode([
    [":status", "200"],
    ["content-type", "text/html; charset=utf-8"],
    ["x-custom", "value"],
  ]);
  let errors = 0;
  for (let round = 0; round < 3000; round++) {
    let block: Uint8Array;
    if (round % 2 === 0) {
      block = new Uint8Array(next() % 40);
      for (let i = 0; i < block.length; i++) block[i] = next() & 0xff;
    } else {
      block = valid.slice(0, next() % (valid.length + 1));
      if (block.length > 0) block[next() % block.length] ^= 1 << (next() % 8);
    }
    const decoder = new HpackDecoder();
    try {
      decoder.decode(block);
    } catch (error) {
      assert.ok(error instanceof CompressionError, String(error));
      errors++;
    }
  }
  assert.ok(errors > 1000);
});
