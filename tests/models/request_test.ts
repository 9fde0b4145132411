import assert from "node:assert/strict";
import { Request } from "../../src/models/request.ts";
import { Headers } from "../../src/models/headers.ts";
import { URL } from "../../src/models/url.ts";
import { BytesStream } from "../../src/content/streams.ts";
import { RequestNotRead, StreamConsumed } from "../../src/errors.ts";
import type { RequestExtensions } from "../../src/_types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);
const text = (data: Uint8Array) => decoder.decode(data);

async function collect(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += text(chunk);
  return out;
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield bytes(part);
}

Deno.test("request: method is upper-cased and repr shows method and url", () => {
  const request = new Request("get", "http://example.org");
  assert.equal(request.method, "GET");
  assert.equal(request.toString(), "<Request('GET', 'http://example.org')>");
  assert.equal(
    Deno.inspect(request),
    "<Request('GET', 'http://example.org')>",
  );
});

Deno.test("request: url is an httpx URL; an httpx URL is used as is", () => {
  const plain = new Request("GET", "http://example.org");
  assert.ok(plain.url instanceof URL);
  assert.equal(plain.url.scheme, "http");
  assert.equal(plain.url.port, null);
  assert.equal(plain.url.rawPath, "/");

  const url = new URL("https://example.org/abc?foo=bar");
  const request = new Request("GET", url);
  assert.equal(request.url, url);
  assert.equal(request.url.rawPath, "/abc?foo=bar");
});

Deno.test("request: params are merged into the url query, params win", () => {
  const request = new Request("GET", "https://example.org/p?a=1&b=2", {
    params: { b: "3", c: [4, 5] },
  });
  assert.equal(String(request.url), "https://example.org/p?a=1&b=3&c=4&c=5");
});

Deno.test("request: GET without a body has Host only", () => {
  const request = new Request("GET", "http://example.org");
  assert.deepEqual(request.headers.wireItems(), [["Host", "example.org"]]);
  assert.equal(request.headers.has("content-length"), false);
  assert.equal(request.content.byteLength, 0);
});

Deno.test("request: Host includes a non-default port and brackets IPv6", () => {
  assert.equal(
    new Request("GET", "http://example.org:8080/").headers.get("host"),
    "example.org:8080",
  );
  assert.equal(
    new Request("GET", "https://example.org:443/").headers.get("host"),
    "example.org",
  );
  assert.equal(
    new Request("GET", "http://[::1]:8000/").headers.get("host"),
    "[::1]:8000",
  );
  assert.equal(
    new Request("GET", "http://user:pw@münchen.de/").headers.get("host"),
    "xn--mnchen-3ya.de",
  );
});

Deno.test("request: POST/PUT/PATCH without a body get Content-Length 0 after Host", () => {
  for (const method of ["POST", "PUT", "PATCH"]) {
    const request = new Request(method, "http://example.org/", {
      headers: { "X-Custom": "1" },
    });
    assert.deepEqual(request.headers.wireItems(), [
      ["Host", "example.org"],
      ["Content-Length", "0"],
      ["X-Custom", "1"],
    ]);
  }
  for (const method of ["GET", "HEAD", "DELETE", "OPTIONS"]) {
    const request = new Request(method, "http://example.org/");
    assert.equal(request.headers.has("content-length"), false, method);
  }
});

Deno.test("request: bytes and text content set Content-Length", () => {
  const request = new Request("POST", "http://example.org", {
    content: bytes("test 123"),
  });
  assert.equal(request.headers.get("content-length"), "8");
  assert.equal(text(request.content), "test 123");

  const utf8 = new Request("POST", "http://example.org", { content: "é" });
  assert.equal(utf8.headers.get("content-length"), "2");
  assert.deepEqual([...utf8.content], [0xc3, 0xa9]);
});

Deno.test("request: form data is url-encoded", async () => {
  const request = new Request("POST", "http://example.org", {
    data: { test: "123", list: [1, true, null], space: "a b/c" },
  });
  assert.equal(
    request.headers.get("content-type"),
    "application/x-www-form-urlencoded",
  );
  assert.equal(
    text(await request.read()),
    "test=123&list=1&list=true&list=&space=a+b%2Fc",
  );
  assert.equal(
    request.headers.get("content-length"),
    String(request.content.byteLength),
  );
});

Deno.test("request: json is compact with headers in HTTPX order", () => {
  const request = new Request("POST", "http://example.org", {
    json: { test: 123, text: "é" },
  });
  assert.equal(text(request.content), '{"test":123,"text":"é"}');
  assert.deepEqual(request.headers.wireItems(), [
    ["Host", "example.org"],
    ["Content-Length", String(request.content.byteLength)],
    ["Content-Type", "application/json"],
  ]);
  assert.ok(
    request.headers.equals({
      Host: "example.org",
      "Content-Type": "application/json",
      "Content-Length": String(request.content.byteLength),
    }),
  );
});

