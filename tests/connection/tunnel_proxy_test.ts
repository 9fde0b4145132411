import assert from "node:assert/strict";
import {
  connectHeaders,
  TunnelHTTPConnection,
} from "../../src/connection/tunnel_connection.ts";
import { HTTP11Connection } from "../../src/connection/http11.ts";
import type { Connection, Origin } from "../../src/connection/_interface.ts";
import type { NetworkStream } from "../../src/net/network.ts";
import { ConnectTimeout, ProxyError, RequestError } from "../../src/errors.ts";
import { AWAIT_WRITE, HANG } from "../../src/net/mock_backend.ts";
import {
  assertTornDown,
  getText,
  options,
  recorder,
  rejectsWith,
  request,
  text,
} from "./_proxy_helpers.ts";

const ORIGIN = { scheme: "https", host: "example.org", port: 443 };
const ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";
const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";

Deno.test("CONNECT, then TLS with the origin, then origin-form requests", async () => {
  const { backend, options: o } = options(
    "http://user:pass@127.0.0.1:3128",
    [[ESTABLISHED, AWAIT_WRITE, OK, AWAIT_WRITE, OK]],
    {
      proxyOptions: { headers: { "X-Proxy": "1" } },
      tls: { caCerts: ["CA"] },
    },
  );
  const connection = new TunnelHTTPConnection(ORIGIN, o);
  const rec = recorder();
  const response = await connection.handleRequest(
    request("GET", "https://example.org/path?q=1", {
      headers: { Host: "example.org" },
      extensions: { trace: rec.trace },
    }),
  );
  assert.equal(await text(response), "hi");
  const stream = backend.connections[0];
  const written = stream.written.map((chunk) =>
    new TextDecoder().decode(chunk)
  );
  assert.equal(
    written[0],
    "CONNECT example.org:443 HTTP/1.1\r\n" +
      "Host: example.org:443\r\n" +
      "Accept: */*\r\n" +
      "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n" +
      "X-Proxy: 1\r\n\r\n",
  );
  // The origin sees neither the proxy's credentials nor its headers.
  assert.equal(
    written[1],
    "GET /path?q=1 HTTP/1.1\r\nHost: example.org\r\n\r\n",
  );
  assert.deepEqual(stream.tlsUpgrades, [{
    serverName: "example.org",
    alpnProtocols: ["http/1.1"],
    caCerts: ["CA"],
  }]);
  assert.deepEqual(rec.events.slice(0, 8), [
    "connection.connect_tcp.started",
    "connection.connect_tcp.complete",
    "http11.send_request_headers.started",
    "http11.send_request_headers.complete",
    "http11.receive_response_headers.started",
    "http11.receive_response_headers.complete",
    "proxy.start_tls.started",
    "proxy.start_tls.complete",
  ]);
  assert.equal(rec.infos[0].host, "127.0.0.1");
  assert.equal(rec.infos[6].server_hostname, "example.org");

  // One tunnel per origin, reused.
  const again = await connection.handleRequest(
    request("GET", "https://example.org/again", {
      headers: { Host: "example.org" },
    }),
  );
  assert.equal(await text(again), "hi");
  assert.equal(backend.connectCalls.length, 1);
  assert.equal(stream.tlsUpgrades.length, 1);
  assert.ok(connection.connection instanceof HTTP11Connection);
  connection.close();
  assert.ok(stream.isClosed);
});

Deno.test("proxy headers replace Host and Accept of the CONNECT", () => {
  assert.deepEqual(
    connectHeaders("h:443", [["accept", "text/plain"], ["X", "1"]]),
    [["Host", "h:443"], ["accept", "text/plain"], ["X", "1"]],
  );
});

Deno.test("IPv6 targets go in brackets", async () => {
  const { backend, options: o } = options("http://127.0.0.1:3128", [[
    ESTABLISHED,
    AWAIT_WRITE,
    OK,
  ]]);
  const connection = new TunnelHTTPConnection(
    { scheme: "https", host: "::1", port: 8443 },
    o,
  );
  await getText(connection, "https://[::1]:8443/");
  assert.match(
    backend.connections[0].writtenText(),
    /^CONNECT \[::1\]:8443 HTTP\/1\.1\r\nHost: \[::1\]:8443\r\n/,
  );
  connection.close();
});

Deno.test("a non-2xx answer to CONNECT raises ProxyError with status and reason", async () => {
  const answers: Array<[string, string]> = [
    [
      'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="x"\r\nContent-Length: 0\r\n\r\n',
      "407 Proxy Authentication Required",
    ],
    [
      "HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nnope!",
      "403 Forbidden",
    ],
    ["HTTP/1.0 502 Bad Gateway\r\n\r\n", "502 Bad Gateway"],
    ["HTTP/1.1 503 \r\n\r\n", "503"],
    ["HTTP/1.1 101 Switching Protocols\r\n\r\n", "101 Switching Protocols"],
  ];
  for (const [answer, message] of answers) {
    const { backend, options: o } = options("http://127.0.0.1:3128", [[
      answer,
    ]]);
    const connection = new TunnelHTTPConnection(ORIGIN, o);
    await rejectsWith(
      connection.handleRequest(request("GET", "https://example.org/")),
      ProxyError,
      message,
    );
    assertTornDown(backend, connection);
    assert.ok(connection.hasExpired(0));
  }
});

