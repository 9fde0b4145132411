import assert from "node:assert/strict";
import {
  resolveHost,
  SOCKSConnection,
} from "../../src/connection/socks_connection.ts";
import { ConnectTimeout, ProxyError } from "../../src/errors.ts";
import { HANG } from "../../src/net/mock_backend.ts";
import {
  assertTornDown,
  bytes,
  getText,
  options,
  recorder,
  rejectsWith,
  request,
  text,
} from "./_proxy_helpers.ts";

const enc = new TextEncoder();
const HTTP_ORIGIN = { scheme: "http", host: "example.org", port: 80 };
const HTTPS_ORIGIN = { scheme: "https", host: "example.org", port: 443 };
const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
const SUCCESS = bytes(5, 0, 0, 1, 127, 0, 0, 1, 0x04, 0x38);

const domainRequest = (name: string, port: number): Uint8Array =>
  Uint8Array.from([
    5,
    1,
    0,
    3,
    name.length,
    ...enc.encode(name),
    port >> 8,
    port & 0xff,
  ]);

Deno.test("socks5h: no auth, the name goes to the proxy, plain HTTP inside", async () => {
  const { backend, options: o } = options("socks5h://127.0.0.1:1080", [[
    bytes(5, 0),
    SUCCESS,
    OK,
  ]], {
    resolve: () => Promise.reject(new Error("must not resolve")),
  });
  const connection = new SOCKSConnection(HTTP_ORIGIN, o);
  const rec = recorder();
  const response = await connection.handleRequest(
    request("GET", "http://example.org/a?b", {
      headers: { Host: "example.org" },
      extensions: { trace: rec.trace },
    }),
  );
  assert.equal(await text(response), "hi");
  const stream = backend.connections[0];
  assert.deepEqual(stream.written.slice(0, 2), [
    bytes(5, 1, 0),
    domainRequest("example.org", 80),
  ]);
  assert.equal(
    new TextDecoder().decode(stream.written[2]),
    "GET /a?b HTTP/1.1\r\nHost: example.org\r\n\r\n",
  );
  assert.equal(stream.tlsUpgrades.length, 0);
  assert.deepEqual(rec.events.slice(0, 4), [
    "socks.connect_tcp.started",
    "socks.connect_tcp.complete",
    "socks.setup_socks5_connection.started",
    "socks.setup_socks5_connection.complete",
  ]);
  assert.equal(backend.connectCalls[0].port, 1080);
  connection.close();
});

Deno.test("socks5: the name is resolved locally and the address sent", async () => {
  const asked: string[] = [];
  for (
    const [address, expected] of [
      ["93.184.216.34", [1, 93, 184, 216, 34]],
      ["2001:db8::2", [4, 0x20, 1, 0x0d, 0xb8, ...new Array(11).fill(0), 2]],
    ] as const
  ) {
    const { backend, options: o } = options("socks5://127.0.0.1", [[
      bytes(5, 0),
      SUCCESS,
      OK,
    ]], {
      resolve: (host) => {
        asked.push(host);
        return Promise.resolve(address);
      },
    });
    const connection = new SOCKSConnection(HTTP_ORIGIN, o);
    await getText(connection, "http://example.org/");
    assert.deepEqual(
      backend.connections[0].written[1],
      Uint8Array.from([5, 1, 0, ...expected, 0, 80]),
    );
    connection.close();
  }
  assert.deepEqual(asked, ["example.org", "example.org"]);
});

Deno.test("socks5: IP literal targets need no resolving", async () => {
  const { backend, options: o } = options("socks5://127.0.0.1", [[
    bytes(5, 0),
    SUCCESS,
    OK,
  ]]);
  const connection = new SOCKSConnection(
    { scheme: "http", host: "10.1.2.3", port: 8080 },
    o,
  );
  await getText(connection, "http://10.1.2.3:8080/");
  assert.deepEqual(
    backend.connections[0].written[1],
    bytes(5, 1, 0, 1, 10, 1, 2, 3, 0x1f, 0x90),
  );
  connection.close();
});

