import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { Client } from "../../src/client/client.ts";
import { Limits } from "../../src/config/limits.ts";
import {
  ConnectError,
  ConnectTimeout,
  LocalProtocolError,
  ReadTimeout,
  RequestError,
  StreamError,
  TransportError,
  UnsupportedProtocol,
} from "../../src/errors.ts";
import { Request } from "../../src/models/request.ts";
import {
  type FetchFunction,
  FetchTransport,
} from "../../src/transports/fetch.ts";

const TLS_DIR = new URL("../testdata/tls/", import.meta.url);
const CA = Deno.readTextFileSync(new URL("ca.pem", TLS_DIR));
const SERVER_CERT = Deno.readTextFileSync(new URL("server.pem", TLS_DIR));
const SERVER_KEY = Deno.readTextFileSync(new URL("server-key.pem", TLS_DIR));

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TIMEOUT = { connect: 5, read: 5, write: 5, pool: 5 };

type Handler = (request: globalThis.Request) => Response | Promise<Response>;

interface TestServer extends AsyncDisposable {
  url: string;
  /** Resolves every handler still waiting on `stall`. */
  release(): void;
  /** A promise a handler can await to hang until the test ends. */
  stall: Promise<void>;
}

function serve(handler: Handler, tls = false): TestServer {
  const controller = new AbortController();
  let release!: () => void;
  const stall = new Promise<void>((resolve) => {
    release = resolve;
  });
  const options = {
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
    ...(tls ? { cert: SERVER_CERT, key: SERVER_KEY } : {}),
  };
  const server = Deno.serve(options, handler);
  const host = tls ? "localhost" : "127.0.0.1";
  return {
    url: `${tls ? "https" : "http"}://${host}:${server.addr.port}`,
    release,
    stall,
    async [Symbol.asyncDispose]() {
      release();
      controller.abort();
      await server.finished;
    },
  };
}

function echo(request: globalThis.Request): Promise<Response> {
  return request.arrayBuffer().then((body) =>
    Response.json({
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: decoder.decode(body),
    })
  );
}

