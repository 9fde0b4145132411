import assert from "node:assert/strict";
import {
  encodeChunk,
  encodeChunkInto,
  LAST_CHUNK,
} from "../../../src/protocol/h1/chunked_encoder.ts";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (parts: Uint8Array[]): string =>
  parts.map((p) => new TextDecoder().decode(p)).join("");

Deno.test("encodeChunk frames data with a hex size line", () => {
  assert.equal(text(encodeChunk(bytes("hello"))), "5\r\nhello\r\n");
  assert.equal(
    text(encodeChunk(bytes("x".repeat(26)))),
    "1a\r\n" + "x".repeat(26) + "\r\n",
  );
  assert.equal(encodeChunk(bytes("hello")).length, 1);
  assert.deepEqual(encodeChunk(new Uint8Array(0)), []);
  assert.deepEqual([...LAST_CHUNK], [0x30, 13, 10, 13, 10]);
});

Deno.test("encodeChunk does not copy large chunks", () => {
  const data = new Uint8Array(70_000).fill(7);
  const pieces = encodeChunk(data);
  assert.equal(pieces.length, 3);
  assert.equal(text([pieces[0]]), "11170\r\n");
  assert.equal(pieces[1], data);
  assert.equal(text([pieces[2]]), "\r\n");
});

Deno.test("encodeChunkInto frames data into a given buffer when it fits", () => {
  const out = new Uint8Array(16).fill(0xee);
  assert.equal(encodeChunkInto(bytes("hello"), out), 10);
  assert.equal(text([out.subarray(0, 10)]), "5\r\nhello\r\n");
  assert.equal(out[10], 0xee);
  assert.equal(encodeChunkInto(new Uint8Array(0), out), 0);
  // 26 bytes need 1a CRLF … CRLF: 32 bytes.
  const small = new Uint8Array(31).fill(0xee);
  assert.equal(encodeChunkInto(bytes("x".repeat(26)), small), -1);
  assert.ok(small.every((b) => b === 0xee));
  const exact = new Uint8Array(32);
  assert.equal(encodeChunkInto(bytes("x".repeat(26)), exact), 32);
  assert.equal(text([exact]), "1a\r\n" + "x".repeat(26) + "\r\n");
});
