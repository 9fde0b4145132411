/**
 * Response headers: a case-insensitive, multi-valued mapping.
 *
 * Seeds: 000 "응답 헤더", 001 "r.headers['Content-Type']" /
 * "r.headers.get('content-type')".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Look headers up in several ways. */
export async function main(baseUrl: string): Promise<void> {
  const r = await httpx.get(`${baseUrl}/response-headers`, {
    params: [
      ["X-Runtime", "148ms"],
      ["ETag", '"e1ca502697e5c9317743dc078f67693f"'],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
    ],
  });
  console.log(r.headers);

  // Any case works.
  console.log("r.headers.get('Content-Type'):", r.headers.get("Content-Type"));
  console.log("r.headers.get('content-type'):", r.headers.get("content-type"));
  console.log("has etag:", r.headers.has("ETAG"));
  console.log("missing:", r.headers.get("x-missing"));

  // Repeated headers: get() joins them with ", ", getList() keeps them apart.
  console.log("get('set-cookie'):", r.headers.get("set-cookie"));
  console.log("getList('set-cookie'):", r.headers.getList("set-cookie"));

  // Iterate as [name, value] pairs (names lower-cased).
  const names = [...r.headers.keys()].filter((name) => name !== "date");
  console.log("names:", names);

  // Or turn them into a plain object.
  const plain = Object.fromEntries(r.headers);
  console.log("x-runtime:", plain["x-runtime"]);
}

if (import.meta.main) await runExample(main);
