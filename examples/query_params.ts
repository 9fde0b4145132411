/**
 * Query parameters: a record, list values, and merging with the query
 * already in the URL.
 *
 * Seeds: 000 "헤더에 파라미터 추가하기" / "리스트 전달", 001 "params keyword",
 * 002 "Query parameters".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Build URLs from `params` and show what the server received. */
export async function main(baseUrl: string): Promise<void> {
  // params = {'key1': 'value1', 'key2': 'value2'}
  let r = await httpx.get(`${baseUrl}/get`, {
    params: { key1: "value1", key2: "value2" },
  });
  console.log(r.url); // URL('…/get?key1=value1&key2=value2')

  // A list value repeats the key.
  r = await httpx.get(`${baseUrl}/get`, {
    params: { key1: "value1", key2: ["value2", "value3"] },
  });
  console.log(r.url);
  console.log("args seen by the server:", r.json<{ args: unknown }>().args);

  // Numbers are fine too (seed 002: page, limit, category).
  r = await httpx.get(`${baseUrl}/anything/products`, {
    params: { page: 1, limit: 20, category: "books" },
  });
  console.log(r.url);

  // Pairs keep their order, and keys may repeat.
  r = await httpx.get(`${baseUrl}/get`, {
    params: [["tag", "a"], ["tag", "b"], ["q", "x y"]],
  });
  console.log(r.url);

  // Differs from HTTPX 0.28: params merge with the query already in the
  // URL (as in requests) instead of replacing it.
  r = await httpx.get(`${baseUrl}/get?page=1&sort=asc`, {
    params: { page: 2 },
  });
  console.log(r.url);

  // The URL's params are a QueryParams: immutable, multi-valued.
  const params = r.url.params;
  console.log("page:", params.get("page"), "sort:", params.get("sort"));
  console.log(params.add("tag", "new").toString());
}

if (import.meta.main) await runExample(main);
