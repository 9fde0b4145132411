import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { httpbinApp, startServer } from "../../examples/_server.ts";

const BASE = "http://localhost:8080";

function call(path: string, init?: RequestInit): Promise<Response> {
  return httpbinApp(new Request(BASE + path, init));
}

// deno-lint-ignore no-explicit-any
async function json(path: string, init?: RequestInit): Promise<any> {
  const response = await call(path, init);
  assert.equal(response.status, 200, path);
  assert.equal(response.headers.get("content-type"), "application/json");
  return await response.json();
}

Deno.test("httpbin: /get echoes args, Title-Case headers, origin and url", async () => {
  const body = await json("/get?a=1&a=2&b=x", {
    headers: { "x-custom-thing": "yes", "user-agent": "test/1" },
  });
  assert.deepEqual(body.args, { a: ["1", "2"], b: "x" });
  assert.equal(body.headers["X-Custom-Thing"], "yes");
  assert.equal(body.headers["User-Agent"], "test/1");
  assert.equal(body.headers.Host, "localhost:8080");
  assert.equal(body.origin, "127.0.0.1");
  assert.equal(body.url, BASE + "/get?a=1&a=2&b=x");

  const post = await call("/get", { method: "POST", body: "x" });
  assert.equal(post.status, 405);
  await post.body?.cancel();
});

Deno.test("httpbin: /post with JSON, form, raw and multipart bodies", async () => {
  let body = await json("/post", {
    method: "POST",
    body: JSON.stringify({ hello: ["world"] }),
    headers: { "content-type": "application/json" },
  });
  assert.deepEqual(body.json, { hello: ["world"] });
  assert.equal(body.data, '{"hello":["world"]}');
  assert.deepEqual(body.form, {});

  body = await json("/post", {
    method: "POST",
    body: new URLSearchParams([["a", "1"], ["a", "2"], ["b", "c d"]]),
  });
  assert.deepEqual(body.form, { a: ["1", "2"], b: "c d" });
  assert.equal(body.data, "");
  assert.equal(body.json, null);

  body = await json("/post", { method: "POST", body: Uint8Array.of(0xff, 0) });
  assert.equal(body.data, "data:application/octet-stream;base64,/wA=");

  const form = new FormData();
  form.append("field", "value");
  form.append(
    "upload",
    new Blob(["file text"], { type: "text/plain" }),
    "a.txt",
  );
  body = await json("/post", { method: "POST", body: form });
  assert.deepEqual(body.form, { field: "value" });
  assert.deepEqual(body.files, { upload: "file text" });
});

Deno.test("httpbin: /put, /patch, /delete and /anything", async () => {
  for (const method of ["PUT", "PATCH", "DELETE"]) {
    const body = await json(`/${method.toLowerCase()}`, { method, body: "x" });
    assert.equal(body.data, "x");
    assert.equal(body.method, undefined);
  }
  const anything = await json("/anything/deep/path?q=1", {
    method: "PATCH",
    body: "hi",
  });
  assert.equal(anything.method, "PATCH");
  assert.equal(anything.data, "hi");
  assert.deepEqual(anything.args, { q: "1" });
  assert.equal(anything.url, BASE + "/anything/deep/path?q=1");
});

Deno.test("httpbin: /headers, /ip, /user-agent, /uuid", async () => {
  const headers = await json("/headers", { headers: { accept: "*/*" } });
  assert.equal(headers.headers.Accept, "*/*");
  const ip = await httpbinApp(new Request(BASE + "/ip"), {
    remoteAddr: { hostname: "10.1.2.3" },
  });
  assert.deepEqual(await ip.json(), { origin: "10.1.2.3" });
  const ua = await json("/user-agent", { headers: { "user-agent": "me" } });
  assert.deepEqual(ua, { "user-agent": "me" });
  const { uuid } = await json("/uuid");
  assert.match(uuid, /^[0-9a-f-]{36}$/);
});

