import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { QueryParams } from "../../src/models/query_params.ts";
import { Response } from "../../src/models/response.ts";
import { MockTransport } from "../../src/transports/mock.ts";

function client(options: ConstructorParameters<typeof Client>[0] = {}) {
  return new Client({
    transport: new MockTransport((request) =>
      new Response(200, { text: request.url.toString() })
    ),
    ...options,
  });
}

Deno.test("client params from a record", async () => {
  await using c = client({ params: { a: "b" } });
  assert.ok(c.params instanceof QueryParams);
  assert.equal(c.params.toString(), "a=b");
  const response = await c.get("http://example.org/echo");
  assert.equal(response.text, "http://example.org/echo?a=b");
});

Deno.test("client params from a string", async () => {
  await using c = client({ params: "a=b" });
  assert.equal(c.params.get("a"), "b");
  c.params = "x=1&x=2";
  assert.deepEqual(c.params.getList("x"), ["1", "2"]);
});

Deno.test("client and request params are merged into the URL", async () => {
  await using c = client({ params: { first: "str" } });
  const response = await c.get("http://example.org/echo", {
    params: { second: "dict" },
  });
  assert.equal(
    response.text,
    "http://example.org/echo?first=str&second=dict",
  );
});

Deno.test("URL query < client params < request params, per key", async () => {
  await using c = client({ params: { a: "client", b: "client" } });
  const request = c.buildRequest("GET", "http://example.org/?a=url&c=url", {
    params: { b: "request" },
  });
  const params = request.url.params;
  assert.equal(params.get("a"), "client");
  assert.equal(params.get("b"), "request");
  assert.equal(params.get("c"), "url");
});

Deno.test("the URL's own query is kept when there are no params", async () => {
  await using c = client();
  const response = await c.get("http://example.org/?q=a%20b&flag");
  assert.equal(response.text, "http://example.org/?q=a%20b&flag");
  const merged = await c.get("http://example.org/?a=1", { params: { b: 2 } });
  assert.equal(merged.text, "http://example.org/?a=1&b=2");
});
