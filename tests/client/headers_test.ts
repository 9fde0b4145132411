import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { USER_AGENT, VERSION } from "../../src/client/_version.ts";
import {
  hostHeader,
  isHttpsRedirect,
  sameOrigin,
} from "../../src/client/_redirects.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { URL } from "../../src/models/url.ts";
import { MockTransport } from "../../src/transports/mock.ts";

function echoHeaders(request: Request): Response {
  return new Response(200, { json: request.headers.multiItems() });
}

function client(options: ConstructorParameters<typeof Client>[0] = {}) {
  return new Client({ transport: new MockTransport(echoHeaders), ...options });
}

async function sent(
  c: Client,
  url = "http://example.org/echo_headers",
  headers?: Record<string, string>,
): Promise<Array<[string, string]>> {
  const response = await c.get(url, headers ? { headers } : {});
  return response.json<Array<[string, string]>>();
}

Deno.test("default headers plus client headers", async () => {
  await using c = client({ headers: { "Example-Header": "example-value" } });
  assert.deepEqual(await sent(c), [
    ["host", "example.org"],
    ["accept", "*/*"],
    ["accept-encoding", "gzip, deflate, br, zstd"],
    ["connection", "keep-alive"],
    ["user-agent", `x-httpx/${VERSION}`],
    ["example-header", "example-value"],
  ]);
  assert.equal(USER_AGENT, `x-httpx/${VERSION}`);
});

Deno.test("request headers win over client headers per name", async () => {
  await using c = client({
    headers: { "X-Auth-Token": "FooBar", "User-Agent": "custom/1" },
  });
  const headers = await sent(c, undefined, { "X-Auth-Token": "FooBarBaz" });
  const map = new Map(headers);
  assert.equal(map.get("x-auth-token"), "FooBarBaz");
  assert.equal(map.get("user-agent"), "custom/1");
  assert.equal(headers.filter(([k]) => k === "x-auth-token").length, 1);
});

Deno.test("client.headers.update and set", async () => {
  await using c = client();
  c.headers.update({ "User-Agent": "python-myclient/0.2.1" });
  c.headers.set("Another-Header", "AThing");
  const map = new Map(await sent(c));
  assert.equal(map.get("user-agent"), "python-myclient/0.2.1");
  assert.equal(map.get("another-header"), "AThing");
});

Deno.test("a default header can be removed", async () => {
  await using c = client();
  c.headers.delete("User-Agent");
  const map = new Map(await sent(c));
  assert.equal(map.has("user-agent"), false);
  assert.equal(map.get("accept"), "*/*");
});

Deno.test("setting client.headers keeps the defaults", async () => {
  await using c = client();
  c.headers = { "X-New": "1" };
  assert.equal(c.headers.get("accept"), "*/*");
  assert.equal(c.headers.get("x-new"), "1");
  c.headers = { Accept: "text/html" };
  assert.deepEqual(c.headers.getList("accept"), ["text/html"]);
});

Deno.test("repeated headers stay separate on the wire", async () => {
  await using c = client();
  const response = await c.get("http://example.org/", {
    headers: [["X-Multi", "a"], ["X-Multi", "b"]],
  });
  const items = response.json<Array<[string, string]>>();
  assert.deepEqual(items.filter(([k]) => k === "x-multi"), [
    ["x-multi", "a"],
    ["x-multi", "b"],
  ]);
});

Deno.test("Host has no userinfo and no default port", async () => {
  await using c = client();
  const host = async (url: string) => new Map(await sent(c, url)).get("host");
  assert.equal(
    await host("http://username:password@example.org:80/"),
    "example.org",
  );
  assert.equal(await host("https://example.org:443/"), "example.org");
  assert.equal(await host("http://example.org:123/"), "example.org:123");
  assert.equal(await host("https://[::1]:8443/"), "[::1]:8443");
});

Deno.test("redirect helpers: origin, upgrade and Host", () => {
  const u = (s: string) => new URL(s);
  assert.equal(
    sameOrigin(u("https://example.org/a"), u("https://example.org:443/b")),
    true,
  );
  assert.equal(
    sameOrigin(u("https://example.org/"), u("http://example.org/")),
    false,
  );
  assert.equal(
    sameOrigin(u("https://example.org/"), u("https://www.example.org/")),
    false,
  );
  assert.equal(
    isHttpsRedirect(u("http://example.org/"), u("https://example.org/")),
    true,
  );
  assert.equal(
    isHttpsRedirect(u("http://example.org/"), u("https://other.org/")),
    false,
  );
  assert.equal(
    isHttpsRedirect(u("http://example.org:8080/"), u("https://example.org/")),
    false,
  );
  assert.equal(
    isHttpsRedirect(u("http://example.org/"), u("https://example.org:8443/")),
    false,
  );
  assert.equal(
    isHttpsRedirect(u("https://example.org/"), u("http://example.org/")),
    false,
  );
  assert.equal(hostHeader(u("https://example.org:8443/")), "example.org:8443");
  assert.equal(hostHeader(u("https://[::1]/")), "[::1]");
});
