import assert from "node:assert/strict";
import {
  failedBeforeResponse,
  HTTP11Connection,
} from "../../src/connection/http11.ts";
import { ConnectionNotAvailable } from "../../src/connection/_interface.ts";
import {
  AWAIT_WRITE,
  HANG,
  type MockReadItem,
  MockStream,
  type MockStreamOptions,
} from "../../src/net/mock_backend.ts";
import type { NetworkStream } from "../../src/net/network.ts";
import { Request, type RequestOptions } from "../../src/models/request.ts";
import type { Response } from "../../src/models/response.ts";
import {
  LocalProtocolError,
  ReadError,
  ReadTimeout,
  RemoteProtocolError,
  RequestError,
  WriteError,
} from "../../src/errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const ORIGIN = { scheme: "http", host: "example.org", port: 80 };

function setup(
  reads: MockReadItem[],
  options: MockStreamOptions & {
    keepaliveExpiry?: number | null;
    now?: () => number;
  } = {},
): { stream: MockStream; connection: HTTP11Connection } {
  const stream = new MockStream(reads, options);
  const connection = new HTTP11Connection(ORIGIN, stream, {
    keepaliveExpiry: options.keepaliveExpiry,
    now: options.now,
  });
  return { stream, connection };
}

function get(
  url = "http://example.org/",
  options: RequestOptions = {},
): Request {
  return new Request(
    options.content === undefined ? "GET" : "POST",
    url,
    options,
  );
}

/** Read a response's raw body by iterating its stream. */
async function body(response: Response): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of response.stream) parts.push(chunk);
  return dec.decode(concat(parts));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Let pending promise callbacks (the idle watcher) run. */
const settle = (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 0));

const OK =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world!";

Deno.test("sends a GET and streams the response, then goes idle", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n",
    "Content-Length: 13\r\n\r\nHello, ",
    "world!",
    AWAIT_WRITE,
  ], { keepaliveExpiry: 5, now: () => 100 });
  assert.equal(connection.state, "NEW");
  assert.equal(connection.isAvailable(), false);
  const response = await connection.handleRequest(
    get("http://example.org/path?x=1"),
  );
  assert.equal(
    stream.writtenText(),
    "GET /path?x=1 HTTP/1.1\r\nHost: example.org\r\n\r\n",
  );
  assert.equal(stream.written.length, 1);
  assert.equal(response.statusCode, 200);
  assert.equal(response.httpVersion, "HTTP/1.1");
  assert.equal(response.reasonPhrase, "OK");
  assert.deepEqual(
    response.headers.raw,
    [
      ["Content-Type", "text/plain"],
      ["Content-Length", "13"],
    ].map(([k, v]) => [enc.encode(k), enc.encode(v)]),
  );
  assert.equal(connection.state, "ACTIVE");
  assert.equal(connection.isIdle(), false);
  assert.equal(await body(response), "Hello, world!");
  assert.equal(connection.state, "IDLE");
  assert.equal(connection.isAvailable(), true);
  assert.equal(connection.isIdle(), true);
  assert.equal(connection.requestCount, 1);
  assert.equal(connection.hasExpired(105), false);
  assert.equal(connection.hasExpired(105.01), true);
  assert.equal(stream.pendingReads, 1, "one background read while idle");
  connection.close();
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
  assert.equal(stream.pendingReads, 0);
});

Deno.test("reuses a kept-alive connection, continuing from the idle read", async () => {
  const { stream, connection } = setup([
    OK,
    AWAIT_WRITE,
    "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond",
    AWAIT_WRITE,
  ]);
  const first = await connection.handleRequest(get());
  assert.equal(await body(first), "Hello, world!");
  assert.equal(connection.isAvailable(), true);
  await settle();
  assert.equal(connection.isAvailable(), true, "no bytes arrived while idle");
  const second = await connection.handleRequest(get("http://example.org/two"));
  assert.equal(await body(second), "second");
  assert.equal(connection.requestCount, 2);
  assert.equal(connection.state, "IDLE");
  assert.equal(
    stream.writtenText(),
    "GET / HTTP/1.1\r\nHost: example.org\r\n\r\nGET /two HTTP/1.1\r\nHost: example.org\r\n\r\n",
  );
  connection.close();
});

