/**
 * HPACK micro-benchmarks: `deno bench bench/micro/hpack_bench.ts`.
 *
 * Encoding a typical request head (repeat requests hit the dynamic table),
 * decoding a typical nginx response head (Huffman literals, no indexing),
 * and decoding a header block that references the dynamic table.
 *
 * @module
 */

import { HpackDecoder } from "../../src/protocol/hpack/decoder.ts";
import {
  type HeaderList,
  HpackEncoder,
} from "../../src/protocol/hpack/encoder.ts";

const REQUEST: HeaderList = [
  [":method", "GET"],
  [":authority", "localhost:19443"],
  [":scheme", "https"],
  [":path", "/13b"],
  ["accept", "*/*"],
  ["accept-encoding", "gzip, deflate, br, zstd"],
  ["connection", "keep-alive"],
  ["user-agent", "python-httpx/0.28.1"],
];

const RESPONSE: HeaderList = [
  [":status", "200"],
  ["server", "nginx/1.22.1"],
  ["date", "Tue, 01 Dec 2026 10:00:00 GMT"],
  ["content-type", "application/octet-stream"],
  ["content-length", "13"],
  ["last-modified", "Tue, 01 Dec 2026 09:00:00 GMT"],
  ["etag", '"692d6a10-d"'],
  ["accept-ranges", "bytes"],
];

// What nginx sends: every field a literal without indexing, Huffman-coded.
const plainEncoder = new HpackEncoder({ maxTableSize: 0 });
const responseBlock = plainEncoder.encode(RESPONSE);

// A block referencing fields a previous block put in the dynamic table.
const indexingEncoder = new HpackEncoder();
const indexingDecoder = new HpackDecoder();
indexingDecoder.decode(indexingEncoder.encode(RESPONSE));
const indexedBlock = indexingEncoder.encode(RESPONSE);

Deno.bench("hpack encode request head (repeat, dynamic table)", {
  group: "encode",
  baseline: true,
}, (b) => {
  const encoder = new HpackEncoder();
  encoder.encode(REQUEST);
  b.start();
  for (let i = 0; i < 1000; i++) encoder.encode(REQUEST);
  b.end();
});

Deno.bench("hpack encode request head (first, empty table)", {
  group: "encode",
}, (b) => {
  b.start();
  for (let i = 0; i < 1000; i++) new HpackEncoder().encode(REQUEST);
  b.end();
});

Deno.bench("hpack decode nginx response head (Huffman literals)", {
  group: "decode",
  baseline: true,
}, (b) => {
  const decoder = new HpackDecoder();
  b.start();
  for (let i = 0; i < 1000; i++) decoder.decode(responseBlock);
  b.end();
});

Deno.bench("hpack decode indexed response head (dynamic table)", {
  group: "decode",
}, (b) => {
  b.start();
  for (let i = 0; i < 1000; i++) indexingDecoder.decode(indexedBlock);
  b.end();
});