Deno.test("a proxy that hangs up or speaks garbage raises ProxyError", async () => {
  for (const reads of [[], ["SSH-2.0-OpenSSH\r\n\r\n"]]) {
    const { options: o } = options("http://127.0.0.1:3128", [reads]);
    const connection = new TunnelHTTPConnection(ORIGIN, o);
    await rejectsWith(
      connection.handleRequest(request("GET", "https://example.org/")),
      ProxyError,
      /^Invalid answer from the proxy to CONNECT: /,
    );
  }
});

Deno.test("an https:// proxy in front of an https:// origin fails clearly, before connecting", async () => {
  const { backend, options: o } = options("https://proxy.example:443", [[OK]]);
  const connection = new TunnelHTTPConnection(ORIGIN, o);
  await rejectsWith(
    connection.handleRequest(request("GET", "https://example.org/")),
    ProxyError,
    /TLS inside TLS, which Deno\.startTls cannot do/,
    /FetchTransport with a Deno\.HttpClient proxy/,
    /^Cannot reach https:\/\/example\.org:443 through the HTTPS proxy https:\/\/proxy\.example:443/,
  );
  assert.equal(backend.connectCalls.length, 0);
});

Deno.test("a ws:// target through an https:// proxy needs no TLS inside and keeps bytes read ahead", async () => {
  const { backend, options: o } = options("https://proxy.example", [[
    ESTABLISHED + "HTTP/1.1 200 OK\r\n",
    "Content-Length: 2\r\n\r\nhi",
  ]]);
  const connection = new TunnelHTTPConnection(
    { scheme: "ws", host: "example.org", port: 80 },
    o,
  );
  const response = await connection.handleRequest(
    request("GET", "ws://example.org/"),
  );
  assert.equal(await text(response), "hi");
  const stream = backend.connections[0];
  // TLS to the proxy only.
  assert.deepEqual(stream.tlsUpgrades.map((t) => t.serverName), [
    "proxy.example",
  ]);
  assert.equal(backend.connectCalls[0].port, 443);
  connection.close();
});

Deno.test("bytes before the TLS handshake are refused", async () => {
  const { options: o } = options("http://127.0.0.1:3128", [[
    ESTABLISHED + "junk",
  ]]);
  const connection = new TunnelHTTPConnection(ORIGIN, o);
  await assert.rejects(
    connection.handleRequest(request("GET", "https://example.org/")),
    new ProxyError(
      "The proxy sent data through the tunnel before the TLS handshake",
    ),
  );
});

Deno.test("ALPN, SNI and the HTTP/2 factory inside the tunnel", async () => {
  const { backend, options: o } = options("http://127.0.0.1:3128", [{
    reads: [ESTABLISHED],
    alpnProtocol: "h2",
  }], {
    alpnProtocols: ["h2", "http/1.1"],
    createConnection: (origin: Origin, stream: NetworkStream): Connection => {
      made.push([origin, stream.alpnProtocol]);
      throw new ProxyError("stop here");
    },
  });
  const made: Array<[Origin, string | null]> = [];
  const connection = new TunnelHTTPConnection(ORIGIN, o);
  await assert.rejects(
    connection.handleRequest(
      request("GET", "https://example.org/", {
        extensions: { sniHostname: "sni.example" },
      }),
    ),
    /stop here/,
  );
  assert.deepEqual(made, [[ORIGIN, "h2"]]);
  assert.deepEqual(backend.connections[0].tlsUpgrades, [{
    serverName: "sni.example",
    alpnProtocols: ["h2", "http/1.1"],
  }]);
  assert.ok(backend.connections[0].isClosed);
});

Deno.test("the CONNECT exchange obeys the connect timeout, not the read timeout", async () => {
  const { backend, options: o } = options("http://127.0.0.1:3128", [[HANG]]);
  const connection = new TunnelHTTPConnection(ORIGIN, o);
  await rejectsWith(
    connection.handleRequest(
      request("GET", "https://example.org/", { connect: 0.05, read: null }),
    ),
    ConnectTimeout,
    /^Timed out during the proxy's answer to CONNECT after 0\.05 seconds$/,
  );
  const stream = backend.connections[0];
  assert.ok(stream.readTimeouts[0]! <= 0.05);
  assert.ok(stream.writeTimeouts[0]! <= 0.05);
  assert.ok(backend.connectCalls[0].timeout! <= 0.05);
  assert.ok(stream.isClosed);
});

Deno.test("aborting the signal during the handshake closes the stream", async () => {
  const { backend, options: o } = options("http://127.0.0.1:3128", [[HANG]]);
  const connection = new TunnelHTTPConnection(ORIGIN, o);
  const controller = new AbortController();
  const pending = connection.handleRequest(
    request("GET", "https://example.org/", {
      extensions: { signal: controller.signal },
    }),
  );
  while (backend.connections[0]?.pendingReads !== 1) {
    await new Promise((r) => setTimeout(r, 1));
  }
  controller.abort();
  await rejectsWith(pending, RequestError, "The request was aborted");
  assert.ok(backend.connections[0].isClosed);
  assert.ok(connection.isClosed());
});
