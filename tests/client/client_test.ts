import assert from "node:assert/strict";
import { AsyncClient, Client } from "../../src/client/client.ts";
import {
  HTTPStatusError,
  InvalidURL,
  LocalProtocolError,
  ReadTimeout,
  RequestError,
  StreamClosed,
  UnsupportedProtocol,
} from "../../src/errors.ts";
import type { ByteStream } from "../../src/_types.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import type { BaseTransport } from "../../src/transports/base.ts";
import { MockTransport } from "../../src/transports/mock.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Echoes the method, URL, headers and body back as JSON. */
async function echo(request: Request): Promise<Response> {
  const body = await request.read();
  return new Response(200, {
    json: {
      method: request.method,
      url: request.url.toString(),
      headers: request.headers.multiItems(),
      body: decoder.decode(body),
    },
  });
}

interface Echo {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string;
}

function echoClient(options: ConstructorParameters<typeof Client>[0] = {}) {
  return new Client({ transport: new MockTransport(echo), ...options });
}

/** A stream that yields `parts`, and records whether it was closed. */
class PartsStream implements ByteStream {
  closed = false;
  #parts: Uint8Array[];
  constructor(...parts: string[]) {
    this.#parts = parts.map((p) => encoder.encode(p));
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (const part of this.#parts) {
      await Promise.resolve();
      yield part;
    }
  }
  close(): void {
    this.closed = true;
  }
}

Deno.test("every method sends its name and body", async () => {
  await using client = echoClient();
  const url = "https://example.org/";
  const cases: Array<[string, Promise<Response>]> = [
    ["GET", client.get(url)],
    ["HEAD", client.head(url)],
    ["OPTIONS", client.options(url)],
    ["DELETE", client.delete(url)],
    ["POST", client.post(url, { content: "Hello, world!" })],
    ["PUT", client.put(url, { content: "Hello, world!" })],
    ["PATCH", client.patch(url, { content: "Hello, world!" })],
  ];
  for (const [method, pending] of cases) {
    const response = await pending;
    assert.equal(response.statusCode, 200);
    assert.equal(response.reasonPhrase, "OK");
    const json = response.json<Echo>();
    assert.equal(json.method, method);
    assert.equal(json.url, url);
    const expected = ["POST", "PUT", "PATCH"].includes(method)
      ? "Hello, world!"
      : "";
    assert.equal(json.body, expected);
  }
});

Deno.test("client.request with any method", async () => {
  await using client = echoClient();
  const response = await client.request("PROPFIND", "https://example.org/x");
  assert.equal(response.json<Echo>().method, "PROPFIND");
});

Deno.test("invalid URLs", async () => {
  await using client = echoClient();
  await assert.rejects(
    client.get("invalid://example.org"),
    (error: unknown) => {
      assert.ok(error instanceof UnsupportedProtocol);
      assert.equal(
        error.message,
        "Request URL has an unsupported protocol 'invalid://'",
      );
      assert.equal(error.request.url.toString(), "invalid://example.org");
      return true;
    },
  );
  await assert.rejects(client.get("example.org/path"), (error: unknown) => {
    assert.ok(error instanceof UnsupportedProtocol);
    assert.equal(
      error.message,
      "Request URL is missing an 'http://' or 'https://' protocol",
    );
    return true;
  });
  await assert.rejects(
    client.get("http://"),
    (error: unknown) =>
      error instanceof InvalidURL || error instanceof LocalProtocolError ||
      error instanceof UnsupportedProtocol,
  );
});

Deno.test("buildRequest merges client config, send() sends it as is", async () => {
  await using client = echoClient({
    headers: { "X-Client": "1" },
    params: { c: "1" },
    cookies: { jar: "yes" },
  });
  const request = client.buildRequest("POST", "https://example.org/path", {
    headers: { "Custom-Header": "value" },
    params: { q: "a b" },
    cookies: { session: "abc" },
    json: { hello: "world" },
  });
  assert.equal(request.method, "POST");
  assert.equal(
    request.url.toString(),
    "https://example.org/path?c=1&q=a+b",
  );
  assert.equal(request.headers.get("x-client"), "1");
  assert.equal(request.headers.get("custom-header"), "value");
  assert.equal(request.headers.get("cookie"), "jar=yes; session=abc");
  assert.equal(request.headers.get("content-type"), "application/json");
  assert.deepEqual(request.extensions.timeout, {
    connect: 5,
    read: 5,
    write: 5,
    pool: 5,
    total: null,
  });
  const response = await client.send(request);
  const json = response.json<Echo>();
  assert.equal(json.body, '{"hello":"world"}');
  assert.equal(response.request, request);
});

