import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { Cookies } from "../../src/models/cookies.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { MockTransport } from "../../src/transports/mock.ts";

function cookieApp(request: Request): Response {
  if (request.url.path === "/echo_cookies") {
    return new Response(200, {
      json: { cookies: request.headers.get("cookie") ?? null },
    });
  }
  if (request.url.path === "/set_cookie") {
    return new Response(200, {
      headers: { "Set-Cookie": "example-name=example-value" },
    });
  }
  return new Response(404);
}

function client(options: ConstructorParameters<typeof Client>[0] = {}) {
  return new Client({ transport: new MockTransport(cookieApp), ...options });
}

const echoed = async (c: Client, options = {}) =>
  (await c.get("http://example.org/echo_cookies", options)).json<
    { cookies: string | null }
  >().cookies;

Deno.test("per-request cookies are sent", async () => {
  await using c = client();
  assert.equal(
    await echoed(c, { cookies: { "example-name": "example-value" } }),
    "example-name=example-value",
  );
  // They do not stick to the client.
  assert.equal(await echoed(c), null);
  assert.equal(c.cookies.size, 0);
});

Deno.test("client cookies from a record, a Cookies and the setter", async () => {
  await using c = client({ cookies: { a: "1" } });
  assert.equal(await echoed(c), "a=1");

  const jar = new Cookies();
  jar.set("b", "2", { domain: "example.org" });
  c.cookies = jar;
  assert.equal(await echoed(c), "b=2");
  jar.set("c", "3");
  // The setter copied the cookies.
  assert.equal(await echoed(c), "b=2");

  await using other = client({ cookies: jar });
  assert.equal(await echoed(other), "b=2; c=3");
});

Deno.test("a CookieJar is used by reference", async () => {
  const source = new Cookies({ x: "1" });
  await using c = client({ cookies: source.jar });
  source.set("y", "2");
  assert.equal(await echoed(c), "x=1; y=2");
});

Deno.test("request cookies win over client cookies of the same name", async () => {
  await using c = client({ cookies: { a: "client", b: "kept" } });
  const header = await echoed(c, { cookies: { a: "request" } });
  assert.ok(header !== null);
  const pairs = header.split("; ").sort();
  assert.deepEqual(pairs, ["a=request", "b=kept"]);
});

Deno.test("Set-Cookie goes to response.cookies and the client jar", async () => {
  await using c = client();
  const response = await c.get("http://example.org/set_cookie");
  assert.equal(response.cookies.get("example-name"), "example-value");
  assert.equal(c.cookies.get("example-name"), "example-value");
  assert.equal(await echoed(c), "example-name=example-value");
});

Deno.test("cookies persist and can be cleared", async () => {
  await using c = client();
  await c.get("http://example.org/set_cookie");
  assert.equal(await echoed(c), "example-name=example-value");
  c.cookies.clear();
  assert.equal(await echoed(c), null);
});