Deno.test("Connection: close from the server closes after the body", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    AWAIT_WRITE,
  ]);
  const response = await connection.handleRequest(get());
  assert.equal(await body(response), "ok");
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
});

Deno.test("Connection: close from the request closes after the body", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  const response = await connection.handleRequest(
    get("http://example.org/", { headers: { Connection: "close" } }),
  );
  assert.match(stream.writtenText(), /\r\nConnection: close\r\n/);
  assert.equal(await body(response), "Hello, world!");
  assert.equal(connection.isClosed(), true);
});

Deno.test("HTTP/1.0 responses close the connection", async () => {
  const { connection } = setup([
    "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold",
    AWAIT_WRITE,
  ]);
  const response = await connection.handleRequest(get());
  assert.equal(response.httpVersion, "HTTP/1.0");
  assert.equal(await body(response), "old");
  assert.equal(connection.isClosed(), true);
});

Deno.test("a body read until close ends at EOF and closes", async () => {
  const { connection } = setup(["HTTP/1.1 200 OK\r\n\r\nuntil", " the end"]);
  const response = await connection.handleRequest(get());
  assert.equal(await body(response), "until the end");
  assert.equal(connection.isClosed(), true);
});

Deno.test("closing the response before the end closes the connection", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
    HANG,
  ]);
  const response = await connection.handleRequest(get());
  await response.close();
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
});

Deno.test("breaking out of the body iteration closes the connection", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
    "world",
  ]);
  const response = await connection.handleRequest(get());
  for await (const chunk of response.stream) {
    assert.equal(dec.decode(chunk), "hello");
    break;
  }
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
});

Deno.test("a server that closes an idle connection is noticed without a request", async () => {
  const { stream, connection } = setup([OK]);
  const response = await connection.handleRequest(get());
  assert.equal(await body(response), "Hello, world!");
  // The end of input is seen by the read started when it went idle.
  await settle();
  assert.equal(connection.isClosed(), true);
  assert.equal(connection.isAvailable(), false);
  assert.equal(connection.hasExpired(0), true);
  assert.equal(stream.isClosed, true);
  await assert.rejects(connection.handleRequest(get()), ConnectionNotAvailable);
  assert.equal(stream.written.length, 1, "nothing more was sent");
});

Deno.test("unexpected bytes on an idle connection close it", async () => {
  const { connection } = setup([OK, "HTTP/1.1 408 Request Timeout\r\n\r\n"]);
  await body(await connection.handleRequest(get()));
  await settle();
  assert.equal(connection.isClosed(), true);
});

Deno.test("a reused connection that the server closed fails as retryable", async () => {
  const { connection } = setup([OK, AWAIT_WRITE]);
  await body(await connection.handleRequest(get()));
  await settle();
  assert.equal(connection.isAvailable(), true);
  const error = await connection.handleRequest(get()).then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RemoteProtocolError);
  assert.equal(error.message, "Server disconnected without sending a response");
  assert.equal(failedBeforeResponse(error), true);
  assert.equal(connection.isClosed(), true);
});

Deno.test("a fresh connection the server closes is not marked retryable", async () => {
  const { connection } = setup([]);
  const error = await connection.handleRequest(get()).then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RemoteProtocolError);
  assert.equal(error.message, "Server disconnected without sending a response");
  assert.equal(failedBeforeResponse(error), false);
  assert.equal(failedBeforeResponse(new Error("x")), false);
  assert.equal(failedBeforeResponse(null), false);
});

Deno.test("a failure after the first response byte is not retryable", async () => {
  const { connection } = setup([OK, AWAIT_WRITE, "HTTP/1.1 200 OK\r\nConte"]);
  await body(await connection.handleRequest(get()));
  const error = await connection.handleRequest(get()).then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RemoteProtocolError);
  assert.equal(failedBeforeResponse(error), false);
});

