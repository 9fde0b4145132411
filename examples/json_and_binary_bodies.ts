/**
 * JSON and binary request bodies: `json`, `content` as bytes or text, and
 * a generator body sent with `Transfer-Encoding: chunked`.
 *
 * Seeds: 000 "JSON 데이터 보내기" / "바이너리 요청 데이터", 001 "send json
 * encoded data" / "Sending Binary Request Data", 002 "POST" with `json=`.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

interface Echo {
  data: string;
  json: unknown;
  headers: Record<string, string>;
}

/** Send JSON, bytes and a streamed body. */
export async function main(baseUrl: string): Promise<void> {
  // data = {'integer': 123, 'boolean': True, 'list': ['a', 'b', 'c']}
  const data = { integer: 123, boolean: true, list: ["a", "b", "c"] };
  let r = await httpx.post(`${baseUrl}/post`, { json: data });
  let echo = r.json<Echo>();
  console.log("json:", echo.json);
  // Differs from HTTPX's output in seed 000: the body is compact JSON, as
  // HTTPX 0.28 sends it (older versions put a space after ':' and ',').
  console.log("data:", echo.data);
  console.log("Content-Type:", echo.headers["Content-Type"]);

  // Seed 002: log in with a JSON body.
  r = await httpx.post(`${baseUrl}/post`, {
    json: { username: "alice", password: "secret" },
  });
  console.log("login json:", r.json<Echo>().json);

  // content = b'hello, world'
  r = await httpx.post(`${baseUrl}/post`, {
    content: new TextEncoder().encode("hello, world"),
  });
  echo = r.json<Echo>();
  console.log(
    "data:",
    echo.data,
    "Content-Length:",
    echo.headers["Content-Length"],
  );

  // Text content is sent as UTF-8; set the Content-Type yourself.
  r = await httpx.post(`${baseUrl}/post`, {
    content: "<note>hi</note>",
    headers: { "Content-Type": "application/xml" },
  });
  echo = r.json<Echo>();
  console.log(
    "data:",
    echo.data,
    "Content-Type:",
    echo.headers["Content-Type"],
  );

  // A generator of bytes: streamed with Transfer-Encoding: chunked.
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const word of ["streamed ", "in ", "three chunks"]) {
      yield new TextEncoder().encode(word);
    }
  }
  r = await httpx.post(`${baseUrl}/post`, { content: chunks() });
  echo = r.json<Echo>();
  console.log(
    "data:",
    echo.data,
    "Transfer-Encoding:",
    r.request.headers.get("transfer-encoding"),
  );

  // PUT / PATCH / DELETE with JSON, as in seed 002's items API.
  r = await httpx.put(`${baseUrl}/anything/items/1`, {
    json: { name: "Updated" },
  });
  console.log("PUT", r.statusCode, r.json<Echo>().json);
  r = await httpx.patch(`${baseUrl}/anything/items/1`, { json: { stock: 5 } });
  console.log("PATCH", r.statusCode, r.json<Echo>().json);
  r = await httpx.delete(`${baseUrl}/anything/items/1`);
  console.log("DELETE", r.statusCode);
}

if (import.meta.main) await runExample(main);
