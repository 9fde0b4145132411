/**
 * Quickstart: one request per HTTP verb with the top-level functions.
 *
 * Seeds: 000 "사용방법", 001 "BasicUsage", 004 "CRUD operations".
 *
 * Run: `deno run -A examples/quickstart.ts` (set `HTTPBIN_URL` to use
 * another httpbin, such as `https://httpbin.org`).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Send GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS requests. */
export async function main(baseUrl: string): Promise<void> {
  // r = httpx.get('https://httpbin.org/get')
  let r = await httpx.get(`${baseUrl}/get`);
  console.log(r); // <Response [200 OK]>
  console.log("status:", r.statusCode, r.reasonPhrase);
  console.log("content-type:", r.headers.get("content-type"));

  // r = httpx.post('https://httpbin.org/post', data={'key': 'value'})
  r = await httpx.post(`${baseUrl}/post`, { data: { key: "value" } });
  console.log("POST", r.statusCode, "form:", r.json<Echo>().form);

  r = await httpx.put(`${baseUrl}/put`, { data: { key: "value" } });
  console.log("PUT", r.statusCode, "form:", r.json<Echo>().form);

  r = await httpx.patch(`${baseUrl}/patch`, { json: { stock: 5 } });
  console.log("PATCH", r.statusCode, "json:", r.json<Echo>().json);

  r = await httpx.delete(`${baseUrl}/delete`);
  console.log("DELETE", r.statusCode);

  // A HEAD response has headers but never a body.
  r = await httpx.head(`${baseUrl}/get`);
  console.log("HEAD", r.statusCode, "body bytes:", r.content.length);

  r = await httpx.options(`${baseUrl}/get`);
  console.log("OPTIONS", r.statusCode);

  // Any method, by name.
  r = await httpx.request("GET", `${baseUrl}/anything`);
  console.log("request('GET')", r.statusCode, r.json<Echo>().method);
}

interface Echo {
  form: Record<string, string | string[]>;
  json: unknown;
  method?: string;
}

if (import.meta.main) await runExample(main);
