import assert from "node:assert/strict";
import {
  type Socks5Event,
  Socks5Handshake,
} from "../../../src/protocol/socks5/handshake.ts";
import { ProxyError } from "../../../src/errors.ts";

const enc = new TextEncoder();
const bytes = (...values: number[]): Uint8Array => Uint8Array.of(...values);

function expectSend(event: Socks5Event): Uint8Array {
  assert.equal(event.type, "send");
  return (event as { data: Uint8Array }).data;
}

Deno.test("no-auth greeting, domain CONNECT and an IPv4 bound address", () => {
  const hs = new Socks5Handshake({ host: "example.org", port: 443 });
  assert.equal(hs.state, "NEW");
  assert.deepEqual(hs.start(), bytes(5, 1, 0));
  assert.equal(hs.next().type, "needData");
  hs.feed(bytes(5, 0));
  const request = expectSend(hs.next());
  assert.deepEqual(
    request,
    Uint8Array.from([5, 1, 0, 3, 11, ...enc.encode("example.org"), 1, 0xbb]),
  );
  assert.equal(hs.state, "AWAIT_REPLY");
  hs.feed(bytes(5, 0, 0, 1, 10, 0, 0, 7));
  assert.equal(hs.next().type, "needData");
  hs.feed(bytes(0x1f, 0x90, 0x41, 0x42));
  const done = hs.next();
  assert.deepEqual(done, {
    type: "connected",
    boundAddress: "10.0.0.7",
    boundPort: 8080,
    leftover: bytes(0x41, 0x42),
  });
  assert.equal(hs.state, "CONNECTED");
});

Deno.test("IP literals are sent as addresses", () => {
  const v4 = new Socks5Handshake({ host: "192.0.2.1", port: 80 });
  v4.start();
  v4.feed(bytes(5, 0));
  assert.deepEqual(
    expectSend(v4.next()),
    bytes(5, 1, 0, 1, 192, 0, 2, 1, 0, 80),
  );

  const v6 = new Socks5Handshake({ host: "2001:db8::1", port: 8443 });
  v6.start();
  v6.feed(bytes(5, 0));
  assert.deepEqual(
    expectSend(v6.next()),
    bytes(
      5,
      1,
      0,
      4,
      0x20,
      1,
      0x0d,
      0xb8,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      0x20,
      0xfb,
    ),
  );
  // IPv6 bound address in the reply, one byte at a time.
  const reply = bytes(5, 0, 0, 4, ...new Array(15).fill(0), 1, 0, 80);
  for (const b of reply) {
    assert.equal(v6.next().type, "needData");
    v6.feed(bytes(b));
  }
  const done = v6.next();
  assert.equal(done.type, "connected");
  assert.equal((done as { boundAddress: string }).boundAddress, "::1");
  assert.equal((done as { boundPort: number }).boundPort, 80);
});

Deno.test("username/password sub-negotiation (RFC 1929)", () => {
  const hs = new Socks5Handshake({
    host: "example.org",
    port: 80,
    auth: ["user", "pässword"],
  });
  assert.deepEqual(hs.start(), bytes(5, 1, 2));
  hs.feed(bytes(5, 2));
  const pass = enc.encode("pässword");
  assert.deepEqual(
    expectSend(hs.next()),
    Uint8Array.from([1, 4, ...enc.encode("user"), pass.length, ...pass]),
  );
  assert.equal(hs.state, "AWAIT_AUTH");
  hs.feed(bytes(1, 0));
  assert.equal(expectSend(hs.next())[3], 3);
  hs.feed(bytes(5, 0, 0, 3, 4, ...enc.encode("host"), 0, 1));
  const done = hs.next();
  assert.equal((done as { boundAddress: string }).boundAddress, "host");
  assert.equal((done as { boundPort: number }).boundPort, 1);
  assert.equal((done as { leftover: Uint8Array }).leftover.length, 0);
});

Deno.test("bad credentials raise ProxyError('Invalid username/password')", () => {
  const hs = new Socks5Handshake({ host: "a", port: 1, auth: ["u", "p"] });
  hs.start();
  hs.feed(bytes(5, 2));
  hs.next();
  hs.feed(bytes(1, 1));
  assert.throws(() => hs.next(), new ProxyError("Invalid username/password"));
  assert.equal(hs.state, "FAILED");
  assert.throws(() => hs.next(), ProxyError);
});