Deno.test("101 Switching Protocols hands over the stream with the buffered bytes", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nframe-1",
    "frame-2",
  ]);
  const response = await connection.handleRequest(
    get("http://example.org/ws", {
      headers: { Upgrade: "websocket", Connection: "Upgrade" },
    }),
  );
  assert.equal(response.statusCode, 101);
  const upgraded = response.extensions.networkStream as NetworkStream;
  assert.equal(dec.decode((await upgraded.read(3, null))!), "fra");
  assert.equal(dec.decode((await upgraded.read(65536, null))!), "me-1");
  assert.equal(dec.decode((await upgraded.read(65536, null))!), "frame-2");
  assert.equal(await upgraded.read(65536, null), null);
  await upgraded.write(enc.encode("client-frame"), null);
  assert.equal(dec.decode(stream.written[1]), "client-frame");
  assert.equal(await body(response), "");
  assert.equal(connection.isAvailable(), false);
  assert.equal(connection.isClosed(), false);
  upgraded.close();
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
});

Deno.test("a 2xx answer to CONNECT gives a tunnel stream", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 200 Connection established\r\n\r\n",
    "tunnelled",
  ]);
  const response = await connection.handleRequest(
    new Request("CONNECT", "http://example.org:443/", {
      headers: { Host: "example.org:443" },
      extensions: { target: "example.org:443" },
    }),
  );
  assert.equal(
    stream.writtenText(),
    "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n",
  );
  assert.equal(response.reasonPhrase, "Connection established");
  const tunnel = response.extensions.networkStream as NetworkStream;
  const tls = await tunnel.startTls({ serverName: "example.org" }, 5);
  assert.deepEqual(stream.tlsUpgrades, [{ serverName: "example.org" }]);
  assert.equal(dec.decode((await tls.read(65536, null))!), "tunnelled");
  await response.close();
  assert.equal(connection.isClosed(), true);
});

Deno.test("a write error is set aside while an early response is read", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n\r\ntoo big!",
    AWAIT_WRITE,
  ], { writeError: new WriteError("Broken pipe"), failWriteAfter: 1 });
  const big = new Uint8Array(100_000).fill(120);
  const response = await connection.handleRequest(
    get("http://example.org/upload", { content: big }),
  );
  assert.equal(stream.written.length, 1, "only the head went out");
  assert.equal(response.statusCode, 413);
  assert.equal(await body(response), "too big!");
  assert.equal(
    connection.isClosed(),
    true,
    "a half-sent request is not reused",
  );
});

Deno.test("a write error is raised when no response comes", async () => {
  const writeError = new WriteError("Broken pipe");
  const { connection } = setup([], { writeError });
  await assert.rejects(
    connection.handleRequest(get()),
    (e: unknown) => e === writeError,
  );
  assert.equal(connection.isClosed(), true);
});

Deno.test("trace events come in httpcore's order", async () => {
  const events: string[] = [];
  const { connection } = setup([OK, AWAIT_WRITE]);
  const request = get("http://example.org/", {
    content: "abc",
    extensions: {
      trace: (name: string, info: Record<string, unknown>) => {
        events.push(name);
        if (name.endsWith(".started")) assert.equal(info.request, request);
      },
    },
  });
  const response = await connection.handleRequest(request);
  await body(response);
  assert.deepEqual(events, [
    "http11.send_request_headers.started",
    "http11.send_request_headers.complete",
    "http11.send_request_body.started",
    "http11.send_request_body.complete",
    "http11.receive_response_headers.started",
    "http11.receive_response_headers.complete",
    "http11.receive_response_body.started",
    "http11.receive_response_body.complete",
    "http11.response_closed.started",
    "http11.response_closed.complete",
  ]);
  connection.close();
});

