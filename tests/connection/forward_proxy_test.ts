import assert from "node:assert/strict";
import {
  absoluteTarget,
  forwardHeaders,
  ForwardHTTPConnection,
} from "../../src/connection/forward_connection.ts";
import { ConnectionNotAvailable } from "../../src/connection/_interface.ts";
import { ConnectError, ProxyError } from "../../src/errors.ts";
import { AWAIT_WRITE, HANG, MockBackend } from "../../src/net/mock_backend.ts";
import {
  options,
  recorder,
  rejectsWith,
  request,
  text,
} from "./_proxy_helpers.ts";

const ORIGIN = { scheme: "http", host: "example.org", port: 80 };
const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";

Deno.test("forwards with the absolute URL, proxy headers first, and reuses the proxy connection", async () => {
  const { backend, options: o } = options("http://user:pass@127.0.0.1:3128", [
    [OK, AWAIT_WRITE, OK],
  ], { proxyOptions: { headers: { "X-Proxy": "1" } } });
  const connection = new ForwardHTTPConnection(ORIGIN, o);
  assert.equal(connection.httpVersion, null);
  assert.equal(connection.info(), "'http://example.org:80', CONNECTING");

  const first = await connection.handleRequest(
    request("GET", "http://example.org/path?q=1#frag", {
      headers: { "User-Agent": "t" },
    }),
  );
  assert.equal(first.statusCode, 200);
  assert.equal(await text(first), "hi");
  assert.equal(backend.connectCalls.length, 1);
  assert.equal(backend.connectCalls[0].host, "127.0.0.1");
  assert.equal(backend.connectCalls[0].port, 3128);
  assert.equal(backend.connectCalls[0].tls, undefined);
  const stream = backend.connections[0];
  assert.equal(
    stream.writtenText(),
    "GET http://example.org/path?q=1 HTTP/1.1\r\n" +
      "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n" +
      "X-Proxy: 1\r\n" +
      "Host: example.org\r\n" +
      "User-Agent: t\r\n\r\n",
  );
  assert.ok(connection.isAvailable());
  assert.ok(connection.isIdle());
  assert.equal(connection.httpVersion, "HTTP/1.1");
  assert.match(
    connection.info(),
    /^'http:\/\/127\.0\.0\.1:3128', HTTP\/1\.1, IDLE/,
  );

  const second = await connection.handleRequest(
    request("POST", "http://example.org:80/submit", { content: "abc" }),
  );
  assert.equal(await text(second), "hi");
  assert.equal(
    backend.connectCalls.length,
    1,
    "the proxy connection is reused",
  );
  assert.match(
    stream.writtenText(),
    /POST http:\/\/example\.org\/submit HTTP\/1\.1\r\nProxy-Authorization: Basic dXNlcjpwYXNz\r\nX-Proxy: 1\r\nHost: example\.org\r\nContent-Length: 3\r\n\r\nabc$/,
  );
  connection.close();
  assert.ok(stream.isClosed);
  assert.ok(connection.isClosed());
});

Deno.test("a request header replaces the proxy header of the same name", () => {
  assert.deepEqual(
    forwardHeaders(
      [["Proxy-Authorization", "Basic a"], ["X-A", "proxy"], ["X-B", "p"]],
      [["Host", "h"], ["x-a", "request"]],
    ),
    [
      ["Proxy-Authorization", "Basic a"],
      ["X-B", "p"],
      ["Host", "h"],
      ["x-a", "request"],
    ],
  );
});

Deno.test("the absolute target keeps ports and drops userinfo", () => {
  assert.equal(
    absoluteTarget(request("GET", "http://u:p@example.org:8080/a%20b?x=1")),
    "http://example.org:8080/a%20b?x=1",
  );
  assert.equal(
    absoluteTarget(request("GET", "http://[::1]:8080/")),
    "http://[::1]:8080/",
  );
  assert.equal(
    absoluteTarget(
      request("OPTIONS", "http://example.org/", {
        extensions: { target: "*" },
      }),
    ),
    "http://example.org*",
  );
});

