import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { runtimeFetchHeaders } from "../../src/models/_web.ts";
import { Request } from "../../src/models/request.ts";

Deno.test("runtimeFetchHeaders: a client's request gives a record without what fetch sends itself", async () => {
  await using client = new Client();
  const request = client.buildRequest("GET", "https://example.org:8443/a", {
    headers: { "X-Trace": "1" },
  });
  // Host, Accept: */* and Connection: keep-alive are in the request...
  assert.deepEqual([...request.headers.keys()], [
    "host",
    "accept",
    "accept-encoding",
    "connection",
    "user-agent",
    "x-trace",
  ]);
  // ...and left to fetch, which sends the same.
  const headers = runtimeFetchHeaders(request);
  assert.ok(!Array.isArray(headers));
  assert.deepEqual(Object.entries(headers), [
    ["Accept-Encoding", "gzip, deflate, br, zstd"],
    ["User-Agent", request.headers.get("user-agent")],
    ["X-Trace", "1"],
  ]);
});

Deno.test("runtimeFetchHeaders: another Accept, Connection or Host is passed on", () => {
  const request = new Request("POST", "http://example.org/", {
    headers: [
      ["Accept", "text/html"],
      ["Connection", "close"],
      ["Host", "other.example"],
      ["Content-Length", "3"],
      ["Transfer-Encoding", "chunked"],
    ],
    content: "abc",
  });
  assert.deepEqual(runtimeFetchHeaders(request), {
    Accept: "text/html",
    Connection: "close",
    Host: "other.example",
  });
});

Deno.test("runtimeFetchHeaders: a repeated name gives the list of pairs, in order", () => {
  const request = new Request("GET", "http://example.org/", {
    headers: [["X-A", "1"], ["Accept", "*/*"], ["X-B", "2"], ["X-A", "3"]],
  });
  assert.deepEqual(runtimeFetchHeaders(request), [
    ["X-A", "1"],
    ["X-B", "2"],
    ["X-A", "3"],
  ]);
  // The same name in other casing is no repeat: fetch appends both.
  const cased = new Request("GET", "http://example.org/", {
    headers: [["X-A", "1"], ["x-a", "2"]],
  });
  assert.deepEqual(runtimeFetchHeaders(cased), { "X-A": "1", "x-a": "2" });
});

Deno.test("runtimeFetchHeaders: names an object cannot hold as its own key give the list", () => {
  for (const name of ["__proto__", "constructor", "toString"]) {
    const request = new Request("GET", "http://example.org/", {
      headers: [["X-A", "1"], [name, "v"]],
    });
    const headers = runtimeFetchHeaders(request);
    assert.deepEqual(headers, [["X-A", "1"], [name, "v"]], name);
  }
});
