/**
 * Request instances: build a request, change it, then send it with
 * `client.send()`.
 *
 * Seeds: 001 "Request instances", 003 "Request instances".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Build requests by hand and send them. */
export async function main(baseUrl: string): Promise<void> {
  // request = httpx.Request("GET", "https://example.com")
  const request = new httpx.Request("GET", `${baseUrl}/get`, {
    params: { q: "deno" },
  });
  console.log(request);
  {
    await using client = new httpx.Client();
    const response = await client.send(request);
    console.log(response, response.json<{ args: unknown }>().args);
  }

  // headers = {"X-Api-Key": "...", "X-Client-ID": "ABC123"}
  const headers = { "X-Api-Key": "...", "X-Client-ID": "ABC123" };
  await using client = new httpx.Client({ headers });
  const built = client.buildRequest("GET", `${baseUrl}/headers`);
  console.log("X-Client-ID:", built.headers.get("X-Client-ID")); // "ABC123"

  // Don't send the API key for this particular request.
  built.headers.delete("X-Api-Key");

  const response = await client.send(built);
  const seen = response.json<{ headers: Record<string, string> }>().headers;
  console.log("server saw X-Client-ID:", seen["X-Client-Id"]);
  console.log("server saw X-Api-Key:", seen["X-Api-Key"]);

  // A built request carries the client's merged configuration, and
  // send() takes the options that are about sending.
  const post = client.buildRequest("POST", `${baseUrl}/redirect-to`, {
    params: { url: "/get", status_code: 303 },
    json: { hello: "world" },
  });
  console.log(post, post.headers.get("content-type"));
  const followed = await client.send(post, { followRedirects: true });
  console.log("followed:", followed.url.path, followed.history);

  // send(request, { stream: true }) returns before reading the body.
  const streamRequest = client.buildRequest("GET", `${baseUrl}/stream/2`);
  await using streamed = await client.send(streamRequest, { stream: true });
  let lines = 0;
  for await (const _ of streamed.iterLines()) lines++;
  console.log("streamed lines:", lines);
}

if (import.meta.main) await runExample(main);
