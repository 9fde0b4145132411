import assert from "node:assert/strict";
import {
  HTTPConnection,
  retryDelay,
} from "../../src/connection/http_connection.ts";
import { ConnectionNotAvailable } from "../../src/connection/_interface.ts";
import {
  ConnectError,
  ConnectTimeout,
  ReadError,
  RemoteProtocolError,
  RequestError,
} from "../../src/errors.ts";
import { Request } from "../../src/models/request.ts";
import { AWAIT_WRITE, MockBackend } from "../../src/net/mock_backend.ts";
import type { TimeoutConfig } from "../../src/_types.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const TIMEOUT: TimeoutConfig = { connect: 3, read: 4, write: 5, pool: 6 };

function request(
  url: string,
  extensions: Record<string, unknown> = {},
): Request {
  return new Request("GET", url, {
    headers: { Host: new URL(url).host },
    extensions: { timeout: TIMEOUT, ...extensions },
  });
}

async function body(response: { stream: AsyncIterable<Uint8Array> }) {
  const chunks: number[] = [];
  for await (const chunk of response.stream) chunks.push(...chunk);
  return new TextDecoder().decode(new Uint8Array(chunks));
}

Deno.test("retry delays are 0, 0.5, 1, 2, 4 seconds", () => {
  assert.deepEqual([0, 1, 2, 3, 4].map(retryDelay), [0, 0.5, 1, 2, 4]);
});

Deno.test("connects on the first request, then speaks HTTP/1.1", async () => {
  const backend = new MockBackend([OK, AWAIT_WRITE, OK]);
  const origin = { scheme: "http", host: "example.org", port: 80 };
  const connection = new HTTPConnection(origin, { backend });
  assert.equal(connection.info(), "CONNECTING");
  assert.equal(String(connection), "<HTTPConnection [CONNECTING]>");
  assert.equal(connection.httpVersion, null);
  assert.equal(connection.isAvailable(), false);
  assert.equal(connection.isClosed(), false);
  assert.equal(connection.isIdle(), false);
  assert.equal(connection.hasExpired(0), false);
  assert.ok(connection.canHandleRequest({ ...origin }));
  assert.ok(!connection.canHandleRequest({ ...origin, port: 81 }));

  const response = await connection.handleRequest(
    request("http://example.org/a"),
  );
  assert.equal(response.statusCode, 200);
  assert.equal(await body(response), "ok");
  assert.equal(connection.httpVersion, "HTTP/1.1");
  assert.equal(connection.isAvailable(), true);
  assert.equal(
    connection.info(),
    "'http://example.org:80', HTTP/1.1, IDLE, Request Count: 1",
  );
  const call = backend.connectCalls[0];
  assert.equal(call.host, "example.org");
  assert.equal(call.port, 80);
  assert.equal(call.timeout, 3);
  assert.equal(call.tls, undefined);
  assert.equal(backend.connections[0].tlsUpgrades.length, 0);

  const second = await connection.handleRequest(
    request("http://example.org/b"),
  );
  assert.equal(await body(second), "ok");
  assert.equal(backend.connectCalls.length, 1);
  assert.match(
    backend.connections[0].writtenText(),
    /^GET \/a HTTP\/1\.1\r\n[\s\S]*GET \/b HTTP\/1\.1\r\n/,
  );
  connection.close();
  assert.equal(connection.isClosed(), true);
  assert.equal(backend.connections[0].isClosed, true);
});

Deno.test("https: TLS with the server name, ALPN http/1.1, trace events", async () => {
  const backend = new MockBackend([OK]);
  const origin = { scheme: "https", host: "127.0.0.1", port: 8443 };
  const connection = new HTTPConnection(origin, {
    backend,
    http2: true, // offered, but the server picks http/1.1
    tls: { caCerts: ["PEM"] },
    localAddress: "0.0.0.0",
  });
  const events: string[] = [];
  const infos: Record<string, unknown>[] = [];
  const response = await connection.handleRequest(
    request("https://127.0.0.1:8443/", {
      sniHostname: "example.test",
      trace: (name: string, info: Record<string, unknown>) => {
        events.push(name);
        infos.push(info);
      },
    }),
  );
  await body(response);
  const upgrade = backend.connections[0].tlsUpgrades[0];
  assert.equal(upgrade.serverName, "example.test");
  assert.deepEqual(upgrade.caCerts, ["PEM"]);
  assert.deepEqual(upgrade.alpnProtocols, ["h2", "http/1.1"]);
  assert.equal(backend.connectCalls[0].localAddress, "0.0.0.0");
  assert.deepEqual(events.slice(0, 4), [
    "connection.connect_tcp.started",
    "connection.connect_tcp.complete",
    "connection.start_tls.started",
    "connection.start_tls.complete",
  ]);
  assert.deepEqual(infos[0], {
    host: "127.0.0.1",
    port: 8443,
    local_address: "0.0.0.0",
    timeout: 3,
  });
  assert.deepEqual(infos[2], { server_hostname: "example.test", timeout: 3 });
  assert.ok(events.includes("http11.send_request_headers.started"));
  connection.close();
});

Deno.test("a client certificate goes with the connect call", async () => {
  const backend = new MockBackend([OK]);
  const connection = new HTTPConnection(
    { scheme: "https", host: "example.org", port: 443 },
    { backend, tls: { cert: "CERT", key: "KEY" } },
  );
  await body(await connection.handleRequest(request("https://example.org/")));
  const tls = backend.connectCalls[0].tls;
  assert.ok(tls !== undefined);
  assert.equal(tls.serverName, "example.org");
  assert.equal(tls.cert, "CERT");
  assert.equal(tls.key, "KEY");
  connection.close();
});

