import assert from "node:assert/strict";
import {
  alpnProtocols,
  proxyConnectionFactory,
  streamConnectionFactory,
} from "../../src/connection/proxy_connection.ts";
import { ForwardHTTPConnection } from "../../src/connection/forward_connection.ts";
import { TunnelHTTPConnection } from "../../src/connection/tunnel_connection.ts";
import { SOCKSConnection } from "../../src/connection/socks_connection.ts";
import { HTTP11Connection } from "../../src/connection/http11.ts";
import { HTTP2Connection } from "../../src/connection/http2.ts";
import { Proxy } from "../../src/config/proxy.ts";
import { Client } from "../../src/client/client.ts";
import { HTTPTransport } from "../../src/transports/http.ts";
import { ProxyError, UnsupportedProtocol } from "../../src/errors.ts";
import {
  AWAIT_WRITE,
  MockBackend,
  MockStream,
} from "../../src/net/mock_backend.ts";
import { bytes, request } from "./_proxy_helpers.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
const ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

Deno.test("the factory picks forwarding, tunnelling or SOCKS per origin and proxy", () => {
  const backend = new MockBackend([]);
  const http = proxyConnectionFactory("http://127.0.0.1:3128", { backend });
  assert.ok(
    http({ scheme: "http", host: "a", port: 80 }) instanceof
      ForwardHTTPConnection,
  );
  assert.ok(
    http({ scheme: "https", host: "a", port: 443 }) instanceof
      TunnelHTTPConnection,
  );
  assert.ok(
    http({ scheme: "ws", host: "a", port: 80 }) instanceof TunnelHTTPConnection,
  );
  assert.ok(
    http({ scheme: "wss", host: "a", port: 443 }) instanceof
      TunnelHTTPConnection,
  );
  for (const url of ["socks5://127.0.0.1", "socks5h://127.0.0.1"]) {
    const socks = proxyConnectionFactory(new Proxy(url), { backend });
    assert.ok(
      socks({ scheme: "http", host: "a", port: 80 }) instanceof SOCKSConnection,
    );
    assert.ok(
      socks({ scheme: "https", host: "a", port: 443 }) instanceof
        SOCKSConnection,
    );
  }
  assert.throws(() => proxyConnectionFactory("ftp://127.0.0.1"), TypeError);
});

Deno.test("ALPN offers h2 only with http2 enabled; the factory follows ALPN", () => {
  assert.deepEqual(alpnProtocols(true, false), ["http/1.1"]);
  assert.deepEqual(alpnProtocols(true, true), ["h2", "http/1.1"]);
  assert.deepEqual(alpnProtocols(false, true), ["h2"]);
  const origin = { scheme: "https", host: "a", port: 443 };
  const h2 = new MockStream([], { alpnProtocol: "h2" });
  const h1 = new MockStream([], { alpnProtocol: "http/1.1" });
  assert.ok(
    streamConnectionFactory({ http2: true })(origin, h2) instanceof
      HTTP2Connection,
  );
  assert.ok(
    streamConnectionFactory({ http2: true })(origin, h1) instanceof
      HTTP11Connection,
  );
  assert.ok(
    streamConnectionFactory({})(origin, h2) instanceof HTTP11Connection,
  );
  assert.throws(
    () => streamConnectionFactory({ http1: false, http2: true })(origin, h1),
    UnsupportedProtocol,
  );
  // Cleartext with HTTP/2 only: prior knowledge.
  assert.ok(
    streamConnectionFactory({ http1: false, http2: true })(
      { scheme: "http", host: "a", port: 80 },
      new MockStream([]),
    ) instanceof HTTP2Connection,
  );
});

Deno.test("HTTPTransport forwards through the proxy and pools the proxy connection", async () => {
  const backend = new MockBackend([[OK, AWAIT_WRITE, OK]]);
  const transport = new HTTPTransport({
    proxy: new Proxy("http://127.0.0.1:3128", { auth: ["u", "p"] }),
    backend,
  });
  for (const path of ["/one", "/two"]) {
    const response = await transport.handleRequest(
      request("GET", `http://example.org${path}`),
    );
    assert.equal(new TextDecoder().decode(await response.read()), "hi");
  }
  assert.equal(backend.connectCalls.length, 1);
  const text = backend.connections[0].writtenText();
  assert.match(
    text,
    /^GET http:\/\/example\.org\/one HTTP\/1\.1\r\nProxy-Authorization: Basic dTpw\r\nHost: example\.org\r\n\r\n/,
  );
  assert.match(text, /GET http:\/\/example\.org\/two HTTP\/1\.1\r\n/);
  await transport.close();
  assert.ok(backend.connections[0].isClosed);
});

Deno.test("HTTPTransport keeps one tunnel per origin", async () => {
  const backend = new MockBackend([
    [ESTABLISHED, AWAIT_WRITE, OK, AWAIT_WRITE, OK],
    [ESTABLISHED, AWAIT_WRITE, OK],
  ]);
  const transport = new HTTPTransport({
    proxy: "http://127.0.0.1:3128",
    backend,
    verify: { caCerts: ["CA"] },
  });
  for (
    const url of ["https://a.test/", "https://a.test/x", "https://b.test:8443/"]
  ) {
    const response = await transport.handleRequest(request("GET", url));
    await response.read();
  }
  assert.equal(backend.connectCalls.length, 2);
  assert.match(
    backend.connections[0].writtenText(),
    /^CONNECT a\.test:443 HTTP\/1\.1\r\n/,
  );
  assert.match(
    backend.connections[1].writtenText(),
    /^CONNECT b\.test:8443 HTTP\/1\.1\r\n/,
  );
  assert.deepEqual(backend.connections[1].tlsUpgrades, [{
    serverName: "b.test",
    alpnProtocols: ["http/1.1"],
    caCerts: ["CA"],
  }]);
  await transport.close();
});

Deno.test("HTTPTransport through SOCKS5, and its errors", async () => {
  const backend = new MockBackend([
    [bytes(5, 0), bytes(5, 0, 0, 1, 0, 0, 0, 0, 0, 0), OK],
    [bytes(5, 0), bytes(5, 5)],
  ]);
  const transport = new HTTPTransport({
    proxy: "socks5h://127.0.0.1:1080",
    backend,
  });
  const response = await transport.handleRequest(
    request("GET", "http://a.test/"),
  );
  assert.equal(new TextDecoder().decode(await response.read()), "hi");
  await assert.rejects(
    transport.handleRequest(request("GET", "http://b.test/")),
    (error: unknown) =>
      error instanceof ProxyError &&
      error.message ===
        "Proxy server could not connect: connection refused (SOCKS5 reply 0x05)",
  );
  await transport.close();
});

Deno.test("a client mounts a proxy transport; Proxy-Authorization never reaches the origin", async () => {
  const backend = new MockBackend([[ESTABLISHED, AWAIT_WRITE, OK]]);
  const proxied = new HTTPTransport({
    proxy: "http://u:p@127.0.0.1:3128",
    backend,
  });
  await using client = new Client({
    mounts: { "https://": proxied },
    trustEnv: false,
  });
  const response = await client.get("https://example.org/");
  assert.equal(response.text, "hi");
  const [connect, origin] = backend.connections[0].written.map((c) =>
    new TextDecoder().decode(c)
  );
  assert.match(connect, /Proxy-Authorization: Basic dTpw\r\n/);
  assert.doesNotMatch(origin, /Proxy-Authorization/i);
  assert.match(origin, /^GET \/ HTTP\/1\.1\r\nHost: example\.org\r\n/);
});