Deno.test("method mismatches name both methods", () => {
  const cases: Array<[[string, string] | null, number, RegExp]> = [
    [
      null,
      2,
      /^Requested NO AUTHENTICATION REQUIRED from the proxy server, but got USERNAME\/PASSWORD; the proxy needs a username and password/,
    ],
    [
      null,
      0xff,
      /^Requested NO AUTHENTICATION REQUIRED from the proxy server, but got NO ACCEPTABLE METHODS/,
    ],
    [
      ["u", "p"],
      0,
      /^Requested USERNAME\/PASSWORD from the proxy server, but got NO AUTHENTICATION REQUIRED$/,
    ],
    [
      ["u", "p"],
      0xff,
      /^Requested USERNAME\/PASSWORD from the proxy server, but got NO ACCEPTABLE METHODS$/,
    ],
    [null, 1, /but got GSSAPI$/],
    [null, 0x80, /but got method 0x80$/],
  ];
  for (const [auth, method, message] of cases) {
    const hs = new Socks5Handshake({ host: "a", port: 1, auth });
    hs.start();
    hs.feed(bytes(5, method));
    assert.throws(() => hs.next(), (error: unknown) => {
      assert.ok(error instanceof ProxyError);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("every reply code maps to a ProxyError message", () => {
  const expected: Record<number, string> = {
    1: "general SOCKS server failure",
    2: "connection not allowed by ruleset",
    3: "network unreachable",
    4: "host unreachable",
    5: "connection refused",
    6: "TTL expired",
    7: "command not supported",
    8: "address type not supported",
    9: "unassigned reply code 0x09",
    0xff: "unassigned reply code 0xff",
  };
  for (const [code, text] of Object.entries(expected)) {
    const hs = new Socks5Handshake({ host: "example.org", port: 80 });
    hs.start();
    hs.feed(bytes(5, 0));
    hs.next();
    // Only VER and REP are needed to fail.
    hs.feed(bytes(5, Number(code)));
    assert.throws(
      () => hs.next(),
      new ProxyError(
        `Proxy server could not connect: ${text} (SOCKS5 reply 0x${
          Number(code).toString(16).padStart(2, "0")
        })`,
      ),
    );
  }
});

Deno.test("a non-SOCKS5 answer and an early close raise ProxyError", () => {
  const http = new Socks5Handshake({ host: "a", port: 1 });
  http.start();
  http.feed(enc.encode("HTTP/1.1 400 Bad Request\r\n"));
  assert.throws(
    () => http.next(),
    /did not answer as a SOCKS5 server \(version byte 0x48, expected 0x05\)/,
  );

  const socks4 = new Socks5Handshake({ host: "a", port: 1 });
  socks4.start();
  socks4.feed(bytes(5, 0));
  socks4.next();
  socks4.feed(bytes(0, 0x5a));
  assert.throws(() => socks4.next(), /version byte 0x00/);

  const closed = new Socks5Handshake({ host: "a", port: 1 });
  closed.start();
  closed.feed(bytes(5));
  closed.feedEof();
  assert.throws(
    () => closed.next(),
    new ProxyError(
      "The proxy server closed the connection before sending the method selection of the SOCKS5 handshake",
    ),
  );

  const badType = new Socks5Handshake({ host: "a", port: 1 });
  badType.start();
  badType.feed(bytes(5, 0));
  badType.next();
  badType.feed(bytes(5, 0, 0, 9, 0));
  assert.throws(() => badType.next(), /Invalid address type 0x09/);

  const badAuthVersion = new Socks5Handshake({
    host: "a",
    port: 1,
    auth: ["u", "p"],
  });
  badAuthVersion.start();
  badAuthVersion.feed(bytes(5, 2));
  badAuthVersion.next();
  badAuthVersion.feed(bytes(5, 0));
  assert.throws(() => badAuthVersion.next(), /reply version 0x05/);
});

Deno.test("limits are checked before anything is sent", () => {
  assert.throws(
    () => new Socks5Handshake({ host: "a".repeat(256), port: 80 }),
    /must be 1 to 255 bytes long/,
  );
  assert.throws(
    () => new Socks5Handshake({ host: "a", port: 70000 }),
    new ProxyError("Invalid destination port 70000 for SOCKS5"),
  );
  assert.throws(
    () =>
      new Socks5Handshake({ host: "a", port: 1, auth: ["u".repeat(256), ""] }),
    /limited to 255 bytes/,
  );
  // 255 bytes is fine.
  const ok = new Socks5Handshake({ host: "a".repeat(255), port: 80 });
  ok.start();
  ok.feed(bytes(5, 0));
  assert.equal(expectSend(ok.next()).length, 4 + 1 + 255 + 2);
  assert.throws(() => ok.start(), /already started/);
});
