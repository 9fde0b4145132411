import assert from "node:assert/strict";
import { CompressionError } from "../../../src/protocol/hpack/compression_error.ts";
import { HpackDecoder } from "../../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../../src/protocol/hpack/encoder.ts";

Deno.test("encoder: credentials and short cookies are never indexed", () => {
  const encoder = new HpackEncoder({ huffman: false });
  const block = encoder.encode([
    ["authorization", "Basic dXNlcjpwYXNz"],
    ["cookie", "a=1"],
    ["proxy-authorization", "secret"],
  ]);
  // 0001xxxx with the static name index: authorization is 23 (0x1f 0x08).
  assert.deepEqual(Array.from(block.subarray(0, 2)), [0x1f, 0x08]);
  assert.equal(encoder.table.length, 0);
  const decoder = new HpackDecoder();
  assert.deepEqual(decoder.decode(block), [
    ["authorization", "Basic dXNlcjpwYXNz"],
    ["cookie", "a=1"],
    ["proxy-authorization", "secret"],
  ]);
  // A long cookie is indexed.
  encoder.encode([["cookie", "session=" + "x".repeat(40)]]);
  assert.equal(encoder.table.length, 1);
});

Deno.test("encoder: the sensitive option marks more names never-indexed", () => {
  const encoder = new HpackEncoder({ huffman: false });
  const block = encoder.encode([["x-api-key", "k"]], {
    sensitive: (name) => name === "x-api-key",
  });
  assert.equal(block[0], 0x10);
  assert.equal(encoder.table.length, 0);
});

Deno.test("encoder: repeated fields become one-octet indexes", () => {
  const encoder = new HpackEncoder();
  const decoder = new HpackDecoder();
  const headers: Array<[string, string]> = [
    [":method", "GET"],
    [":scheme", "https"],
    [":authority", "example.org"],
    [":path", "/a"],
    ["user-agent", "python-httpx/0.28.1"],
    ["accept", "*/*"],
  ];
  const first = encoder.encode(headers);
  const second = encoder.encode(headers);
  assert.ok(second.length < first.length / 2);
  assert.deepEqual(decoder.decode(first), headers);
  assert.deepEqual(decoder.decode(second), headers);
  // ":path" is sent without indexing, the rest fully indexed.
  // 5 indexes + ":path" (name index, length, two raw octets).
  assert.equal(second.length, 5 + 4);
});

Deno.test("encoder: Huffman only when strictly shorter", () => {
  const encoder = new HpackEncoder();
  // Octets with long codes would grow under Huffman: sent raw (H bit clear).
  const block = encoder.encode([["x", "\u00ff\u00fe"]], {
    sensitive: () => true,
  });
  assert.deepEqual(Array.from(block), [0x10, 0x01, 0x78, 0x02, 0xff, 0xfe]);
  const text = encoder.encode([["x", "aaaa"]], { sensitive: () => true });
  assert.equal(text[3] & 0x80, 0x80);
});

Deno.test("encoder: setMaxTableSize emits the smallest then the final size", () => {
  const encoder = new HpackEncoder();
  encoder.encode([["x-a", "1"]]);
  assert.equal(encoder.table.length, 1);
  encoder.setMaxTableSize(0);
  encoder.setMaxTableSize(1024);
  assert.equal(encoder.table.length, 0);
  const block = encoder.encode([[":method", "GET"]]);
  // 001 00000 (0), then 001 11111 + 1024 - 31 = 993 (0xe1 0x07), then 0x82.
  assert.deepEqual(Array.from(block), [0x20, 0x3f, 0xe1, 0x07, 0x82]);
  const decoder = new HpackDecoder();
  decoder.decode(new HpackEncoder().encode([]));
  assert.deepEqual(decoder.decode(block), [[":method", "GET"]]);
  assert.equal(decoder.table.maxSize, 1024);
  // Only once.
  assert.deepEqual(Array.from(encoder.encode([[":method", "GET"]])), [0x82]);
});

Deno.test("encoder: a growing size only emits the final size", () => {
  const encoder = new HpackEncoder({ maxTableSize: 256 });
  encoder.setMaxTableSize(4096);
  assert.deepEqual(Array.from(encoder.encode([])), [0x3f, 0xe1, 0x1f]);
});

Deno.test("encoder: large entries are not indexed", () => {
  const encoder = new HpackEncoder({ maxTableSize: 256 });
  encoder.encode([["x-big", "v".repeat(200)]]);
  assert.equal(encoder.table.length, 0);
});

Deno.test("encoder: characters above latin1 raise CompressionError", () => {
  const encoder = new HpackEncoder({ huffman: false });
  assert.throws(() => encoder.encode([["x", "\u2603"]]), CompressionError);
  const huffman = new HpackEncoder();
  assert.throws(() => huffman.encode([["x", "\u2603"]]), CompressionError);
});

Deno.test("encoder: a refused list leaves the table untouched", () => {
  const encoder = new HpackEncoder();
  const decoder = new HpackDecoder();
  assert.throws(
    () => encoder.encode([["x-first", "ok"], ["x", "\u2603"]]),
    CompressionError,
  );
  assert.equal(encoder.table.length, 0);
  const block = encoder.encode([["x-first", "ok"]]);
  assert.deepEqual(decoder.decode(block), [["x-first", "ok"]]);
});