Deno.test("request: multipart reuses the boundary of the Content-Type header", async () => {
  const request = new Request("POST", "http://example.org", {
    headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
    data: { a: "1" },
    files: { f: ["f.txt", "hello", "text/plain"] },
  });
  assert.equal(
    request.headers.get("content-type"),
    "multipart/form-data; boundary=xyz",
  );
  const body = text(await request.read());
  assert.ok(body.startsWith("--xyz\r\n"), body);
  assert.ok(body.endsWith("--xyz--\r\n"), body);
  assert.ok(body.includes('name="f"; filename="f.txt"'), body);
  assert.equal(
    request.headers.get("content-length"),
    String(request.content.byteLength),
  );
});

Deno.test("request: a streaming body is chunked and must be read first", async () => {
  const request = new Request("POST", "http://example.org", {
    content: chunks("test ", "123"),
  });
  assert.equal(request.headers.has("content-length"), false);
  assert.equal(request.headers.get("transfer-encoding"), "chunked");
  assert.throws(() => request.content, RequestNotRead);
  assert.equal(text(await request.read()), "test 123");
  assert.equal(text(request.content), "test 123");
  // Reading replaced the one-shot stream with a replayable one.
  assert.ok(request.stream instanceof BytesStream);
  assert.equal(await collect(request.stream), "test 123");
  assert.equal(await collect(request.stream), "test 123");
  // A second read returns the same bytes without touching the stream.
  assert.equal(await request.read(), request.content);
});

Deno.test("request: an unread generator body cannot be iterated twice", async () => {
  const request = new Request("POST", "http://example.org", {
    content: chunks("once"),
  });
  assert.equal(await collect(request.stream), "once");
  await assert.rejects(() => collect(request.stream), StreamConsumed);
});

Deno.test("request: a read body can still be streamed", async () => {
  const request = new Request("POST", "http://example.org", {
    json: { test: 123 },
  });
  const content = await request.read();
  assert.equal(await collect(request.stream), text(content));
});

Deno.test("request: an explicit Content-Length wins and drops Transfer-Encoding", () => {
  const request = new Request("POST", "http://example.org", {
    content: chunks("abcd"),
    headers: { "Content-Length": "4" },
  });
  assert.equal(request.headers.has("transfer-encoding"), false);
  assert.equal(request.headers.get("content-length"), "4");
});

Deno.test("request: headers given by the user override auto headers", () => {
  const request = new Request("POST", "http://example.org", {
    headers: {
      host: "1.2.3.4:80",
      "Accept-Encoding": "identity",
      "Content-Type": "text/custom",
    },
    json: [1],
  });
  assert.equal(request.headers.get("Host"), "1.2.3.4:80");
  assert.equal(request.headers.get("Accept-Encoding"), "identity");
  assert.equal(request.headers.get("content-type"), "text/custom");
  assert.equal(request.headers.getList("host").length, 1);
});

Deno.test("request: headers given as an httpx Headers are copied", () => {
  const headers = new Headers({ "X-A": "1" });
  const request = new Request("POST", "http://example.org", { headers });
  assert.notEqual(request.headers, headers);
  assert.equal(headers.has("host"), false);
  assert.equal(request.headers.get("x-a"), "1");
});

Deno.test("request: stream option adds no headers at all", async () => {
  const stream = new BytesStream(bytes("raw"));
  const request = new Request("POST", "http://example.org/", { stream });
  assert.equal(request.headers.size, 0);
  assert.equal(request.stream, stream);
  assert.equal(text(request.content), "raw");
  assert.equal(text(await request.read()), "raw");
});

Deno.test("request: cookies become a Cookie header", () => {
  const request = new Request("GET", "https://example.org/", {
    cookies: { a: "1", b: "2" },
  });
  assert.equal(request.headers.get("cookie"), "a=1; b=2");
});

Deno.test("request: extensions are copied", () => {
  const extensions: RequestExtensions = { sniHostname: "example.com" };
  const request = new Request("GET", "https://example.org/", { extensions });
  assert.deepEqual(request.extensions, extensions);
  request.extensions.target = "/x";
  assert.equal("target" in extensions, false);
  assert.deepEqual(new Request("GET", "https://example.org/").extensions, {});
});

Deno.test("request: replacing the stream forgets the old content", async () => {
  const request = new Request("POST", "http://example.org", { content: "a" });
  assert.equal(text(request.content), "a");
  request.stream = new BytesStream(bytes("bb"));
  assert.equal(text(request.content), "bb");
  request.stream = chunks("ccc");
  assert.throws(() => request.content, RequestNotRead);
  assert.equal(text(await request.read()), "ccc");
});

Deno.test("request: an invalid content type is refused", () => {
  assert.throws(
    () =>
      new Request("POST", "http://example.org", {
        content: { a: 1 } as unknown as string,
      }),
    TypeError,
  );
});