interface Echo {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

function header(echoed: Echo, name: string): string | undefined {
  return echoed.headers.find(([key]) => key === name)?.[1];
}

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

Deno.test("fetch transport: GET over plain HTTP through a Client", async () => {
  await using server = serve(echo);
  await using client = new Client({ transport: new FetchTransport() });
  const response = await client.get(server.url + "/path?x=1", {
    headers: { "X-Custom": "yes" },
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.httpVersion, "HTTP/1.1");
  assert.equal(response.reasonPhrase, "OK");
  const echoed = response.json<Echo>();
  assert.equal(echoed.method, "GET");
  assert.equal(echoed.url, server.url + "/path?x=1");
  assert.equal(header(echoed, "x-custom"), "yes");
  assert.equal(header(echoed, "host"), new URL(server.url).host);
  assert.match(header(echoed, "user-agent")!, /^python-httpx\/|httpx/);
  assert.equal(echoed.body, "");
});

Deno.test("fetch transport: bodies in memory carry Content-Length", async () => {
  await using server = serve(echo);
  await using client = new Client({ transport: new FetchTransport() });
  const response = await client.post(server.url + "/", {
    json: { hello: "world" },
  });
  const echoed = response.json<Echo>();
  assert.equal(echoed.body, '{"hello":"world"}');
  assert.equal(header(echoed, "content-length"), "17");
  assert.equal(header(echoed, "transfer-encoding"), undefined);
  assert.equal(header(echoed, "content-type"), "application/json");
});

Deno.test("fetch transport: streamed bodies are sent chunked", async () => {
  await using server = serve(echo);
  await using client = new Client({ transport: new FetchTransport() });
  const response = await client.put(server.url + "/", {
    content: chunks("a", "bc", "def"),
  });
  const echoed = response.json<Echo>();
  assert.equal(echoed.body, "abcdef");
  assert.equal(header(echoed, "transfer-encoding"), "chunked");
  assert.equal(header(echoed, "content-length"), undefined);
});

Deno.test("fetch transport: streamRequestBody false buffers the body", async () => {
  await using server = serve(echo);
  await using client = new Client({
    transport: new FetchTransport({ streamRequestBody: false }),
  });
  const response = await client.put(server.url + "/", {
    content: chunks("a", "bc", "def"),
  });
  const echoed = response.json<Echo>();
  assert.equal(echoed.body, "abcdef");
  assert.equal(header(echoed, "content-length"), "6");
});

Deno.test("fetch transport: an error from the body stream reaches the caller", async () => {
  await using server = serve(echo);
  await using client = new Client({ transport: new FetchTransport() });
  const boom = new Error("body source failed");
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield encoder.encode("partial");
    throw boom;
  }
  await assert.rejects(
    client.post(server.url + "/", { content: failing() }),
    (error) => error === boom,
  );
});

Deno.test("fetch transport: redirects, history and cookies stay with the client", async () => {
  await using server = serve((request) => {
    const url = new URL(request.url);
    if (url.pathname === "/start") {
      return new Response(null, {
        status: 302,
        headers: { location: "/next", "set-cookie": "session=abc; Path=/" },
      });
    }
    return Response.json({ cookie: request.headers.get("cookie") });
  });
  await using client = new Client({
    transport: new FetchTransport(),
    followRedirects: true,
  });
  const response = await client.get(server.url + "/start");
  assert.equal(response.statusCode, 200);
  assert.equal(response.url.path, "/next");
  assert.deepEqual(response.history.map((r) => r.statusCode), [302]);
  assert.deepEqual(response.json(), { cookie: "session=abc" });
  assert.equal(client.cookies.get("session"), "abc");

  const unfollowed = await client.get(server.url + "/start", {
    followRedirects: false,
  });
  assert.equal(unfollowed.statusCode, 302);
  assert.equal(unfollowed.headers.get("location"), "/next");
  assert.equal(unfollowed.nextRequest?.url.path, "/next");
});

Deno.test("fetch transport: a body fetch decoded is passed through; iterRaw raises", async () => {
  const text = "hello ".repeat(100);
  const gzipped = new Uint8Array(zlib.gzipSync(encoder.encode(text)));
  await using server = serve(() =>
    new Response(gzipped, { headers: { "content-encoding": "gzip" } })
  );
  await using client = new Client({ transport: new FetchTransport() });
  const response = await client.get(server.url + "/");
  assert.equal(response.text, text);
  assert.equal(response.headers.get("content-encoding"), "gzip");
  assert.equal(response.extensions.decodedByFetch, "gzip");

  await using streamed = await client.stream("GET", server.url + "/");
  const raw = streamed.iterRaw();
  await assert.rejects(raw.next(), (error: Error) => {
    assert.ok(error instanceof StreamError);
    assert.match(error.message, /already decoded this 'gzip' body/);
    return true;
  });
  // iterBytes still works after the failed iterRaw attempt.
  const parts: Uint8Array[] = [];
  for await (const chunk of streamed.iterBytes(100)) parts.push(chunk);
  assert.ok(
    parts.every((part, i) => i === parts.length - 1 || part.length === 100),
  );
  assert.equal(
    decoder.decode(await new Blob(parts as BlobPart[]).bytes()),
    text,
  );
});

Deno.test("fetch transport: codings fetch leaves alone are decoded by us; iterRaw works", async () => {
  const text = "zstd body ".repeat(50);
  const compressed = new Uint8Array(
    (zlib as unknown as {
      zstdCompressSync(data: Uint8Array): Uint8Array;
    }).zstdCompressSync(encoder.encode(text)),
  );
  await using server = serve(() =>
    new Response(compressed as Uint8Array<ArrayBuffer>, {
      headers: { "content-encoding": "zstd" },
    })
  );
  await using client = new Client({ transport: new FetchTransport() });
  const response = await client.get(server.url + "/");
  assert.equal(response.text, text);
  await using streamed = await client.stream("GET", server.url + "/");
  const raw: Uint8Array[] = [];
  for await (const chunk of streamed.iterRaw()) raw.push(chunk);
  assert.deepEqual(await new Blob(raw as BlobPart[]).bytes(), compressed);
});

Deno.test("fetch transport: HEAD and 204 have empty bodies; Set-Cookie stays separate", async () => {
  await using server = serve((request) => {
    if (request.method === "HEAD") {
      return new Response("ignored", { headers: { "x-head": "1" } });
    }
    const headers = new Headers();
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    return new Response(null, { status: 204, headers });
  });
  await using client = new Client({ transport: new FetchTransport() });
  const head = await client.head(server.url + "/");
  assert.equal(head.statusCode, 200);
  assert.equal(head.headers.get("x-head"), "1");
  assert.equal(head.content.byteLength, 0);
  const empty = await client.delete(server.url + "/");
  assert.equal(empty.statusCode, 204);
  assert.deepEqual(empty.headers.getList("set-cookie"), ["a=1", "b=2"]);
  assert.equal(client.cookies.get("b"), "2");
});

Deno.test("fetch transport: TLS with the test CA, and refused without it", async () => {
  await using server = serve(echo, true);
  await using client = new Client({
    transport: new FetchTransport({ verify: { caCerts: [CA] } }),
  });
  const response = await client.get(server.url + "/secure");
  assert.equal(response.statusCode, 200);
  assert.equal(response.json<Echo>().url, server.url + "/secure");
  assert.equal(response.httpVersion, "HTTP/1.1");

  await using untrusting = new Client({
    transport: new FetchTransport({ trustEnv: false }),
  });
  await assert.rejects(
    untrusting.get(server.url + "/"),
    (error: Error) =>
      error instanceof ConnectError &&
      /certificate|UnknownIssuer/i.test(error.message),
  );
});

Deno.test("fetch transport: HTTP/2 only over TLS reports HTTP/2", async () => {
  await using server = serve(echo, true);
  await using client = new Client({
    transport: new FetchTransport({
      verify: { caCerts: [CA] },
      http1: false,
      http2: true,
    }),
  });
  const response = await client.post(server.url + "/h2", { content: "x" });
  assert.equal(response.httpVersion, "HTTP/2");
  assert.equal(response.json<Echo>().body, "x");

  // Both allowed over TLS: ALPN decides, and fetch does not say.
  await using both = new Client({
    transport: new FetchTransport({ verify: { caCerts: [CA] }, http2: true }),
  });
  assert.equal((await both.get(server.url + "/")).httpVersion, "unknown");
});

Deno.test("fetch transport: a slow response head raises ReadTimeout", async () => {
  await using server = serve(async () => {
    await server.stall;
    return new Response("late");
  });
  const transport = new FetchTransport();
  await using client = new Client({ transport });
  await assert.rejects(
    client.get(server.url + "/", { timeout: { connect: 0.05, read: 0.1 } }),
    (error: Error) =>
      error instanceof ReadTimeout &&
      /connect and read timeouts are added up/.test(error.message),
  );
  // Without a read timeout, the connect timeout is what is left.
  await assert.rejects(
    client.get(server.url + "/", {
      timeout: { connect: 0.1, read: null, write: null, pool: null },
    }),
    ConnectTimeout,
  );
});

Deno.test("fetch transport: a stalled body raises ReadTimeout", async () => {
  await using server = serve(() => {
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        controller.enqueue(encoder.encode("first"));
        await server.stall;
        controller.close();
      },
    });
    return new Response(body);
  });
  await using client = new Client({ transport: new FetchTransport() });
  await using response = await client.stream("GET", server.url + "/", {
    timeout: { connect: 5, read: 0.2 },
  });
  const iterator = response.iterBytes();
  const first = await iterator.next();
  assert.equal(decoder.decode(first.value as Uint8Array), "first");
  await assert.rejects(iterator.next(), ReadTimeout);
});