Deno.test("httpbin: /status", async () => {
  for (const code of [200, 204, 404, 500]) {
    const response = await call(`/status/${code}`);
    assert.equal(response.status, code);
    await response.body?.cancel();
  }
  const redirect = await call("/status/302");
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get("location"), "/redirect/1");
  const unauthorized = await call("/status/401");
  assert.equal(
    unauthorized.headers.get("www-authenticate"),
    'Basic realm="Fake Realm"',
  );
  const teapot = await call("/status/418");
  assert.equal(await teapot.text(), "I'm a teapot\n");
  const weighted = await call("/status/201:1,202:0");
  assert.equal(weighted.status, 201);
  await weighted.body?.cancel();
  const bad = await call("/status/abc");
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});

Deno.test("httpbin: redirect chains", async () => {
  let response = await call("/redirect/3");
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "/relative-redirect/2");
  response = await call("/relative-redirect/1");
  assert.equal(response.headers.get("location"), "/get");
  response = await call("/absolute-redirect/2");
  assert.equal(response.headers.get("location"), BASE + "/absolute-redirect/1");
  response = await call("/redirect/2?absolute=true");
  assert.equal(response.headers.get("location"), BASE + "/absolute-redirect/1");
  response = await call(
    "/redirect-to?url=https://example.org/x&status_code=307",
  );
  assert.equal(response.status, 307);
  assert.equal(response.headers.get("location"), "https://example.org/x");
  response = await call("/redirect-to?url=/get&status_code=200");
  assert.equal(response.status, 302);
  response = await call("/redirect-to", {
    method: "POST",
    body: new URLSearchParams({ url: "/post", status_code: "308" }),
  });
  assert.equal(response.status, 308);
  assert.equal(response.headers.get("location"), "/post");
});

Deno.test("httpbin: cookies", async () => {
  const cookies = await json("/cookies", { headers: { cookie: "a=1; b=two" } });
  assert.deepEqual(cookies, { cookies: { a: "1", b: "two" } });

  let response = await call("/cookies/set?x=1&y=2");
  assert.equal(response.status, 302);
  assert.equal(response.headers.get("location"), "/cookies");
  assert.deepEqual(response.headers.getSetCookie(), [
    "x=1; Path=/",
    "y=2; Path=/",
  ]);

  response = await call("/cookies/set/name/value");
  assert.deepEqual(response.headers.getSetCookie(), ["name=value; Path=/"]);

  response = await call("/cookies/delete?x");
  const [deleted] = response.headers.getSetCookie();
  assert.match(
    deleted,
    /^x=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0/,
  );
});

Deno.test("httpbin: basic auth", async () => {
  const good = { authorization: "Basic " + btoa("user:pass") };
  assert.deepEqual(await json("/basic-auth/user/pass", { headers: good }), {
    authenticated: true,
    user: "user",
  });
  const bad = await call("/basic-auth/user/pass", {
    headers: { authorization: "Basic " + btoa("user:nope") },
  });
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get("www-authenticate"), 'Basic realm="Fake Realm"');
  await bad.body?.cancel();
  const hidden = await call("/hidden-basic-auth/user/pass");
  assert.equal(hidden.status, 404);
  await hidden.body?.cancel();
  assert.equal(
    (await json("/hidden-basic-auth/user/pass", { headers: good })).user,
    "user",
  );
});

function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    out[m[1]] = m[2] ?? m[3];
  }
  return out;
}