Deno.test("buildRequest: explicit extensions.timeout wins over timeout", async () => {
  await using client = echoClient();
  const timeout = { connect: 1, read: 2, write: 3, pool: 4 };
  const request = client.buildRequest("GET", "https://example.org/", {
    timeout: 9,
    extensions: { timeout },
  });
  assert.equal(request.extensions.timeout, timeout);
});

Deno.test("stream() returns an unread response that must be closed", async () => {
  const body = new PartsStream("Hello, ", "world!");
  const transport = new MockTransport(() =>
    new Response(200, { stream: body })
  );
  await using client = new Client({ transport });
  const response = await client.stream("GET", "https://example.org/");
  assert.equal(response.isClosed, false);
  assert.equal(response.isStreamConsumed, false);
  assert.throws(() => response.elapsed);
  const chunks: string[] = [];
  for await (const chunk of response.iterBytes()) {
    chunks.push(decoder.decode(chunk));
  }
  assert.deepEqual(chunks, ["Hello, ", "world!"]);
  assert.equal(response.isClosed, true);
  assert.equal(body.closed, true);
  assert.equal(typeof response.elapsed, "number");
  assert.ok(response.elapsed >= 0);
});

Deno.test("stream() with iterRaw and an early close", async () => {
  const body = new PartsStream("a", "b", "c");
  const transport = new MockTransport(() =>
    new Response(200, { stream: body })
  );
  await using client = new Client({ transport });
  await using response = await client.stream("GET", "https://example.org/");
  for await (const chunk of response.iterRaw()) {
    assert.equal(decoder.decode(chunk), "a");
    break;
  }
  assert.equal(response.isClosed, true);
  assert.equal(body.closed, true);
  await assert.rejects(response.read(), Error);
});

Deno.test("a non-streamed response is read, closed and timed", async () => {
  const body = new PartsStream("x", "y");
  const transport = new MockTransport(() =>
    new Response(200, { stream: body })
  );
  await using client = new Client({ transport });
  const response = await client.get("https://example.org/");
  assert.equal(response.text, "xy");
  assert.equal(response.isClosed, true);
  assert.equal(body.closed, true);
  assert.ok(response.elapsed >= 0);
});

Deno.test("elapsed is set for in-memory mock responses too", async () => {
  await using client = echoClient();
  const response = await client.get("https://example.org/");
  assert.ok(response.elapsed >= 0);
});

Deno.test("async generator and iterable request bodies", async () => {
  await using client = echoClient();
  async function* agen() {
    yield encoder.encode("Hello, ");
    yield encoder.encode("world!");
  }
  let response = await client.post("https://example.org/", {
    content: agen(),
  });
  assert.equal(response.json<Echo>().body, "Hello, world!");
  const headers = new Map(response.json<Echo>().headers);
  assert.equal(headers.get("transfer-encoding"), "chunked");

  response = await client.post("https://example.org/", {
    content: [encoder.encode("a"), encoder.encode("b")],
  });
  assert.equal(response.json<Echo>().body, "ab");
});

Deno.test("raiseForStatus through the client", async () => {
  const transport = new MockTransport((request) =>
    new Response(Number(request.url.path.slice(1)))
  );
  await using client = new Client({ transport });
  const ok = await client.get("https://example.org/200");
  assert.equal(ok.raiseForStatus(), ok);
  const missing = await client.get("https://example.org/404");
  assert.throws(() => missing.raiseForStatus(), (error: unknown) => {
    assert.ok(error instanceof HTTPStatusError);
    assert.equal(error.response, missing);
    assert.match(error.message, /404 Not Found/);
    return true;
  });
});

