/**
 * HTTP/1.1 micro-benchmarks: `deno bench -A bench/micro/h1_bench.ts`.
 *
 * Serialising a typical request head (the client's default headers),
 * parsing a typical nginx response head with its 13-byte body, and decoding
 * a chunked body fed in network-sized pieces.
 *
 * @module
 */

import { serializeRequestHead } from "../../src/protocol/h1/request_head.ts";
import { ResponseParser } from "../../src/protocol/h1/response_parser.ts";
import {
  encodeChunk,
  LAST_CHUNK,
} from "../../src/protocol/h1/chunked_encoder.ts";

const encoder = new TextEncoder();

const REQUEST_HEADERS: Array<[string, string]> = [
  ["Host", "127.0.0.1:19081"],
  ["Accept", "*/*"],
  ["Accept-Encoding", "gzip, deflate, br, zstd"],
  ["Connection", "keep-alive"],
  ["User-Agent", "python-httpx/0.28.1"],
];

const RESPONSE = encoder.encode(
  "HTTP/1.1 200 OK\r\n" +
    "Server: nginx/1.22.1\r\n" +
    "Date: Tue, 01 Dec 2026 22:05:00 GMT\r\n" +
    "Content-Type: application/octet-stream\r\n" +
    "Content-Length: 13\r\n" +
    "Last-Modified: Tue, 01 Dec 2026 22:00:00 GMT\r\n" +
    "Connection: keep-alive\r\n" +
    'ETag: "674ce2e0-d"\r\n' +
    "Accept-Ranges: bytes\r\n" +
    "\r\n" +
    "Hello, world!",
);

/** 1 MiB as 64 KiB chunks, chunk-encoded, then split into 16 KiB reads. */
const CHUNKED_READS: Uint8Array[] = (() => {
  const head = encoder.encode(
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
  );
  const pieces: Uint8Array[] = [head];
  const chunk = new Uint8Array(65536).fill(120);
  for (let i = 0; i < 16; i++) pieces.push(...encodeChunk(chunk));
  pieces.push(LAST_CHUNK);
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    all.set(piece, offset);
    offset += piece.length;
  }
  const reads: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += 16384) {
    reads.push(all.subarray(i, i + 16384));
  }
  return reads;
})();

Deno.bench("h1: serialise a request head (5 headers)", () => {
  serializeRequestHead("GET", "/13b", REQUEST_HEADERS);
});

const parser = new ResponseParser();
Deno.bench("h1: parse a response head and 13-byte body", () => {
  parser.startResponse("GET");
  parser.feed(RESPONSE);
  let event = parser.next();
  while (event.type !== "end") {
    if (event.type === "needData") throw new Error("incomplete response");
    event = parser.next();
  }
});

Deno.bench("h1: decode a 1 MiB chunked body in 16 KiB reads", () => {
  const p = new ResponseParser();
  p.startResponse("GET");
  let bytes = 0;
  let read = 0;
  for (;;) {
    const event = p.next();
    if (event.type === "end") break;
    if (event.type === "data") bytes += event.chunk.length;
    else if (event.type === "needData") p.feed(CHUNKED_READS[read++]);
  }
  if (bytes !== 1 << 20) throw new Error(`decoded ${bytes} bytes`);
});