Deno.test("fetch transport: a small body of known length is read with its head", async () => {
  // What fetch was asked for, per body: pulls of the body stream.
  const pulls: Record<string, number> = { small: 0, large: 0 };
  const fetch: FetchFunction = (input) => {
    const name = new URL(String(input)).pathname.slice(1);
    // 300 KiB: above what is read whole, so it streams chunk by chunk.
    const size = name === "small" ? 5 : 300 * 1024;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls[name]++;
        const n = Math.min(1024, size - sent);
        controller.enqueue(new Uint8Array(n).fill(97));
        sent += n;
        if (sent === size) controller.close();
      },
    }, { highWaterMark: 0 });
    return Promise.resolve(
      new Response(body, { headers: { "content-length": String(size) } }),
    );
  };
  await using client = new Client({ transport: new FetchTransport({ fetch }) });
  await using small = await client.stream("GET", "https://example.test/small");
  // Read already: the stream was drained before stream() returned.
  assert.equal(pulls.small, 1);
  assert.equal(decoder.decode(await small.read()), "aaaaa");
  assert.equal(small.isClosed, true);
  await using large = await client.stream("GET", "https://example.test/large");
  // Larger bodies keep back-pressure: nothing is pulled until asked.
  assert.equal(pulls.large, 0);
  const first = await large.iterRaw().next();
  assert.equal((first.value as Uint8Array).byteLength, 1024);
  assert.ok(pulls.large <= 2);
});

