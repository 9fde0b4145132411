import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { Client } from "../../src/client/client.ts";
import { ConnectError, ReadTimeout } from "../../src/errors.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { MockTransport } from "../../src/transports/mock.ts";
import { startServer } from "../../examples/_server.ts";
import { main as fetchLibraryExample } from "../../examples/fetch_library.ts";

const decoder = new TextDecoder();

function recording(
  answer: (request: Request) => Response = () => new Response(200),
): { transport: MockTransport; requests: Request[] } {
  const requests: Request[] = [];
  const transport = new MockTransport((request) => {
    requests.push(request);
    return answer(request);
  });
  return { transport, requests };
}

Deno.test("client.fetch: relative URL, merged headers, auth and cookies", async () => {
  const { transport, requests } = recording(() =>
    new Response(201, { json: { ok: true } })
  );
  await using client = new Client({
    transport,
    baseUrl: "https://api.example.org/v1/",
    headers: { "X-Client": "one", "X-Both": "client" },
    auth: ["user", "pass"],
    cookies: { session: "s1" },
  });
  const fetch = client.fetch; // detached: must stay bound
  const response = await fetch("items?page=2", {
    method: "post",
    headers: { "X-Both": "request" },
    body: "hello",
  });
  assert.ok(response instanceof globalThis.Response);
  assert.equal(response.status, 201);
  assert.equal(response.statusText, "Created");
  assert.deepEqual(await response.json(), { ok: true });
  assert.equal(response.url, "https://api.example.org/v1/items?page=2");
  assert.equal(response.redirected, false);

  const sent = requests[0];
  assert.equal(sent.method, "POST");
  assert.equal(sent.url.toString(), "https://api.example.org/v1/items?page=2");
  assert.equal(sent.headers.get("x-client"), "one");
  assert.equal(sent.headers.get("x-both"), "request");
  assert.equal(sent.headers.get("authorization"), "Basic dXNlcjpwYXNz");
  assert.equal(sent.headers.get("cookie"), "session=s1");
  assert.equal(sent.headers.get("content-type"), "text/plain;charset=UTF-8");
  assert.equal(sent.headers.get("content-length"), "5");
  assert.equal(decoder.decode(sent.content), "hello");
});

Deno.test("client.fetch: bodies are encoded as fetch encodes them", async () => {
  const { transport, requests } = recording();
  await using client = new Client({ transport });
  await client.fetch("https://example.org/form", {
    method: "POST",
    body: new URLSearchParams({ a: "1", b: "two words" }),
  });
  const form = new FormData();
  form.append("field", "value");
  form.append("file", new Blob(["data"], { type: "text/plain" }), "a.txt");
  await client.fetch("https://example.org/multipart", {
    method: "POST",
    body: form,
  });
  const stream = ReadableStream.from([
    new TextEncoder().encode("chunk1,"),
    new TextEncoder().encode("chunk2"),
  ]);
  await client.fetch("https://example.org/stream", {
    method: "PUT",
    body: stream,
    duplex: "half",
  } as RequestInit);

  const [urlencoded, multipart, streamed] = requests;
  assert.equal(
    urlencoded.headers.get("content-type"),
    "application/x-www-form-urlencoded;charset=UTF-8",
  );
  assert.equal(decoder.decode(urlencoded.content), "a=1&b=two+words");
  const type = multipart.headers.get("content-type")!;
  const boundary = /boundary=(.+)$/.exec(type)![1];
  const text = decoder.decode(multipart.content);
  assert.ok(text.startsWith(`--${boundary}\r\n`));
  assert.match(
    text,
    /name="file"; filename="a.txt"\r\nContent-Type: text\/plain\r\n\r\ndata\r\n/,
  );
  assert.equal(streamed.headers.get("transfer-encoding"), "chunked");
  assert.equal(decoder.decode(streamed.content), "chunk1,chunk2");
});

Deno.test("client.fetch: a web Request as input", async () => {
  const { transport, requests } = recording(() =>
    new Response(200, { text: "ok" })
  );
  await using client = new Client({ transport });
  const input = new globalThis.Request("https://example.org/r", {
    method: "PATCH",
    headers: { "x-from": "request" },
    body: JSON.stringify({ a: 1 }),
  });
  const response = await client.fetch(input);
  assert.equal(await response.text(), "ok");
  assert.equal(requests[0].method, "PATCH");
  assert.equal(requests[0].headers.get("x-from"), "request");
  assert.equal(requests[0].headers.get("content-length"), "7");
  assert.equal(decoder.decode(requests[0].content), '{"a":1}');
});