Deno.test("baseUrl joining", async () => {
  await using client = echoClient({ baseUrl: "https://example.org/api/v1" });
  const cases: Array<[string, string]> = [
    ["/users", "https://example.org/api/v1/users"],
    ["users", "https://example.org/api/v1/users"],
    ["", "https://example.org/api/v1/"],
    ["?q=1", "https://example.org/api/v1/?q=1"],
    ["//users", "https://example.org/api/v1/users"],
    ["/testing:123", "https://example.org/api/v1/testing:123"],
    ["a%2Fb", "https://example.org/api/v1/a%2Fb"],
    ["https://www.example.com/x", "https://www.example.com/x"],
  ];
  for (const [input, expected] of cases) {
    const request = client.buildRequest("GET", input);
    assert.equal(request.url.toString(), expected, `url ${input}`);
  }
  const response = await client.get("/users");
  assert.equal(response.json<Echo>().url, "https://example.org/api/v1/users");
});

Deno.test("baseUrl with a dotted path", () => {
  const client = echoClient({ baseUrl: "https://example.org/.well-known" });
  assert.equal(
    client.buildRequest("GET", "/a").url.toString(),
    "https://example.org/.well-known/a",
  );
});

class TrackingTransport implements BaseTransport {
  closed = 0;
  seen: string[] = [];
  #name: string;
  constructor(name: string) {
    this.#name = name;
  }
  handleRequest(request: Request): Promise<Response> {
    this.seen.push(request.url.toString());
    return Promise.resolve(new Response(200, { text: this.#name }));
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

Deno.test("close() closes the transport and every mount, once", async () => {
  const transport = new TrackingTransport("default");
  const mounted = new TrackingTransport("mounted");
  const client = new Client({ transport, mounts: { "http://": mounted } });
  assert.equal(client.isClosed, false);
  assert.equal(client.transport, transport);
  await client.get("https://example.org/");
  assert.equal(client.isClosed, false);
  await client.close();
  await client.close();
  assert.equal(client.isClosed, true);
  assert.equal(transport.closed, 1);
  assert.equal(mounted.closed, 1);
});

Deno.test("await using closes the client", async () => {
  const transport = new TrackingTransport("default");
  {
    await using client = new Client({ transport });
    await client.get("https://example.org/");
  }
  assert.equal(transport.closed, 1);
});

Deno.test("sending on a closed client throws", async () => {
  const client = echoClient();
  await client.aclose();
  await assert.rejects(
    client.get("https://example.org/"),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(
        error.message,
        "Cannot send a request, as the client has been closed",
      );
      return true;
    },
  );
});

Deno.test("closing the client closes responses still streaming", async () => {
  const body = new PartsStream("a", "b");
  const transport = new MockTransport(() =>
    new Response(200, { stream: body })
  );
  const client = new Client({ transport });
  const response = await client.stream("GET", "https://example.org/");
  assert.equal(response.isClosed, false);
  await client.close();
  assert.equal(response.isClosed, true);
  assert.equal(body.closed, true);
  await assert.rejects(response.read(), StreamClosed);
});

Deno.test("the transport sees headers in order with their case", async () => {
  let raw: Array<[string, string]> = [];
  const transport = new MockTransport((request) => {
    raw = request.headers.wireItems();
    return new Response(200);
  });
  await using client = new Client({ transport });
  await client.post("https://example.org/", {
    json: { a: 1 },
    headers: { "X-Custom": "Val" },
  });
  assert.deepEqual(raw.map(([name]) => name), [
    "Host",
    "Accept",
    "Accept-Encoding",
    "Connection",
    "User-Agent",
    "X-Custom",
    "Content-Length",
    "Content-Type",
  ]);
  assert.deepEqual(raw[5], ["X-Custom", "Val"]);
});

Deno.test("mounts route by pattern, default otherwise", async () => {
  const transport = new TrackingTransport("default");
  const http = new TrackingTransport("http");
  const sub = new TrackingTransport("sub");
  const port = new TrackingTransport("port");
  await using client = new Client({
    transport,
    mounts: {
      "http://": http,
      "all://*.example.org": sub,
      "https://example.org:8443": port,
      "all://direct.example.org": null,
    },
  });
  const text = async (url: string) => (await client.get(url)).text;
  assert.equal(await text("https://example.com/"), "default");
  assert.equal(await text("http://example.com/"), "http");
  assert.equal(await text("https://www.example.org/"), "sub");
  assert.equal(await text("http://www.example.org/"), "sub");
  assert.equal(await text("https://example.org/"), "default");
  assert.equal(await text("https://example.org:8443/"), "port");
  assert.equal(await text("http://direct.example.org/"), "default");
});

Deno.test("an all:// mount takes every request", async () => {
  const transport = new TrackingTransport("default");
  const all = new TrackingTransport("all");
  await using client = new Client({ transport, mounts: { "all://": all } });
  assert.equal((await client.get("https://example.org/")).text, "all");
  assert.equal((await client.get("http://example.org/")).text, "all");
});

Deno.test("a mount for a custom scheme may send it", async () => {
  const custom = new TrackingTransport("custom");
  await using client = new Client({
    transport: new TrackingTransport("default"),
    mounts: { "file://": custom },
  });
  const response = await client.get("file://localhost/etc/hosts");
  assert.equal(response.text, "custom");
});

Deno.test("mount keys without :// are refused", () => {
  for (const key of ["http", "https", "all"]) {
    assert.throws(
      () => new Client({ mounts: { [key]: new TrackingTransport("x") } }),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.ok(error.message.includes(`use "${key}://"`));
        return true;
      },
    );
  }
});

Deno.test("response extensions from the transport are kept", async () => {
  const transport = new MockTransport(() =>
    new Response(200, {
      extensions: { httpVersion: "HTTP/2", reasonPhrase: "Fine" },
    })
  );
  await using client = new Client({ transport });
  const response = await client.get("https://example.org/");
  assert.equal(response.httpVersion, "HTTP/2");
  assert.equal(response.reasonPhrase, "Fine");
});

Deno.test("defaultEncoding: explicit name and autodetect function", async () => {
  const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "café" in latin-1
  const transport = new MockTransport(() =>
    new Response(200, {
      headers: { "Content-Type": "text/plain" },
      stream: new PartsBytes(latin1),
    })
  );
  {
    await using client = new Client({
      transport,
      defaultEncoding: "iso-8859-1",
    });
    const response = await client.get("https://example.org/");
    assert.equal(response.encoding, "iso-8859-1");
    assert.equal(response.text, "café");
  }
  {
    let seen: Uint8Array | undefined;
    await using client = new Client({
      transport,
      defaultEncoding: (content) => {
        seen = content;
        return "windows-1252";
      },
    });
    const response = await client.get("https://example.org/");
    assert.equal(response.text, "café");
    assert.deepEqual(seen, latin1);
  }
});

class PartsBytes implements ByteStream {
  #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    yield this.#bytes;
  }
}

Deno.test("AsyncClient is Client", async () => {
  assert.equal(AsyncClient, Client);
  const client: AsyncClient = new AsyncClient({
    transport: new MockTransport(echo),
  });
  assert.ok(client instanceof Client);
  const response = await client.get("https://example.org/");
  assert.equal(response.statusCode, 200);
  await client.aclose();
});

Deno.test("errors from the transport get the request attached", async () => {
  const transport = new MockTransport(() => {
    throw new RequestError("boom");
  });
  await using client = new Client({ transport });
  await assert.rejects(
    client.get("https://example.org/fail"),
    (error: unknown) => {
      assert.ok(error instanceof RequestError);
      assert.equal(error.request.url.toString(), "https://example.org/fail");
      return true;
    },
  );
});

Deno.test("aborting the signal cancels the request", async () => {
  const controller = new AbortController();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const transport = new MockTransport(async () => {
    controller.abort(new Error("stop"));
    await gate;
    return new Response(200);
  });
  await using client = new Client({ transport });
  await assert.rejects(
    client.get("https://example.org/", { signal: controller.signal }),
    (error: unknown) => {
      assert.ok(error instanceof RequestError);
      assert.equal(error.message, "The request was aborted");
      assert.equal((error.cause as Error).message, "stop");
      return true;
    },
  );
  release();
});

Deno.test("an already aborted signal sends nothing", async () => {
  let sent = 0;
  const transport = new MockTransport(() => {
    sent++;
    return new Response(200);
  });
  await using client = new Client({ transport });
  await assert.rejects(
    client.get("https://example.org/", { signal: AbortSignal.abort() }),
    RequestError,
  );
  assert.equal(sent, 0);
});

Deno.test("the signal reaches the transport in extensions", async () => {
  let seen: unknown;
  const controller = new AbortController();
  const transport = new MockTransport((request) => {
    seen = request.extensions.signal;
    return new Response(200);
  });
  await using client = new Client({ transport });
  await client.get("https://example.org/", { signal: controller.signal });
  assert.equal(seen, controller.signal);
});

Deno.test("total timeout stops a slow body", async () => {
  let pending: (() => void) | undefined;
  const slow: ByteStream = {
    async *[Symbol.asyncIterator]() {
      yield encoder.encode("first");
      await new Promise<void>((resolve) => (pending = resolve));
      yield encoder.encode("never");
    },
  };
  const transport = new MockTransport(() =>
    new Response(200, { stream: slow })
  );
  await using client = new Client({
    transport,
    timeout: { total: 0.05 },
  });
  await assert.rejects(
    client.get("https://example.org/slow"),
    (error: unknown) => {
      assert.ok(error instanceof ReadTimeout);
      assert.equal(error.message, "Total timeout of 0.05 seconds exceeded");
      assert.equal(error.request.url.toString(), "https://example.org/slow");
      return true;
    },
  );
  pending?.();
});

Deno.test("total timeout covers every redirect hop", async () => {
  let hops = 0;
  const transport = new MockTransport(async (request) => {
    hops++;
    // A well-behaved transport stops waiting when the deadline aborts the
    // request's signal.
    const signal = request.extensions.signal;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 20);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    });
    return new Response(302, { headers: { Location: request.url.toString() } });
  });
  await using client = new Client({ transport, followRedirects: true });
  await assert.rejects(
    client.get("https://example.org/", { timeout: { total: 0.1 } }),
    ReadTimeout,
  );
  assert.ok(hops > 1 && hops < 20, `hops: ${hops}`);
});