Deno.test("fetch transport: a small body that stalls after its head raises ReadTimeout", async () => {
  await using server = serve(() => {
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await server.stall;
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-length": "5" } });
  });
  await using client = new Client({ transport: new FetchTransport() });
  await assert.rejects(
    client.stream("GET", server.url + "/", {
      timeout: { connect: 5, read: 0.2 },
    }),
    (error: Error) =>
      error instanceof ReadTimeout && /response body/.test(error.message),
  );
});

Deno.test("fetch transport: aborting the signal cancels the request", async () => {
  let arrived!: () => void;
  const waiting = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  await using server = serve(async () => {
    arrived();
    await server.stall;
    return new Response("late");
  });
  await using client = new Client({ transport: new FetchTransport() });
  const controller = new AbortController();
  const pending = client.get(server.url + "/", { signal: controller.signal });
  await waiting;
  const reason = new Error("user gave up");
  controller.abort(reason);
  await assert.rejects(pending, (error: Error) => {
    assert.ok(error instanceof RequestError);
    assert.equal(error.cause, reason);
    return true;
  });
});

Deno.test("fetch transport: a refused connection raises ConnectError", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await using client = new Client({ transport: new FetchTransport() });
  await assert.rejects(
    client.get(`http://127.0.0.1:${port}/`),
    (error: Error) => error instanceof ConnectError && error.hasRequest,
  );
});

Deno.test("fetch transport: a custom fetch gets manual redirects and no framing headers", async () => {
  const calls: Array<{ input: string; init: RequestInit }> = [];
  const fetch: FetchFunction = (input, init) => {
    calls.push({ input: String(input), init: init ?? {} });
    return Promise.resolve(new Response("ok", { status: 201 }));
  };
  await using client = new Client({ transport: new FetchTransport({ fetch }) });
  const response = await client.post("https://example.test:8443/a%20b?q=1", {
    content: "data",
  });
  assert.equal(response.statusCode, 201);
  assert.equal(response.text, "ok");
  assert.equal(response.httpVersion, "unknown");
  assert.equal(calls.length, 1);
  const { input, init } = calls[0];
  assert.equal(input, "https://example.test:8443/a%20b?q=1");
  assert.equal(init.method, "POST");
  assert.equal(init.redirect, "manual");
  assert.ok(init.signal instanceof AbortSignal);
  assert.equal((init as { client?: unknown }).client, undefined);
  // Host (the URL's authority), Content-Length and Connection: keep-alive
  // are left to fetch.
  const names = (init.headers as [string, string][]).map(([name]) => name);
  assert.deepEqual(names, [
    "Accept",
    "Accept-Encoding",
    "User-Agent",
  ]);
  assert.deepEqual(init.body, encoder.encode("data"));
  // The request itself still says what HTTPX sends.
  assert.equal(response.request.headers.get("connection"), "keep-alive");
});

Deno.test("fetch transport: Connection: close and a Host of another authority are passed on", async () => {
  const seen: [string, string][][] = [];
  const fetch: FetchFunction = (_input, init) => {
    seen.push(init?.headers as [string, string][]);
    return Promise.resolve(new Response("ok"));
  };
  await using client = new Client({ transport: new FetchTransport({ fetch }) });
  await client.get("http://example.test/", {
    headers: { Connection: "close", Host: "other.test" },
  });
  const pairs = new Map(seen[0].map(([name, value]) => [name, value]));
  assert.equal(pairs.get("Connection"), "close");
  assert.equal(pairs.get("Host"), "other.test");
});