Deno.test("trace reports a failed step", async () => {
  const events: string[] = [];
  let failure: unknown;
  const { connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab",
  ]);
  const response = await connection.handleRequest(get("http://example.org/", {
    extensions: {
      trace: (name: string, info: Record<string, unknown>) => {
        events.push(name);
        if (name.endsWith(".failed")) failure = info.exception;
      },
    },
  }));
  await assert.rejects(body(response), RemoteProtocolError);
  assert.deepEqual(events.slice(6), [
    "http11.receive_response_body.started",
    "http11.receive_response_body.failed",
    "http11.response_closed.started",
    "http11.response_closed.complete",
  ]);
  assert.ok(failure instanceof RemoteProtocolError);
  assert.equal(connection.isClosed(), true);
});

Deno.test("a small known body goes out in the same write as the head", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  await body(
    await connection.handleRequest(
      get("http://example.org/", { content: "hello" }),
    ),
  );
  assert.equal(stream.written.length, 1);
  assert.equal(
    stream.writtenText(),
    "POST / HTTP/1.1\r\nHost: example.org\r\nContent-Length: 5\r\n\r\nhello",
  );
  connection.close();
});

Deno.test("a large known body is written after the head, uncopied", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  const big = new Uint8Array(70_000).fill(97);
  await body(
    await connection.handleRequest(
      get("http://example.org/", { content: big }),
    ),
  );
  assert.equal(stream.written.length, 2);
  assert.equal(
    dec.decode(stream.written[0]),
    "POST / HTTP/1.1\r\nHost: example.org\r\nContent-Length: 70000\r\n\r\n",
  );
  assert.deepEqual(stream.written[1], big);
  connection.close();
});

Deno.test("a streamed body is sent chunked", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  async function* parts() {
    yield enc.encode("Hello");
    yield new Uint8Array(0);
    yield enc.encode(", world! This is chunk three.");
  }
  await body(
    await connection.handleRequest(
      get("http://example.org/", { content: parts() }),
    ),
  );
  assert.equal(
    stream.writtenText(),
    "POST / HTTP/1.1\r\nHost: example.org\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5\r\nHello\r\n1d\r\n, world! This is chunk three.\r\n0\r\n\r\n",
  );
  connection.close();
});

Deno.test("a streamed body with Content-Length is sent as is and length-checked", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  async function* parts() {
    yield enc.encode("abc");
    yield enc.encode("de");
  }
  await body(
    await connection.handleRequest(
      get("http://example.org/", {
        content: parts(),
        headers: { "Content-Length": "5" },
      }),
    ),
  );
  assert.equal(
    stream.writtenText(),
    "POST / HTTP/1.1\r\nHost: example.org\r\nContent-Length: 5\r\n\r\nabcde",
  );
  assert.equal(connection.isIdle(), true);
  connection.close();

  const short = setup([OK]);
  await assert.rejects(
    short.connection.handleRequest(
      get("http://example.org/", {
        content: parts(),
        headers: { "Content-Length": "9" },
      }),
    ),
    LocalProtocolError,
  );
  assert.equal(short.connection.isClosed(), true);
});

Deno.test("an invalid request is refused before anything is sent", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  await assert.rejects(
    connection.handleRequest(
      get("http://example.org/", { headers: { "X-Bad": "a\r\nb" } }),
    ),
    LocalProtocolError,
  );
  await assert.rejects(
    connection.handleRequest(
      get("http://example.org/", { extensions: { target: "/has space" } }),
    ),
    LocalProtocolError,
  );
  assert.equal(stream.written.length, 0);
  assert.equal(connection.state, "NEW");
  // Still usable.
  assert.equal(
    await body(await connection.handleRequest(get())),
    "Hello, world!",
  );
  connection.close();
});

Deno.test("a busy connection refuses a second request", async () => {
  const { connection } = setup([OK]);
  const response = await connection.handleRequest(get());
  await assert.rejects(connection.handleRequest(get()), ConnectionNotAvailable);
  await response.close();
});

