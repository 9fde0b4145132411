/**
 * Form-encoded request bodies, with list values.
 *
 * Seeds: 000 "폼 전달하기", 001 "Sending Form Encoded Data".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

interface Echo {
  form: Record<string, string | string[]>;
  headers: Record<string, string>;
}

/** Post forms and print what the server parsed. */
export async function main(baseUrl: string): Promise<void> {
  // data = {'key1': 'value1', 'key2': 'value2'}
  let r = await httpx.post(`${baseUrl}/post`, {
    data: { key1: "value1", key2: "value2" },
  });
  let echo = r.json<Echo>();
  console.log("form:", echo.form);
  console.log("Content-Type:", echo.headers["Content-Type"]);
  console.log("Content-Length:", echo.headers["Content-Length"]);
  console.log("body sent:", new TextDecoder().decode(r.request.content));

  // A list value sends the field several times.
  r = await httpx.post(`${baseUrl}/post`, {
    data: { key1: ["value1", "value2"] },
  });
  console.log("form:", r.json<Echo>().form);

  // Mixed, as in seed 001.
  r = await httpx.post(`${baseUrl}/post`, {
    data: { key1: ["value1", "value2"], key2: "value2" },
  });
  echo = r.json<Echo>();
  console.log("form:", echo.form);

  // Numbers, booleans and null are sent as HTTPX sends them.
  r = await httpx.post(`${baseUrl}/post`, {
    data: { n: 1, yes: true, no: false, nothing: null },
  });
  console.log("body sent:", new TextDecoder().decode(r.request.content));

  // PUT works the same way.
  r = await httpx.put(`${baseUrl}/put`, { data: { key: "value" } });
  console.log("PUT form:", r.json<Echo>().form);
}

if (import.meta.main) await runExample(main);
