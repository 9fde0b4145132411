/**
 * Redirects and history: redirects are not followed unless asked;
 * `nextRequest` says where one would go, `history` lists the hops taken.
 *
 * Seeds: 000 "리다이렉션 , History", 001 "Redirection and hystory",
 * 002 `httpx.Client(timeout=10.0, follow_redirects=True)`.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Look at a redirect, then follow it. */
export async function main(baseUrl: string): Promise<void> {
  // The seeds use http://github.com/, which redirects to https with a 301.
  // Here a local endpoint answers with the same kind of redirect.
  const url = `${baseUrl}/redirect-to?url=/get&status_code=301`;

  // r = httpx.get('http://github.com/')
  let r = await httpx.get(url);
  console.log("status:", r.statusCode);
  console.log("history:", r.history);
  console.log("location:", r.headers.get("location"));
  console.log("nextRequest:", r.nextRequest);

  // r = httpx.get('http://github.com/', follow_redirects=True)
  r = await httpx.get(url, { followRedirects: true });
  console.log("url:", r.url);
  console.log("status:", r.statusCode);
  console.log("history:", r.history);
  console.log("history[0].url:", r.history[0].url);

  // A chain: each hop is in history, oldest first.
  await using client = new httpx.Client({ followRedirects: true, timeout: 10 });
  r = await client.get(`${baseUrl}/redirect/3`);
  console.log(
    "chain:",
    r.history.map((h) => `${h.statusCode} ${h.url.path}`),
    "->",
    r.statusCode,
    r.url.path,
  );

  // A 303 turns POST into GET and drops the body; 307 and 308 keep both.
  for (const code of [303, 307]) {
    r = await client.post(`${baseUrl}/redirect-to`, {
      params: { url: "/anything", status_code: code },
      json: { kept: true },
    });
    const echo = r.json<{ method: string; json: unknown }>();
    console.log(`${code}: final method ${echo.method}, body`, echo.json);
  }

  // Too many hops.
  client.maxRedirects = 2;
  try {
    await client.get(`${baseUrl}/redirect/5`);
  } catch (error) {
    if (!(error instanceof httpx.TooManyRedirects)) throw error;
    console.log(`${error.name}: ${error.message}`);
  }

  // Following by hand: send nextRequest yourself.
  await using manual = new httpx.Client();
  r = await manual.get(`${baseUrl}/redirect/2`);
  let hops = 0;
  while (r.nextRequest !== null && r.nextRequest !== undefined) {
    hops++;
    r = await manual.send(r.nextRequest);
  }
  console.log(`by hand: ${hops} hops, ended at`, r.url.path, r.statusCode);
}

if (import.meta.main) await runExample(main);
