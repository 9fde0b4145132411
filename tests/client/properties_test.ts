import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { Timeout } from "../../src/config/timeout.ts";
import { Cookies } from "../../src/models/cookies.ts";
import { Headers } from "../../src/models/headers.ts";
import { URL } from "../../src/models/url.ts";
import { MockTransport } from "../../src/transports/mock.ts";
import { Response } from "../../src/models/response.ts";

const transport = new MockTransport(() => new Response(200));

Deno.test("baseUrl always gets a trailing slash", () => {
  const c = new Client({ transport, baseUrl: "https://www.example.org/path" });
  assert.ok(c.baseUrl instanceof URL);
  assert.equal(c.baseUrl.toString(), "https://www.example.org/path/");
  c.baseUrl = "https://www.example.com/other";
  assert.equal(c.baseUrl.toString(), "https://www.example.com/other/");
  c.baseUrl = new URL("https://www.example.com/ok/");
  assert.equal(c.baseUrl.toString(), "https://www.example.com/ok/");
});

Deno.test("headers property", () => {
  const c = new Client({ transport });
  c.headers = { a: "b" };
  assert.ok(c.headers instanceof Headers);
  assert.equal(c.headers.get("A"), "b");
});

Deno.test("cookies property", () => {
  const c = new Client({ transport });
  c.cookies = { a: "b" };
  assert.ok(c.cookies instanceof Cookies);
  assert.equal(c.cookies.get("a"), "b");
});

Deno.test("timeout property and default", () => {
  const c = new Client({ transport });
  assert.ok(c.timeout.equals(new Timeout(5)));
  c.timeout = 10;
  assert.ok(c.timeout instanceof Timeout);
  assert.equal(c.timeout.read, 10);
  c.timeout = null;
  assert.equal(c.timeout.connect, null);
  c.timeout = { total: 30 };
  assert.equal(c.timeout.total, 30);
  assert.equal(c.timeout.pool, 5);
});

Deno.test("eventHooks property", () => {
  const c = new Client({ transport });
  const hook = () => {};
  assert.deepEqual(c.eventHooks, { request: [], response: [] });
  c.eventHooks = { request: [hook] };
  assert.deepEqual(c.eventHooks, { request: [hook], response: [] });
  const hooks: Client["eventHooks"] = c.eventHooks;
  hooks.response.push(hook);
  assert.equal(c.eventHooks.response.length, 1);
});

Deno.test("trustEnv is read-only, other defaults", () => {
  const c = new Client({ transport });
  assert.equal(c.trustEnv, true);
  assert.throws(() => {
    (c as unknown as { trustEnv: boolean }).trustEnv = false;
  }, TypeError);
  assert.equal(new Client({ transport, trustEnv: false }).trustEnv, false);
  assert.equal(c.followRedirects, false);
  assert.equal(c.maxRedirects, 20);
  assert.equal(c.auth, null);
  assert.equal(c.isClosed, false);
});

Deno.test("transport property is settable", async () => {
  const c = new Client({ transport });
  const other = new MockTransport(() => new Response(201));
  c.transport = other;
  assert.equal(c.transport, other);
  assert.equal((await c.get("https://example.org/")).statusCode, 201);
});