Deno.test("fetch transport: response bodies are read with back-pressure", async () => {
  let pulls = 0;
  const fetch: FetchFunction = () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(encoder.encode(`chunk ${pulls};`));
        if (pulls === 100) controller.close();
      },
    }, { highWaterMark: 0 });
    return Promise.resolve(new Response(body));
  };
  await using client = new Client({ transport: new FetchTransport({ fetch }) });
  await using response = await client.stream("GET", "https://example.test/");
  const iterator = response.iterBytes();
  for (let i = 1; i <= 3; i++) {
    const step = await iterator.next();
    assert.equal(decoder.decode(step.value as Uint8Array), `chunk ${i};`);
  }
  // Only what was asked for (plus at most one chunk) has been pulled.
  assert.ok(pulls <= 4, `pulled ${pulls} chunks for 3 reads`);
  await response.close();
  assert.ok(pulls <= 4);
});

Deno.test("fetch transport: what fetch cannot do is refused plainly", async () => {
  const fetch: FetchFunction = () => Promise.resolve(new Response("x"));
  const transport = new FetchTransport({ fetch });
  await assert.rejects(
    transport.handleRequest(new Request("GET", "ws://example.test/")),
    UnsupportedProtocol,
  );
  await assert.rejects(
    transport.handleRequest(
      new Request("OPTIONS", "https://example.test/", {
        extensions: { target: "*" },
      }),
    ),
    LocalProtocolError,
  );
  await assert.rejects(
    transport.handleRequest(
      new Request("GET", "https://example.test/", { content: "body" }),
    ),
    (error: Error) =>
      error instanceof LocalProtocolError && /GET request/.test(error.message),
  );
  assert.throws(() => new FetchTransport({ verify: false }), /caCerts/);
  assert.throws(
    () => new FetchTransport({ fetch, verify: { caCerts: [CA] } }),
    /cannot apply verify\.caCerts/,
  );
  await transport.close();
  await assert.rejects(
    transport.handleRequest(new Request("GET", "https://example.test/")),
    TransportError,
  );
});

Deno.test("fetch transport: close() cancels bodies still streaming and the HttpClient", async () => {
  await using server = serve(() => {
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        controller.enqueue(encoder.encode("more"));
        await server.stall;
      },
    });
    return new Response(body);
  });
  const transport = new FetchTransport({
    limits: new Limits({ maxKeepaliveConnections: 2, keepaliveExpiry: 1 }),
  });
  const response = await transport.handleRequest(
    new Request("GET", server.url + "/", { extensions: { timeout: TIMEOUT } }),
  );
  const client = transport.httpClient;
  assert.ok(client !== undefined);
  await transport.close();
  const rest: Uint8Array[] = [];
  for await (const chunk of response.iterRaw()) rest.push(chunk);
  assert.equal(rest.length, 0);
  assert.equal(transport.httpClient, undefined);
});

Deno.test("fetch transport: a Host equal to the URL's authority is left to fetch", async () => {
  const seen: Array<Array<[string, string]>> = [];
  const transport = new FetchTransport({
    fetch: (_input, init) => {
      seen.push([...new globalThis.Headers(init?.headers)]);
      return Promise.resolve(new globalThis.Response("ok"));
    },
  });
  await using client = new Client({ transport });
  await client.get("https://example.org:8443/a");
  await client.get("https://example.org:8443/b", {
    headers: { host: "other.example" },
  });
  assert.equal(seen[0].find(([name]) => name === "host"), undefined);
  assert.deepEqual(seen[1].find(([name]) => name === "host"), [
    "host",
    "other.example",
  ]);
});

Deno.test("fetch transport: fetch gets a signal only when something can abort it", async () => {
  const signals: Array<AbortSignal | null | undefined> = [];
  const fetch: FetchFunction = (_input, init) => {
    signals.push(init?.signal);
    return Promise.resolve(new Response("ok"));
  };
  const transport = new FetchTransport({ fetch });
  await using untimed = new Client({ transport, timeout: null });
  await untimed.get("https://example.test/");
  assert.equal(signals[0], undefined);
  const user = new AbortController();
  await untimed.get("https://example.test/", { signal: user.signal });
  assert.ok(signals[1] instanceof AbortSignal);
  assert.equal(signals[1].aborted, false);
  await using timed = new Client({ transport, timeout: 5 });
  await timed.get("https://example.test/");
  assert.ok(signals[2] instanceof AbortSignal);
});

