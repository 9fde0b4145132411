/**
 * Custom request headers, and how `Headers` treats names.
 *
 * Seeds: 000 "Custom Headers", 001 "custom headers", 002 "헤더",
 * 004 "Custom headers".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Send custom headers and print what the server received. */
export async function main(baseUrl: string): Promise<void> {
  // headers = {'user-agent': 'my-app/0.0.1'}
  let r = await httpx.get(`${baseUrl}/headers`, {
    headers: { "user-agent": "my-app/0.0.1" },
  });
  const seen = r.json<{ headers: Record<string, string> }>().headers;
  console.log("User-Agent:", seen["User-Agent"]);
  console.log("Accept:", seen["Accept"]);

  // Several headers (seed 002): a bearer token, a content type, an agent.
  r = await httpx.get(`${baseUrl}/anything/me`, {
    headers: {
      "Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
      "Content-Type": "application/json",
      "User-Agent": "MyApp/1.0",
    },
  });
  // Printing Headers masks credentials.
  console.log(r.request.headers);

  // Repeated headers: pass pairs.
  r = await httpx.get(`${baseUrl}/headers`, {
    headers: [["X-Tag", "a"], ["X-Tag", "b"]],
  });
  console.log("X-Tag:", r.request.headers.getList("x-tag"));
  console.log(
    "server saw X-Tag:",
    r.json<{ headers: Record<string, string> }>().headers["X-Tag"],
  );

  // An httpx.Headers object is case-insensitive and keeps its order.
  const headers = new httpx.Headers({ "X-Custom": "value" });
  headers.append("Accept", "application/json");
  console.log(headers.get("x-custom"), headers.has("ACCEPT"), [...headers]);
}

if (import.meta.main) await runExample(main);