Deno.test("connect retries with back-off and connection.retry events", async () => {
  const backend = new MockBackend([OK], {
    connectErrors: [
      new ConnectError("refused"),
      new ConnectTimeout("slow"),
      new ConnectError("refused"),
      null,
    ],
  });
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend, retries: 3 },
  );
  const events: string[] = [];
  const response = await connection.handleRequest(
    request("http://example.org/", {
      trace: (name: string) => void events.push(name),
    }),
  );
  assert.equal(await body(response), "ok");
  assert.deepEqual(backend.sleeps, [0, 0.5, 1]);
  assert.equal(backend.connectCalls.length, 4);
  assert.deepEqual(events.slice(0, 11), [
    "connection.connect_tcp.started",
    "connection.connect_tcp.failed",
    "connection.retry.started",
    "connection.retry.complete",
    "connection.connect_tcp.started",
    "connection.connect_tcp.failed",
    "connection.retry.started",
    "connection.retry.complete",
    "connection.connect_tcp.started",
    "connection.connect_tcp.failed",
    "connection.retry.started",
  ]);
  connection.close();
});

Deno.test("retries run out: the error is raised and the connection failed", async () => {
  const backend = new MockBackend([OK], {
    connectErrors: [new ConnectError("one"), new ConnectError("two")],
  });
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend, retries: 1 },
  );
  await assert.rejects(
    connection.handleRequest(request("http://example.org/")),
    (e: unknown) => e instanceof ConnectError && e.message === "two",
  );
  assert.deepEqual(backend.sleeps, [0]);
  assert.equal(connection.info(), "CONNECTION FAILED");
  assert.equal(connection.isClosed(), true);
  assert.equal(connection.isIdle(), true);
  assert.equal(connection.hasExpired(0), true);
  assert.equal(connection.isAvailable(), false);
  await assert.rejects(
    connection.handleRequest(request("http://example.org/")),
    ConnectionNotAvailable,
  );
});

Deno.test("only connect errors are retried", async () => {
  const backend = new MockBackend([OK], {
    connectErrors: [new ReadError("odd")],
  });
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend, retries: 5 },
  );
  await assert.rejects(
    connection.handleRequest(request("http://example.org/")),
    ReadError,
  );
  assert.deepEqual(backend.sleeps, []);
});

Deno.test("a non-httpx connect failure becomes a ConnectError with its cause", async () => {
  const cause = new TypeError("weird");
  const backend = new MockBackend([OK], { connectErrors: [cause] });
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend },
  );
  await assert.rejects(
    connection.handleRequest(request("http://example.org/")),
    (e: unknown) => e instanceof ConnectError && e.cause === cause,
  );
});

Deno.test("a second request while connecting is not available", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const inner = new MockBackend([OK]);
  const backend = {
    async connect(options: Parameters<MockBackend["connect"]>[0]) {
      await gate;
      return inner.connect(options);
    },
    sleep: (s: number) => inner.sleep(s),
  };
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend },
  );
  const first = connection.handleRequest(request("http://example.org/"));
  await assert.rejects(
    connection.handleRequest(request("http://example.org/")),
    ConnectionNotAvailable,
  );
  release();
  assert.equal(await body(await first), "ok");
  connection.close();
});

Deno.test("an aborted signal stops connecting", async () => {
  const backend = new MockBackend([OK]);
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend, retries: 2 },
  );
  await assert.rejects(
    connection.handleRequest(
      request("http://example.org/", {
        signal: AbortSignal.abort(new Error("stop")),
      }),
    ),
    (e: unknown) => e instanceof RequestError && !(e instanceof ConnectError),
  );
  assert.equal(backend.connectCalls.length, 0);
  assert.equal(connection.info(), "CONNECTION FAILED");
});

Deno.test("h2 chosen by ALPN without being offered is a protocol error", async () => {
  const backend = new MockBackend([OK], { alpnProtocol: "h2" });
  const connection = new HTTPConnection(
    { scheme: "https", host: "example.org", port: 443 },
    { backend },
  );
  await assert.rejects(
    connection.handleRequest(request("https://example.org/")),
    (e: unknown) =>
      e instanceof RemoteProtocolError &&
      /HTTP\/2 was not offered/.test(e.message),
  );
  assert.equal(backend.connections[0].isClosed, true);
  assert.equal(connection.isClosed(), true);
});

Deno.test("http1 disabled on plain http speaks HTTP/2 with prior knowledge", async () => {
  const backend = new MockBackend([]);
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend, http1: false, http2: true },
  );
  // The scripted server hangs up at once: the request fails, but only after
  // the client sent the HTTP/2 connection preface (no HTTP/1.1 bytes).
  await assert.rejects(
    connection.handleRequest(request("http://example.org/")),
    RemoteProtocolError,
  );
  const written = backend.connections[0].writtenText();
  assert.ok(written.startsWith("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
  assert.ok(!written.includes("HTTP/1.1"));
  connection.close();
});

Deno.test("keep-alive expiry uses the given clock", async () => {
  let now = 100;
  const backend = new MockBackend([OK, AWAIT_WRITE]);
  const connection = new HTTPConnection(
    { scheme: "http", host: "example.org", port: 80 },
    { backend, keepaliveExpiry: 5, now: () => now },
  );
  await body(await connection.handleRequest(request("http://example.org/")));
  assert.equal(connection.hasExpired(now + 4), false);
  now += 6;
  assert.equal(connection.hasExpired(now), true);
  connection.close();
});
