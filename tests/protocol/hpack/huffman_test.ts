import assert from "node:assert/strict";
import { ByteWriter } from "../../../src/protocol/hpack/_byte_writer.ts";
import { CompressionError } from "../../../src/protocol/hpack/compression_error.ts";
import {
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedLength,
} from "../../../src/protocol/hpack/huffman.ts";
import { HUFFMAN_CODE_TABLE } from "../../../src/protocol/hpack/huffman_table.ts";

function encode(text: string): Uint8Array {
  const writer = new ByteWriter();
  huffmanEncode(writer, text);
  return writer.take();
}

function decode(bytes: number[] | Uint8Array): string {
  const data = Uint8Array.from(bytes);
  return huffmanDecode(data, 0, data.length);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("huffman table: 257 codes forming a canonical prefix code", () => {
  assert.equal(HUFFMAN_CODE_TABLE.length, 257 * 2);
  const symbols = Array.from({ length: 257 }, (_, s) => s);
  symbols.sort((a, b) =>
    HUFFMAN_CODE_TABLE[a * 2 + 1] - HUFFMAN_CODE_TABLE[b * 2 + 1] || a - b
  );
  let code = 0;
  let previous = HUFFMAN_CODE_TABLE[symbols[0] * 2 + 1];
  let kraft = 0;
  for (let i = 0; i < symbols.length; i++) {
    const length = HUFFMAN_CODE_TABLE[symbols[i] * 2 + 1];
    if (i > 0) code = (code + 1) * 2 ** (length - previous);
    previous = length;
    assert.equal(
      HUFFMAN_CODE_TABLE[symbols[i] * 2],
      code,
      `symbol ${symbols[i]}`,
    );
    kraft += 2 ** -length;
  }
  assert.equal(kraft, 1);
  // Spot checks from RFC 7541 Appendix B.
  assert.deepEqual(HUFFMAN_CODE_TABLE.slice(0, 2), [0x1ff8, 13]);
  assert.deepEqual(HUFFMAN_CODE_TABLE.slice(48 * 2, 48 * 2 + 2), [0x0, 5]); // '0'
  assert.deepEqual(HUFFMAN_CODE_TABLE.slice(97 * 2, 97 * 2 + 2), [0x3, 5]); // 'a'
  assert.deepEqual(HUFFMAN_CODE_TABLE.slice(256 * 2), [0x3fffffff, 30]); // EOS
});

Deno.test("huffman: RFC 7541 C.4 and C.6 strings", () => {
  const cases: Array<[string, string]> = [
    ["www.example.com", "f1e3c2e5f23a6ba0ab90f4ff"],
    ["no-cache", "a8eb10649cbf"],
    ["custom-key", "25a849e95ba97d7f"],
    ["custom-value", "25a849e95bb8e8b4bf"],
    ["302", "6402"],
    ["private", "aec3771a4b"],
    [
      "Mon, 21 Oct 2013 20:13:21 GMT",
      "d07abe941054d444a8200595040b8166e082a62d1bff",
    ],
    ["https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3"],
  ];
  for (const [text, wire] of cases) {
    assert.equal(toHex(encode(text)), wire, text);
    assert.equal(huffmanEncodedLength(text), wire.length / 2);
    assert.equal(decode(encode(text)), text);
  }
});

Deno.test("huffman: every octet value round-trips", () => {
  let all = "";
  for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
  assert.equal(decode(encode(all)), all);
  for (let i = 0; i < 256; i++) {
    const one = String.fromCharCode(i);
    assert.equal(decode(encode(one)), one);
    assert.equal(decode(encode(one.repeat(9))), one.repeat(9));
  }
  assert.equal(decode([]), "");
});

Deno.test("huffman: padding rules", () => {
  // 'a' is 00011: padded with three ones gives 0x1f.
  assert.equal(decode([0x1f]), "a");
  // Padding not all ones.
  assert.throws(() => decode([0x18]), CompressionError);
  assert.throws(() => decode([0x1e]), CompressionError);
  // Padding of 8 bits or more (a whole octet of ones after the data).
  assert.throws(() => decode([0x1f, 0xff]), CompressionError);
  assert.throws(() => decode([0xff]), CompressionError);
  // EOS (30 ones) inside the data.
  assert.throws(() => decode([0xff, 0xff, 0xff, 0xff]), CompressionError);
  // 'a' then the first 11 of the 13 bits of symbol 0: a cut-off code.
  assert.throws(() => decode([0x1f, 0xfe]), CompressionError);
  assert.equal(decode([0x18, 0xff]), "aa");
});

Deno.test("huffman: characters above latin1 are refused", () => {
  assert.throws(() => huffmanEncodedLength("caf\u20ac"), CompressionError);
});