Deno.test("total timeout passes when the call is quick", async () => {
  await using client = echoClient({ timeout: { total: 5 } });
  const response = await client.get("https://example.org/");
  assert.equal(response.statusCode, 200);
});

Deno.test("a streamed response keeps the deadline until closed", async () => {
  const body = new PartsStream("a");
  const transport = new MockTransport(() =>
    new Response(200, { stream: body })
  );
  await using client = new Client({ transport, timeout: { total: 5 } });
  const response = await client.stream("GET", "https://example.org/");
  assert.equal(response.isClosed, false);
  await response.close();
});

Deno.test("close() closes the responses still open, whatever order others closed in", async () => {
  const streams: PartsStream[] = [];
  const client = new Client({
    transport: new MockTransport(() => {
      const stream = new PartsStream("a", "b");
      streams.push(stream);
      return new Response(200, { stream });
    }),
  });
  const responses: Response[] = [];
  for (let i = 0; i < 4; i++) {
    responses.push(await client.stream("GET", "https://example.org/"));
  }
  // The second and the last close on their own; the others stay open.
  await responses[1].close();
  await responses[3].read();
  assert.deepEqual(streams.map((s) => s.closed), [false, true, false, true]);
  assert.ok(responses[1].elapsed >= 0 && responses[3].elapsed >= 0);
  assert.throws(() => responses[0].elapsed);
  await client.close();
  assert.deepEqual(streams.map((s) => s.closed), [true, true, true, true]);
  assert.ok(responses.every((r) => r.isClosed && r.elapsed >= 0));
});

Deno.test("a body read whole in one step is closed and timed before send() returns", async () => {
  const client = echoClient();
  const response = await client.get("https://example.org/x");
  assert.equal(response.isClosed, true);
  assert.ok(response.elapsed >= 0);
  assert.equal(response.json<Echo>().url, "https://example.org/x");
  await client.close();
});