Deno.test("fetch transport: the user's signal aborts fetch when a timeout is set too", async () => {
  let started!: () => void;
  const waiting = new Promise<void>((resolve) => {
    started = resolve;
  });
  const fetch: FetchFunction = (_input, init) =>
    new Promise((_resolve, reject) => {
      const signal = init!.signal!;
      signal.addEventListener("abort", () => reject(signal.reason), {
        once: true,
      });
      started();
    });
  await using client = new Client({
    transport: new FetchTransport({ fetch }),
    timeout: 30,
  });
  const controller = new AbortController();
  const pending = client.get("https://example.test/", {
    signal: controller.signal,
  });
  await waiting;
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(pending, (error: Error) => {
    assert.ok(error instanceof RequestError);
    assert.equal(error.cause, reason);
    return true;
  });
});

Deno.test("fetch transport: a custom fetch cannot change the request's headers", async () => {
  const fetch: FetchFunction = (_input, init) => {
    const pairs = init!.headers as [string, string][];
    pairs.push(["X-Added", "1"]);
    pairs[0] = ["X-Replaced", "2"];
    return Promise.resolve(new Response("ok"));
  };
  await using transport = new FetchTransport({ fetch });
  // A Host of its own is kept, so nothing is left out of the list.
  const headers: [string, string][] = [["Host", "other.test"], [
    "X-Mine",
    "yes",
  ]];
  const request = new Request("GET", "https://example.test/", { headers });
  const response = await transport.handleRequest(request);
  await response.close();
  assert.deepEqual(request.headers.wireItems(), headers);
});

Deno.test("fetch transport: read() takes large bodies whole, with and without a read timeout", async () => {
  const size = 700 * 1024;
  await using server = serve(() => {
    let sent = 0;
    // No Content-Length: streamed in 64 KiB chunks of a repeating pattern.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) {
          controller.close();
          return;
        }
        const n = Math.min(65536, size - sent);
        const chunk = new Uint8Array(n);
        for (let i = 0; i < n; i++) chunk[i] = (sent + i) % 251;
        sent += n;
        controller.enqueue(chunk);
      },
    });
    return new Response(body);
  });
  for (const timeout of [null, { connect: 5, read: 5 }]) {
    await using client = new Client({
      transport: new FetchTransport(),
      timeout,
    });
    const response = await client.get(server.url + "/big");
    const content = response.content;
    assert.equal(content.byteLength, size);
    let wrong = 0;
    for (let i = 0; i < size; i++) if (content[i] !== i % 251) wrong++;
    assert.equal(wrong, 0);
    assert.equal(response.isClosed, true);
  }
});

Deno.test("fetch transport: one stalled request times out, the others in flight do not", async () => {
  await using server = serve(async (request) => {
    if (new URL(request.url).pathname === "/slow") await server.stall;
    return new Response("fast");
  });
  await using client = new Client({
    transport: new FetchTransport(),
    timeout: { connect: 5, read: 0.3 },
  });
  const slow = client.get(server.url + "/slow");
  const fast = await Promise.all(
    [1, 2, 3].map(() => client.get(server.url + "/fast")),
  );
  assert.deepEqual(fast.map((r) => r.text), ["fast", "fast", "fast"]);
  await assert.rejects(slow, ReadTimeout);
  // The shared timer keeps working for later requests.
  assert.equal((await client.get(server.url + "/fast")).text, "fast");
});

Deno.test("fetch transport: the server gets HTTPX's default headers, Accept once", async () => {
  await using server = serve(echo);
  await using client = new Client({ transport: new FetchTransport() });
  const response = await client.get(server.url + "/");
  const echoed = response.json() as Echo;
  // Left out of what the transport hands fetch, which sends it itself.
  assert.equal(header(echoed, "accept"), "*/*");
  assert.equal(header(echoed, "accept-encoding"), "gzip, deflate, br, zstd");
  assert.equal(
    header(echoed, "user-agent"),
    response.request.headers.get("user-agent"),
  );
  assert.equal(header(echoed, "connection") ?? "keep-alive", "keep-alive");
});