Deno.test("timeouts are passed to each read and write", async () => {
  const { stream, connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n",
    "ab",
    "cd",
    AWAIT_WRITE,
  ]);
  const response = await connection.handleRequest(get("http://example.org/", {
    extensions: { timeout: { connect: 1, read: 2, write: 3, pool: 4 } },
  }));
  await body(response);
  assert.deepEqual(stream.writeTimeouts, [3]);
  assert.deepEqual(stream.readTimeouts, [2, 2, 2, null]);
  connection.close();
});

Deno.test("a read timeout closes the connection", async () => {
  const { stream, connection } = setup([HANG]);
  await assert.rejects(
    connection.handleRequest(get("http://example.org/", {
      extensions: {
        timeout: { connect: null, read: 0.01, write: null, pool: null },
      },
    })),
    ReadTimeout,
  );
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
});

Deno.test("the read timeout also bounds the read carried over from idle", async () => {
  const { stream, connection } = setup([OK, HANG]);
  await body(await connection.handleRequest(get()));
  const error = await connection.handleRequest(get("http://example.org/", {
    extensions: {
      timeout: { connect: null, read: 0.01, write: null, pool: null },
    },
  })).then(() => assert.fail("expected a timeout"), (e: unknown) => e);
  assert.ok(error instanceof ReadTimeout);
  assert.equal(failedBeforeResponse(error), false);
  assert.equal(stream.isClosed, true);
  assert.equal(stream.pendingReads, 0);
});

Deno.test("an aborted signal closes the connection and raises the abort error", async () => {
  const { stream, connection } = setup([HANG]);
  const controller = new AbortController();
  const pending = connection.handleRequest(get("http://example.org/", {
    extensions: { signal: controller.signal },
  }));
  await settle();
  assert.equal(stream.pendingReads, 1);
  controller.abort(new Error("stop"));
  await assert.rejects(pending, (e: unknown) => {
    assert.ok(e instanceof RequestError);
    assert.equal(e.message, "The request was aborted");
    assert.equal((e.cause as Error).message, "stop");
    return true;
  });
  assert.equal(connection.isClosed(), true);
  assert.equal(stream.isClosed, true);
});

Deno.test("an abort while the body streams fails the body read", async () => {
  const { connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
    HANG,
  ]);
  const controller = new AbortController();
  const response = await connection.handleRequest(get("http://example.org/", {
    extensions: { signal: controller.signal },
  }));
  const iterator = response.stream[Symbol.asyncIterator]();
  assert.equal(dec.decode((await iterator.next()).value), "hello");
  const next = iterator.next();
  await settle();
  controller.abort(new ReadTimeout("total deadline"));
  await assert.rejects(
    next,
    (e: unknown) => e instanceof ReadTimeout && e.message === "total deadline",
  );
  assert.equal(connection.isClosed(), true);
});

Deno.test("an already aborted signal sends nothing", async () => {
  const { stream, connection } = setup([OK]);
  await assert.rejects(
    connection.handleRequest(
      get("http://example.org/", {
        extensions: { signal: AbortSignal.abort() },
      }),
    ),
    RequestError,
  );
  assert.equal(stream.written.length, 0);
  assert.equal(connection.state, "NEW");
  connection.close();
});

Deno.test("the abort listener is removed once the response is done", async () => {
  const { connection } = setup([OK, AWAIT_WRITE]);
  const controller = new AbortController();
  await body(
    await connection.handleRequest(get("http://example.org/", {
      extensions: { signal: controller.signal },
    })),
  );
  controller.abort();
  assert.equal(
    connection.isIdle(),
    true,
    "aborting later does not touch the idle connection",
  );
  connection.close();
});

Deno.test("body chunks survive a network stream that reuses its read buffer", async () => {
  const { connection } = setup([
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n",
    "6\r\nsecond\r\n",
    "5\r\nthird\r\n0\r\n\r\n",
    AWAIT_WRITE,
  ], { reuseReadBuffer: true });
  const response = await connection.handleRequest(get());
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.stream) chunks.push(chunk);
  assert.deepEqual(chunks.map((c) => dec.decode(c)), [
    "first",
    "second",
    "third",
  ]);
  connection.close();
});