Deno.test("a 407 from the proxy raises ProxyError and closes the connection", async () => {
  const { backend, options: o } = options("http://127.0.0.1:3128", [[
    "HTTP/1.1 407 Proxy Authentication Required\r\n" +
    'Proxy-Authenticate: Basic realm="p"\r\nContent-Length: 4\r\n\r\nnope',
  ]]);
  const connection = new ForwardHTTPConnection(ORIGIN, o);
  await rejectsWith(
    connection.handleRequest(request("GET", "http://example.org/")),
    ProxyError,
    "407 Proxy Authentication Required",
  );
  assert.equal(
    backend.connections[0].writtenText().includes("Proxy-Authorization"),
    false,
  );
  // The body was not read, so the connection cannot be reused.
  assert.ok(connection.isClosed());
});

Deno.test("other statuses from the proxy are returned as they are", async () => {
  const { options: o } = options("http://127.0.0.1:3128", [[
    "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad",
  ]]);
  const connection = new ForwardHTTPConnection(ORIGIN, o);
  const response = await connection.handleRequest(
    request("GET", "http://example.org/"),
  );
  assert.equal(response.statusCode, 502);
  assert.equal(await text(response), "bad");
  connection.close();
});

Deno.test("an https:// proxy gets TLS with its own name, HTTP/1.1 only", async () => {
  const { backend, options: o } = options(
    "https://proxy.example:8443",
    [[OK]],
    {
      proxyTls: { caCerts: ["PEM"] },
      alpnProtocols: ["h2", "http/1.1"],
    },
  );
  const rec = recorder();
  const connection = new ForwardHTTPConnection(ORIGIN, o);
  const response = await connection.handleRequest(
    request("GET", "http://example.org/", { extensions: { trace: rec.trace } }),
  );
  await text(response);
  assert.deepEqual(backend.connections[0].tlsUpgrades, [{
    serverName: "proxy.example",
    alpnProtocols: ["http/1.1"],
    caCerts: ["PEM"],
  }]);
  assert.deepEqual(rec.events.slice(0, 4), [
    "connection.connect_tcp.started",
    "connection.connect_tcp.complete",
    "connection.start_tls.started",
    "connection.start_tls.complete",
  ]);
  assert.ok(rec.events.includes("http11.send_request_headers.started"));
  connection.close();
});

Deno.test("while connecting it is not available; a second request is refused", async () => {
  const { backend, options: o } = options("http://127.0.0.1:3128", [[HANG]]);
  const connection = new ForwardHTTPConnection(ORIGIN, o);
  const pending = connection.handleRequest(
    request("GET", "http://example.org/"),
  );
  assert.equal(connection.isAvailable(), false);
  assert.equal(connection.isIdle(), false);
  assert.equal(connection.isClosed(), false);
  assert.equal(connection.hasExpired(0), false);
  assert.ok(connection.canHandleRequest({ ...ORIGIN }));
  assert.ok(!connection.canHandleRequest({ ...ORIGIN, port: 8080 }));
  await assert.rejects(
    connection.handleRequest(request("GET", "http://example.org/")),
    ConnectionNotAvailable,
  );
  // Wait for the request to reach the hanging read, then close.
  while (backend.connections[0]?.pendingReads !== 1) {
    await new Promise((r) => setTimeout(r, 1));
  }
  connection.close();
  await assert.rejects(pending);
  assert.ok(backend.connections[0].isClosed);
});

Deno.test("a failed connect leaves the connection failed", async () => {
  const { options: o } = options("http://127.0.0.1:3128", [[OK]]);
  o.backend = new MockBackend([[OK]], {
    connectErrors: [new ConnectError("Connection refused")],
  });
  const connection = new ForwardHTTPConnection(ORIGIN, o);
  await assert.rejects(
    connection.handleRequest(request("GET", "http://example.org/")),
    ConnectError,
  );
  assert.ok(connection.isClosed());
  assert.ok(connection.hasExpired(0));
  assert.equal(connection.info(), "'http://example.org:80', CONNECTION FAILED");
  assert.equal(
    String(connection),
    "<ForwardHTTPConnection ['http://example.org:80', CONNECTION FAILED]>",
  );
});
