import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { MountPattern } from "../../src/client/_patterns.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { URL } from "../../src/models/url.ts";
import type { BaseTransport } from "../../src/transports/base.ts";

class Named implements BaseTransport {
  constructor(readonly name: string) {}
  handleRequest(_request: Request): Promise<Response> {
    return Promise.resolve(new Response(200, { text: this.name }));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

// [url, mounts (pattern → name or null), expected transport name]
const ROUTES: Array<[string, Record<string, string | null>, string]> = [
  ["http://example.com", {}, "default"],
  ["http://example.com", { "https://": "m" }, "default"],
  ["http://example.com", { "http://example.net": "m" }, "default"],
  ["http://example.com", { "http://*": "m" }, "m"],
  ["https://example.com", { "http://*": "m" }, "default"],
  ["http://example.com", { "http://example.com": "m" }, "m"],
  ["http://www.example.com", { "http://example.com": "m" }, "default"],
  ["http://example.com", { "http://*.example.com": "m" }, "default"],
  ["http://www.example.com", { "http://*.example.com": "m" }, "m"],
  ["http://example.com", { "http://*example.com": "m" }, "m"],
  ["http://www.example.com", { "http://*example.com": "m" }, "m"],
  ["http://wwwexample.com", { "http://*example.com": "m" }, "default"],
  ["http://example.com:443", { "http://example.com": "m" }, "m"],
  ["http://example.com", { "all://": "m" }, "m"],
  [
    "http://example.com",
    { "all://": "m", "http://example.com": null },
    "default",
  ],
  ["http://example.com", { "http://": "m" }, "m"],
  ["http://example.com", { "all://example.com": "m" }, "m"],
  ["http://example.com", { "http://example.com:80": "m" }, "m"],
  ["http://example.com:8080", { "http://example.com:8080": "m" }, "m"],
  ["http://example.com:8080", { "http://example.com": "m" }, "m"],
  ["http://example.com:8080", { "http://example.com:8081": "m" }, "default"],
  ["https://example.com:1234", { "all://*:1234": "m" }, "m"],
  ["https://example.com", { "all://*:1234": "m" }, "default"],
  [
    "http://example.com",
    {
      "all://": "1",
      "http://": "2",
      "all://example.com": "3",
      "http://example.com": "4",
      "http://example.com:80": "5",
    },
    // ":80" is the default port, so it ties with "http://example.com",
    // which was given first (a stable sort, as in HTTPX).
    "4",
  ],
  [
    "http://example.com:8080",
    {
      "all://": "1",
      "http://": "2",
      "all://example.com": "3",
      "http://example.com": "4",
      "http://example.com:80": "5",
    },
    "4",
  ],
  [
    "http://other.org",
    { "all://": "1", "http://": "2", "all://example.com": "3" },
    "2",
  ],
];

Deno.test("mounts routing table", async () => {
  for (const [url, spec, expected] of ROUTES) {
    const mounts: Record<string, BaseTransport | null> = {};
    for (const [key, name] of Object.entries(spec)) {
      mounts[key] = name === null ? null : new Named(name);
    }
    await using client = new Client({
      transport: new Named("default"),
      mounts,
    });
    const response = await client.get(url);
    assert.equal(
      response.text,
      expected,
      `${url} with ${JSON.stringify(spec)}`,
    );
  }
});

Deno.test("pattern priority ordering", () => {
  const patterns = [
    "all://",
    "http://",
    "http://example.com",
    "http://example.com:123",
  ].map((p) => new MountPattern(p));
  patterns.sort(MountPattern.compare);
  assert.deepEqual(patterns.map(String), [
    "http://example.com:123",
    "http://example.com",
    "http://",
    "all://",
  ]);
});

Deno.test("pattern fields and matching", () => {
  const p = new MountPattern("https://Example.org:443");
  assert.equal(p.scheme, "https");
  assert.equal(p.host, "example.org");
  assert.equal(p.port, null);
  assert.equal(p.matches(new URL("https://example.org:8443/")), true);
  assert.equal(p.matches(new URL("http://example.org/")), false);
  const v6 = new MountPattern("all://[::1]");
  assert.equal(v6.host, "::1");
  assert.equal(v6.matches(new URL("http://[::1]:8000/")), true);
  assert.equal(new MountPattern("").matches(new URL("ftp://x/")), true);
  assert.deepEqual(new MountPattern("all://*.a.b:9").priority, [0, -5, 0]);
});

Deno.test("keys must be URL forms", () => {
  for (const key of ["http", "https", "all", "http:"]) {
    assert.throws(() => new MountPattern(key), TypeError);
  }
  for (const key of ["http://", "https://", "all://"]) {
    assert.equal(new MountPattern(key).pattern, key);
  }
  assert.throws(() => new MountPattern("1http://example.org"), TypeError);
  assert.throws(() => new MountPattern("http://example.org:x"), TypeError);
});