Deno.test("client.fetch: redirect follow, manual and error", async () => {
  const { transport, requests } = recording((request) =>
    request.url.path === "/old"
      ? new Response(301, { headers: { location: "/new" } })
      : new Response(200, { text: `at ${request.url.path}` })
  );
  await using client = new Client({ transport });
  const followed = await client.fetch("https://example.org/old");
  assert.equal(await followed.text(), "at /new");
  assert.equal(followed.redirected, true);
  assert.equal(followed.url, "https://example.org/new");
  assert.equal(requests.length, 2);

  const manual = await client.fetch("https://example.org/old", {
    redirect: "manual",
  });
  assert.equal(manual.status, 301);
  assert.equal(manual.headers.get("location"), "/new");
  assert.equal(manual.redirected, false);
  assert.equal(await manual.text(), "");

  await assert.rejects(
    client.fetch("https://example.org/old", { redirect: "error" }),
    TypeError,
  );
});

Deno.test("client.fetch: the body is decoded and streamed; null-body statuses", async () => {
  const text = "compressed ".repeat(20);
  const gzipped = new Uint8Array(zlib.gzipSync(new TextEncoder().encode(text)));
  const { transport } = recording((request) =>
    request.url.path === "/empty" ? new Response(204) : new Response(200, {
      content: gzipped,
      headers: { "content-encoding": "gzip" },
    })
  );
  await using client = new Client({ transport });
  const response = await client.fetch("https://example.org/gz");
  assert.equal(response.headers.get("content-encoding"), "gzip");
  assert.equal(await response.text(), text);
  const empty = await client.fetch("https://example.org/empty");
  assert.equal(empty.status, 204);
  assert.equal(empty.body, null);
});

Deno.test("client.fetch: failures reject as fetch does", async () => {
  const connectError = new ConnectError("Connection refused");
  await using failing = new Client({
    transport: new MockTransport(() => {
      throw connectError;
    }),
  });
  await assert.rejects(
    failing.fetch("https://example.org/"),
    (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.equal(error.cause, connectError);
      return true;
    },
  );

  await using client = new Client({
    transport: new MockTransport(() => new Response(200)),
  });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    client.fetch("https://example.org/", { signal: controller.signal }),
    (error: Error) => error.name === "AbortError",
  );

  // An error while the body streams errors the web body the same way.
  const timeout = new ReadTimeout("slow body");
  await using streaming = new Client({
    transport: new MockTransport(() =>
      new Response(200, {
        stream: {
          async *[Symbol.asyncIterator]() {
            yield new TextEncoder().encode("part");
            throw timeout;
          },
        },
      })
    ),
  });
  const response = await streaming.fetch("https://example.org/");
  await assert.rejects(response.text(), (error: Error) => {
    assert.ok(error instanceof TypeError);
    assert.equal(error.cause, timeout);
    return true;
  });
});

Deno.test("client.fetch: event hooks and the cookie jar see every hop", async () => {
  const { transport } = recording((request) =>
    request.url.path === "/login"
      ? new Response(302, {
        headers: { location: "/home", "set-cookie": "token=t1; Path=/" },
      })
      : new Response(200, { text: request.headers.get("cookie") ?? "" })
  );
  const seen: string[] = [];
  await using client = new Client({
    transport,
    eventHooks: {
      request: [(request) => void seen.push(`req ${request.url.path}`)],
      response: [(response) => void seen.push(`res ${response.statusCode}`)],
    },
  });
  const response = await client.fetch("https://example.org/login");
  assert.equal(await response.text(), "token=t1");
  assert.deepEqual(seen, ["req /login", "res 302", "req /home", "res 200"]);
  assert.equal(client.cookies.get("token"), "t1");
});

Deno.test("client.fetch: the fetch_library example runs against a real server", async () => {
  const server = await startServer();
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await fetchLibraryExample(server.url);
  } finally {
    console.log = log;
    await server.close();
  }
  assert.deepEqual(lines, [
    "X-Api-Key sent by the client: example-key",
    "Authorization: Basic dXNlcjpwYXNzd2Q=",
    'posted JSON echoed back: {"hello":"world"}',
    "authenticated: true",
    'cookies after redirect: {"flavour":"oatmeal"}',
    "client jar: oatmeal",
    "streamed lines: 5",
    "manual redirect: 302 /get",
    "failure: TypeError caused by ConnectError",
    "requests the client sent: GET /get, POST /post, GET /basic-auth/user/passwd, GET /cookies/set, GET /cookies, GET /stream/5, GET /redirect/1, GET /unreachable",
  ]);
});
