/**
 * Model micro-benchmarks: `deno bench -A bench/micro/models_bench.ts`.
 *
 * Building `Headers` (from pairs, as the parser hands them over, and from a
 * record), parsing a `URL`, and building the `Request` a client sends.
 *
 * @module
 */

import { Headers } from "../../src/models/headers.ts";
import { Request } from "../../src/models/request.ts";
import { URL } from "../../src/models/url.ts";

const PAIRS: Array<[string, string]> = [
  ["Server", "nginx/1.22.1"],
  ["Date", "Tue, 01 Dec 2026 22:05:00 GMT"],
  ["Content-Type", "application/octet-stream"],
  ["Content-Length", "13"],
  ["Last-Modified", "Tue, 01 Dec 2026 22:00:00 GMT"],
  ["Connection", "keep-alive"],
  ["ETag", '"674ce2e0-d"'],
  ["Accept-Ranges", "bytes"],
];

const RECORD = {
  Accept: "*/*",
  "Accept-Encoding": "gzip, deflate, br, zstd",
  Connection: "keep-alive",
  "User-Agent": "python-httpx/0.28.1",
};

const clientHeaders = new Headers(RECORD);

Deno.bench("models: Headers from 8 response pairs", () => {
  new Headers(PAIRS);
});

Deno.bench("models: Headers from a record of 4", () => {
  new Headers(RECORD);
});

Deno.bench("models: Headers.get on 8 pairs", () => {
  const headers = new Headers(PAIRS);
  headers.get("content-length");
});

Deno.bench("models: URL parse http://127.0.0.1:19081/13b", () => {
  new URL("http://127.0.0.1:19081/13b");
});

Deno.bench("models: URL parse with a query and a name host", () => {
  new URL("https://api.example.org/v1/users?page=2&per_page=50");
});

const url = new URL("http://127.0.0.1:19081/13b");
Deno.bench("models: Request GET with the client's headers", () => {
  new Request("GET", url, { headers: clientHeaders });
});
