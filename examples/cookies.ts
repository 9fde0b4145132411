/**
 * Cookies: read the cookies a response sets, send cookies, scope them to a
 * domain with `httpx.Cookies`, and keep them across requests in a client.
 *
 * Seeds: 000 "쿠키", 001 "Cookies", 004 "Cookies".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Receive, send and scope cookies. */
export async function main(baseUrl: string): Promise<void> {
  // r = httpx.get('https://httpbin.org/cookies/set?chocolate=chip')
  // (httpbin answers with a redirect that sets the cookie; it is not
  // followed, and the cookie is on this response.)
  let r = await httpx.get(`${baseUrl}/cookies/set?chocolate=chip`);
  console.log(r, "r.cookies.get('chocolate'):", r.cookies.get("chocolate"));

  // cookies = {'peanut': 'butter'}
  r = await httpx.get(`${baseUrl}/cookies`, {
    cookies: { peanut: "butter" },
  });
  console.log(r.json()); // { cookies: { peanut: "butter" } }

  // Cookies scoped by domain: only the ones for the request's host go.
  const host = new URL(baseUrl).hostname;
  const cookies = new httpx.Cookies();
  console.log(cookies); // <Cookies[]>
  cookies.set("cookie_on_domain", "hello, there!", { domain: host });
  cookies.set("cookie_off_domain", "nope.", { domain: "example.org" });
  console.log(String(cookies).replace(host, "<host>"));
  r = await httpx.get(`${baseUrl}/cookies`, { cookies });
  console.log(r.json()); // only cookie_on_domain

  // Look one up by name, or by name and domain when names repeat.
  cookies.set("shared", "for example.org", { domain: "example.org" });
  cookies.set("shared", "for example.com", { domain: "example.com" });
  console.log(cookies.get("shared", { domain: "example.com" }));
  try {
    cookies.get("shared");
  } catch (error) {
    if (!(error instanceof httpx.CookieConflict)) throw error;
    console.log(`${error.name}: ${error.message}`);
  }

  // A client keeps the cookies servers set, across requests and redirects.
  await using client = new httpx.Client({ followRedirects: true });
  r = await client.get(`${baseUrl}/cookies/set`, {
    params: { flavour: "oatmeal", count: "12" },
  });
  console.log("after redirect:", r.url.path, r.json());
  r = await client.get(`${baseUrl}/cookies`);
  console.log("next request:", r.json());
  console.log(
    "jar:",
    [...client.cookies].map(([name, value]) => `${name}=${value}`),
  );

  // And forgets them when the server deletes them.
  r = await client.get(`${baseUrl}/cookies/delete?count`);
  console.log("after delete:", r.json());
}

if (import.meta.main) await runExample(main);