async function digestRequest(
  path: string,
  user: string,
  password: string,
  hashName: string,
): Promise<Response> {
  const challenge = await call(path);
  assert.equal(challenge.status, 401);
  const header = challenge.headers.get("www-authenticate")!;
  assert.match(header, /^Digest /);
  const c = parseChallenge(header);
  const h = (s: string): string => createHash(hashName).update(s).digest("hex");
  const cnonce = "0a4f113b";
  const nc = "00000001";
  const ha1 = h(`${user}:${c.realm}:${password}`);
  const ha2 = h(`GET:${path}`);
  const response = h(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const authorization = `Digest username="${user}", realm="${c.realm}", ` +
    `nonce="${c.nonce}", uri="${path}", algorithm=${c.algorithm}, qop=auth, ` +
    `nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${c.opaque}"`;
  return await call(path, { headers: { authorization } });
}

Deno.test("httpbin: digest auth checks the response (MD5 and SHA-256)", async () => {
  let response = await digestRequest(
    "/digest-auth/auth/user/pass",
    "user",
    "pass",
    "md5",
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    authenticated: true,
    user: "user",
  });

  response = await digestRequest(
    "/digest-auth/auth/user/pass/SHA-256",
    "user",
    "pass",
    "sha256",
  );
  assert.equal(response.status, 200);
  await response.body?.cancel();

  response = await digestRequest(
    "/digest-auth/auth/user/pass",
    "user",
    "wrong",
    "md5",
  );
  assert.equal(response.status, 401);

  // An unknown nonce gets a fresh challenge marked stale.
  response = await call("/digest-auth/auth/user/pass", {
    headers: {
      authorization:
        'Digest username="user", nonce="unknown", uri="/x", response="0"',
    },
  });
  assert.equal(response.status, 401);
  assert.match(response.headers.get("www-authenticate")!, /stale=TRUE/);
});

Deno.test("httpbin: bytes and streams", async () => {
  let response = await call("/bytes/100?seed=7");
  const a = new Uint8Array(await response.arrayBuffer());
  assert.equal(a.length, 100);
  response = await call("/bytes/100?seed=7");
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), a);

  response = await call("/stream/3");
  const lines = (await response.text()).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.deepEqual(lines.map((l) => l.id), [0, 1, 2]);
  assert.equal(lines[0].url, BASE + "/stream/3");

  response = await call("/stream-bytes/25?chunk_size=10&seed=1");
  const chunks: number[] = [];
  for await (const chunk of response.body!) chunks.push(chunk.length);
  assert.deepEqual(chunks, [10, 10, 5]);
});

Deno.test("httpbin: /drip sends numbytes bytes", async () => {
  const response = await call("/drip?duration=0&numbytes=5&code=201");
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("content-length"), "5");
  assert.equal(await response.text(), "*****");
});

Deno.test({
  name: "httpbin: /drip stops its timer when cancelled",
  sanitizeOps: true,
}, async () => {
  const response = await call("/drip?duration=10&numbytes=5");
  const reader = response.body!.getReader();
  const first = await reader.read();
  assert.deepEqual(first.value, new TextEncoder().encode("*"));
  // The next byte is two seconds away; cancelling must clear that timer
  // (the test sanitizer fails on a leaked one).
  const pending = reader.read();
  // Let the stream start waiting for the next byte.
  await new Promise((resolve) => setTimeout(resolve, 10));
  await reader.cancel();
  assert.equal((await pending).done, true);
});

Deno.test({
  name: "httpbin: /delay waits then echoes, and stops when aborted",
  sanitizeOps: true,
}, async () => {
  const body = await json("/delay/0?x=1");
  assert.deepEqual(body.args, { x: "1" });
  const controller = new AbortController();
  const pending = httpbinApp(
    new Request(BASE + "/delay/10", { signal: controller.signal }),
  );
  controller.abort();
  const response = await pending;
  await response.body?.cancel();
});

Deno.test("httpbin: compressed responses", async () => {
  for (
    const [path, format, flag] of [
      ["/gzip", "gzip", "gzipped"],
      ["/deflate", "deflate", "deflated"],
    ] as const
  ) {
    const response = await call(path);
    assert.equal(response.headers.get("content-encoding"), format);
    const plain = response.body!.pipeThrough(new DecompressionStream(format));
    const body = await new Response(plain).json();
    assert.equal(body[flag], true);
    assert.equal(body.method, "GET");
  }
  const response = await call("/brotli");
  assert.equal(response.headers.get("content-encoding"), "br");
  const zlib = await import("node:zlib");
  const raw = new Uint8Array(await response.arrayBuffer());
  const body = JSON.parse(zlib.brotliDecompressSync(raw).toString());
  assert.equal(body.brotli, true);
});