Deno.test("username/password from the URL, then TLS with the origin", async () => {
  const { backend, options: o } = options(
    "socks5h://us%40r:p%3Ass@proxy:1080",
    [{
      reads: [bytes(5, 2), bytes(1, 0), SUCCESS, OK],
      alpnProtocol: "http/1.1",
    }],
    { alpnProtocols: ["http/1.1"], tls: { caCerts: ["CA"] } },
  );
  const connection = new SOCKSConnection(HTTPS_ORIGIN, o);
  const rec = recorder();
  const response = await connection.handleRequest(
    request("GET", "https://example.org/", {
      extensions: { trace: rec.trace },
    }),
  );
  assert.equal(await text(response), "hi");
  const stream = backend.connections[0];
  assert.deepEqual(stream.written.slice(0, 3), [
    bytes(5, 1, 2),
    Uint8Array.from([1, 4, ...enc.encode("us@r"), 4, ...enc.encode("p:ss")]),
    domainRequest("example.org", 443),
  ]);
  assert.deepEqual(stream.tlsUpgrades, [{
    serverName: "example.org",
    alpnProtocols: ["http/1.1"],
    caCerts: ["CA"],
  }]);
  assert.deepEqual(rec.events.slice(4, 6), [
    "socks.start_tls.started",
    "socks.start_tls.complete",
  ]);
  // The password never shows in trace payloads.
  assert.deepEqual(rec.infos[2].auth, ["us@r", "********"]);
  connection.close();
});

Deno.test("every failure reply raises ProxyError and closes the stream", async () => {
  const replies: Array<[Uint8Array[], RegExp]> = [
    [
      [bytes(5, 0), bytes(5, 1, 0, 1, 0, 0, 0, 0, 0, 0)],
      /^Proxy server could not connect: general SOCKS server failure \(SOCKS5 reply 0x01\)$/,
    ],
    [[bytes(5, 0), bytes(5, 2)], /connection not allowed by ruleset/],
    [[bytes(5, 0), bytes(5, 3)], /network unreachable/],
    [[bytes(5, 0), bytes(5, 4)], /host unreachable/],
    [[bytes(5, 0), bytes(5, 5)], /connection refused/],
    [[bytes(5, 0), bytes(5, 6)], /TTL expired/],
    [[bytes(5, 0), bytes(5, 7)], /command not supported/],
    [[bytes(5, 0), bytes(5, 8)], /address type not supported/],
    [
      [bytes(5, 0xff)],
      /^Requested NO AUTHENTICATION REQUIRED from the proxy server, but got NO ACCEPTABLE METHODS/,
    ],
    [
      [bytes(5, 2)],
      /but got USERNAME\/PASSWORD; the proxy needs a username and password/,
    ],
    [[bytes(4, 0)], /did not answer as a SOCKS5 server/],
    [
      [bytes(5, 0), bytes(5)],
      /closed the connection before sending the connect reply/,
    ],
    [[], /closed the connection before sending the method selection/],
  ];
  for (const [reads, message] of replies) {
    const { backend, options: o } = options("socks5h://127.0.0.1", [reads]);
    const connection = new SOCKSConnection(HTTPS_ORIGIN, o);
    await rejectsWith(
      connection.handleRequest(request("GET", "https://example.org/")),
      ProxyError,
      message,
    );
    assertTornDown(backend, connection);
  }
});

Deno.test("wrong credentials raise ProxyError('Invalid username/password')", async () => {
  const { options: o } = options("socks5h://u:p@127.0.0.1", [[
    bytes(5, 2),
    bytes(1, 0x01),
  ]]);
  const connection = new SOCKSConnection(HTTP_ORIGIN, o);
  await assert.rejects(
    connection.handleRequest(request("GET", "http://example.org/")),
    new ProxyError("Invalid username/password"),
  );
});

Deno.test("the handshake obeys the connect timeout", async () => {
  const { backend, options: o } = options("socks5h://127.0.0.1", [[
    bytes(5, 0),
    HANG,
  ]]);
  const connection = new SOCKSConnection(HTTP_ORIGIN, o);
  await rejectsWith(
    connection.handleRequest(
      request("GET", "http://example.org/", { connect: 0.05, read: null }),
    ),
    ConnectTimeout,
    "Timed out during the SOCKS5 handshake after 0.05 seconds",
  );
  assert.ok(backend.connections[0].readTimeouts.every((t) => t! <= 0.05));
  assert.ok(backend.connections[0].isClosed);
});

Deno.test("local resolving obeys the connect timeout too", async () => {
  const { backend, options: o } = options("socks5://127.0.0.1", [[]], {
    resolve: (_host, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener("abort", () => reject(new Error("aborted")))
      ),
  });
  const connection = new SOCKSConnection(HTTP_ORIGIN, o);
  await assert.rejects(
    connection.handleRequest(
      request("GET", "http://example.org/", { connect: 0.05 }),
    ),
    new ConnectTimeout("Timed out resolving example.org for the SOCKS5 proxy"),
  );
  assert.ok(backend.connections[0].isClosed);
});

Deno.test("resolveHost: literals and localhost without DNS", async () => {
  const signal = new AbortController().signal;
  assert.equal(await resolveHost("192.0.2.7", signal), "192.0.2.7");
  assert.equal(await resolveHost("::1", signal), "::1");
  assert.equal(await resolveHost("localhost", signal), "127.0.0.1");
  assert.equal(await resolveHost("app.localhost", signal), "127.0.0.1");
});