Deno.test("a HEAD response has no body and keeps the connection", async () => {
  const { connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n",
    AWAIT_WRITE,
  ]);
  const response = await connection.handleRequest(
    new Request("HEAD", "http://example.org/"),
  );
  assert.equal(await body(response), "");
  assert.equal(connection.isIdle(), true);
  connection.close();
});

Deno.test("interim responses are skipped", async () => {
  const { connection } = setup([
    "HTTP/1.1 100 Continue\r\n\r\n",
    "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n",
    "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
    AWAIT_WRITE,
  ]);
  const response = await connection.handleRequest(
    get("http://example.org/", { content: "x" }),
  );
  assert.equal(response.statusCode, 201);
  assert.equal(await body(response), "");
  assert.equal(connection.isIdle(), true);
  connection.close();
});

Deno.test("a read error mid-body closes the connection", async () => {
  const { connection } = setup([
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
    new ReadError("Connection reset by peer"),
  ]);
  const response = await connection.handleRequest(get());
  await assert.rejects(body(response), ReadError);
  assert.equal(connection.isClosed(), true);
});

Deno.test("the idle watcher error is contained when the stream fails", async () => {
  const { connection } = setup([OK, new ReadError("reset")]);
  await body(await connection.handleRequest(get()));
  await settle();
  assert.equal(connection.isClosed(), true);
});

Deno.test("info, toString and canHandleRequest", async () => {
  const { connection } = setup([OK, AWAIT_WRITE]);
  assert.equal(
    connection.info(),
    "'http://example.org:80', HTTP/1.1, NEW, Request Count: 0",
  );
  await body(await connection.handleRequest(get()));
  assert.equal(
    connection.info(),
    "'http://example.org:80', HTTP/1.1, IDLE, Request Count: 1",
  );
  assert.equal(
    connection.toString(),
    "<HTTP11Connection ['http://example.org:80', HTTP/1.1, IDLE, Request Count: 1]>",
  );
  assert.equal(connection.httpVersion, "HTTP/1.1");
  assert.equal(connection.canHandleRequest({ ...ORIGIN }), true);
  assert.equal(
    connection.canHandleRequest({ ...ORIGIN, scheme: "https" }),
    false,
  );
  assert.equal(connection.canHandleRequest({ ...ORIGIN, port: 8080 }), false);
  connection.close();
  connection.close();
  assert.equal(
    connection.info(),
    "'http://example.org:80', HTTP/1.1, CLOSED, Request Count: 1",
  );
});

Deno.test("without keepaliveExpiry an idle connection only expires when closed", async () => {
  const { connection } = setup([OK, AWAIT_WRITE]);
  await body(await connection.handleRequest(get()));
  assert.equal(connection.hasExpired(Number.MAX_SAFE_INTEGER), false);
  connection.close();
  assert.equal(connection.hasExpired(0), true);
});

Deno.test("the response's network stream is the connection's stream", async () => {
  const { stream, connection } = setup([OK, AWAIT_WRITE]);
  const response = await connection.handleRequest(get());
  assert.equal(response.extensions.networkStream, stream);
  await response.close();
});

/** A mock stream that also reads into the caller's buffer (as the Deno backend does). */
class ReadIntoStream extends MockStream {
  readIntoSizes: number[] = [];

  async readInto(
    buffer: Uint8Array,
    timeout: number | null,
  ): Promise<number | null> {
    this.readIntoSizes.push(buffer.length);
    const bytes = await this.read(buffer.length, timeout);
    if (bytes === null) return null;
    buffer.set(bytes);
    return bytes.length;
  }
}

/** `n` bytes of a repeating pattern that shows misplaced or rewritten bytes. */
function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