Deno.test("httpbin: documents", async () => {
  let response = await call("/encoding/utf8");
  assert.equal(
    response.headers.get("content-type"),
    "text/html; charset=utf-8",
  );
  assert.ok((await response.text()).includes("Größe"));
  response = await call("/html");
  assert.ok((await response.text()).startsWith("<!DOCTYPE html>"));
  assert.ok((await json("/json")).slideshow);
  response = await call("/xml");
  assert.equal(response.headers.get("content-type"), "application/xml");
  assert.ok((await response.text()).startsWith("<?xml"));
  response = await call("/robots.txt");
  assert.equal(await response.text(), "User-agent: *\nDisallow: /deny\n");
  response = await call("/image/png");
  const png = new Uint8Array(await response.arrayBuffer());
  assert.deepEqual([...png.subarray(0, 8)], [
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
  ]);
  assert.equal(response.headers.get("content-type"), "image/png");
  response = await call("/nope");
  assert.equal(response.status, 404);
  await response.body?.cancel();
});

Deno.test("httpbin: /response-headers, /base64, /links", async () => {
  let response = await call("/response-headers?x-a=1&x-a=2&x-b=3");
  assert.equal(response.headers.get("x-a"), "1, 2");
  assert.deepEqual((await response.json())["x-a"], ["1", "2"]);
  response = await call("/base64/SFRUUEJJTiBpcyBhd2Vzb21l");
  assert.equal(await response.text(), "HTTPBIN is awesome");
  response = await call("/links/3/1");
  assert.equal(
    await response.text(),
    "<html><head><title>Links</title></head><body><a href='/links/3/0'>0</a> 1 <a href='/links/3/2'>2</a></body></html>",
  );
});

Deno.test("httpbin: /range", async () => {
  let response = await call("/range/30");
  assert.equal(await response.text(), "abcdefghijklmnopqrstuvwxyzabcd");
  response = await call("/range/30", { headers: { range: "bytes=2-5" } });
  assert.equal(response.status, 206);
  assert.equal(response.headers.get("content-range"), "bytes 2-5/30");
  assert.equal(await response.text(), "cdef");
  response = await call("/range/30", { headers: { range: "bytes=-3" } });
  assert.equal(await response.text(), "bcd");
  response = await call("/range/30", { headers: { range: "bytes=40-" } });
  assert.equal(response.status, 416);
  assert.equal(response.headers.get("content-range"), "bytes */30");
});

Deno.test("httpbin: /cache and /etag", async () => {
  let response = await call("/cache");
  assert.equal(response.status, 200);
  assert.ok(response.headers.get("last-modified"));
  await response.body?.cancel();
  response = await call("/cache", { headers: { "if-none-match": "x" } });
  assert.equal(response.status, 304);
  response = await call("/cache/60");
  assert.equal(response.headers.get("cache-control"), "public, max-age=60");
  await response.body?.cancel();

  response = await call("/etag/abc");
  assert.equal(response.headers.get("etag"), "abc");
  await response.body?.cancel();
  response = await call("/etag/abc", { headers: { "if-none-match": '"abc"' } });
  assert.equal(response.status, 304);
  response = await call("/etag/abc", { headers: { "if-match": '"xyz"' } });
  assert.equal(response.status, 412);
});

Deno.test({
  name: "httpbin: startServer serves over a real socket",
  sanitizeOps: true,
  sanitizeResources: true,
}, async () => {
  const server = await startServer();
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(server.url + "/get?x=1");
    const body = await response.json();
    assert.deepEqual(body.args, { x: "1" });
    assert.equal(body.origin, "127.0.0.1");
    assert.equal(body.headers.Host, new globalThis.URL(server.url).host);
  } finally {
    await server.close();
  }
});