Deno.test("a large body is read in bulk into the connection's buffers, and chunks kept stay intact", async () => {
  const size = 700 * 1024;
  const first = pattern(size, 1);
  const second = pattern(size, 2);
  const head = (n: number) =>
    enc.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${n}\r\n\r\n`);
  // Each body comes in 100 KiB pieces, after a head with 10 bytes of it.
  const pieces = (bytes: Uint8Array): Uint8Array[] => {
    const out = [concat([head(bytes.length), bytes.subarray(0, 10)])];
    for (let i = 10; i < bytes.length; i += 100 * 1024) {
      out.push(bytes.subarray(i, i + 100 * 1024));
    }
    return out;
  };
  const stream = new ReadIntoStream([
    ...pieces(first),
    AWAIT_WRITE,
    ...pieces(second),
    AWAIT_WRITE,
  ]);
  const connection = new HTTP11Connection(ORIGIN, stream);
  const kept: Uint8Array[] = [];
  for (const expected of [first, second]) {
    const response = await connection.handleRequest(get());
    const parts: Uint8Array[] = [];
    for await (const chunk of response.stream) parts.push(chunk);
    kept.push(...parts);
    assert.deepEqual(concat(parts), expected);
    assert.equal(connection.state, "IDLE");
  }
  // Reads asked for no more than the body still to come.
  assert.ok(stream.readIntoSizes.length > 0);
  assert.ok(stream.readIntoSizes.every((n) => n <= size));
  // Every chunk handed out still holds its bytes after all later reads.
  assert.deepEqual(concat(kept), concat([first, second]));
  connection.close();
});

Deno.test("a large body fails cleanly when the server closes during a bulk read", async () => {
  const stream = new ReadIntoStream([
    "HTTP/1.1 200 OK\r\nContent-Length: 500000\r\n\r\n",
    pattern(200 * 1024, 3),
  ]);
  const connection = new HTTP11Connection(ORIGIN, stream);
  const response = await connection.handleRequest(get());
  await assert.rejects(body(response), RemoteProtocolError);
  assert.equal(connection.state, "CLOSED");
});

Deno.test("a chunked request body is framed one write per chunk", async () => {
  const { stream, connection } = setup([AWAIT_WRITE, OK, AWAIT_WRITE]);
  async function* parts() {
    yield enc.encode("hello");
    yield new Uint8Array(0);
    yield pattern(70 * 1024, 4); // larger than the framing buffer
    yield enc.encode("world");
  }
  const response = await connection.handleRequest(
    new Request("POST", "http://example.org/", { content: parts() }),
  );
  assert.equal(await body(response), "Hello, world!");
  const written = stream.written.map((w) => w.length);
  // Head, "hello", the large chunk in three pieces, "world", last chunk.
  assert.equal(written.length, 7);
  const text = stream.writtenBytes();
  const expected = concat([
    enc.encode("5\r\nhello\r\n"),
    enc.encode((70 * 1024).toString(16) + "\r\n"),
    pattern(70 * 1024, 4),
    enc.encode("\r\n5\r\nworld\r\n0\r\n\r\n"),
  ]);
  assert.deepEqual(text.subarray(text.length - expected.length), expected);
  connection.close();
});

Deno.test("request heads written from the connection's buffer do not leak into later requests", async () => {
  const { stream, connection } = setup([
    AWAIT_WRITE,
    OK,
    AWAIT_WRITE,
    OK,
    AWAIT_WRITE,
  ]);
  await body(
    await connection.handleRequest(
      get("http://example.org/a-rather-long-path", {
        headers: { "X-Long": "x".repeat(300) },
      }),
    ),
  );
  await body(
    await connection.handleRequest(get("http://example.org/b", {
      content: "hi",
    })),
  );
  assert.equal(stream.written.length, 2);
  const second = dec.decode(stream.written[1]);
  assert.ok(second.startsWith("POST /b HTTP/1.1\r\n"));
  assert.ok(second.endsWith("\r\n\r\nhi"));
  assert.ok(!second.includes("X-Long"));
  connection.close();
});
