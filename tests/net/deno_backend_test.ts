import assert from "node:assert/strict";
import { DenoBackend } from "../../src/net/deno_backend.ts";
import {
  ConnectError,
  ConnectTimeout,
  ReadError,
  ReadTimeout,
  RequestError,
  WriteError,
  WriteTimeout,
} from "../../src/errors.ts";
import type { ConnectOptions, NetworkStream } from "../../src/net/network.ts";

const TLS_DIR = new URL("../testdata/tls/", import.meta.url);
const read = (name: string): string =>
  Deno.readTextFileSync(new URL(name, TLS_DIR));
const CA = read("ca.pem");
const SERVER_CERT = read("server.pem");
const SERVER_KEY = read("server-key.pem");
const CLIENT_CERT = read("client.pem");
const CLIENT_KEY = read("client-key.pem");

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const backend = new DenoBackend();

interface TestServer {
  port: number;
  close(): Promise<void>;
}

/** Run `handler` for each connection `listener` accepts; close each after. */
function serve<C extends Deno.Conn>(
  listener: Deno.Listener<C>,
  handler: (conn: C) => Promise<void>,
): TestServer {
  const tasks: Promise<void>[] = [];
  const loop = (async () => {
    for await (const conn of listener) {
      tasks.push(
        handler(conn).catch(() => {}).finally(() => {
          try {
            conn.close();
          } catch { /* closed */ }
        }),
      );
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      await loop.catch(() => {});
      await Promise.all(tasks);
    },
  };
}

/** A loopback TCP server; `handler` gets each accepted connection. */
function tcpServer(handler: (conn: Deno.Conn) => Promise<void>): TestServer {
  return serve(Deno.listen({ hostname: "127.0.0.1", port: 0 }), handler);
}

/** A loopback TLS server with the test certificate. */
function tlsServer(
  handler: (conn: Deno.TlsConn) => Promise<void>,
  alpnProtocols?: string[],
): TestServer {
  const listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: SERVER_CERT,
    key: SERVER_KEY,
    alpnProtocols,
  });
  return serve(listener, handler);
}

/**
 * A TCP server that reads the first bytes (a ClientHello) and never answers.
 * Deno keeps a socket whose handshake was interrupted open until the peer
 * closes it, so `close()` hangs up first.
 */
function stallingServer(): TestServer {
  let hangUp!: () => void;
  const done = new Promise<void>((r) => hangUp = r);
  const server = tcpServer(async (conn) => {
    await conn.read(new Uint8Array(4096));
    await done;
  });
  return {
    port: server.port,
    close() {
      hangUp();
      return server.close();
    },
  };
}

/** `backend.connect` to 127.0.0.1:`port`, 5 s timeout, `options` on top. */
function connectTo(
  port: number,
  options: Partial<ConnectOptions> = {},
): Promise<NetworkStream> {
  return backend.connect({ host: "127.0.0.1", port, timeout: 5, ...options });
}

/** Read `stream` to EOF, `maxBytes` at a time, with a 5 s read timeout. */
async function readToEnd(
  stream: NetworkStream,
  maxBytes = 65536,
): Promise<string> {
  let text = "";
  for (;;) {
    const chunk = await stream.read(maxBytes, 5);
    if (chunk === null) break;
    text += decoder.decode(chunk);
  }
  return text;
}

async function readAll(conn: Deno.Conn, until: string): Promise<string> {
  let text = "";
  const buffer = new Uint8Array(1024);
  while (!text.includes(until)) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n));
  }
  return text;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("plain TCP: write, read scripted bytes, EOF", async () => {
  let received = "";
  const server = tcpServer(async (conn) => {
    received = await readAll(conn, "\n");
    await conn.write(encoder.encode("hello "));
    await sleep(10);
    await conn.write(encoder.encode("world"));
  });
  const stream = await connectTo(server.port);
  assert.equal(stream.alpnProtocol, null);
  assert.equal(stream.remoteAddr, `127.0.0.1:${server.port}`);
  assert.match(stream.localAddr ?? "", /^127\.0\.0\.1:\d+$/);
  await stream.write(encoder.encode("ping\n"), 5);
  assert.equal(await readToEnd(stream), "hello world");
  assert.equal(received, "ping\n");
  assert.equal(stream.isClosed, false);
  stream.close();
  stream.close();
  assert.equal(stream.isClosed, true);
  await assert.rejects(stream.read(10, null), ReadError);
  await assert.rejects(stream.write(new Uint8Array(1), null), WriteError);
  await server.close();
});

Deno.test("read returns at most maxBytes and reuses one buffer", async () => {
  const server = tcpServer(async (conn) => {
    await conn.write(encoder.encode("abcdef"));
    await readAll(conn, "x");
  });
  const stream = await connectTo(server.port);
  let first = await stream.read(2, 5);
  assert.ok(first !== null);
  assert.ok(first.length <= 2);
  const copy = first.slice();
  const buffer = first.buffer;
  let text = decoder.decode(copy);
  while (text.length < 6) {
    first = await stream.read(65536, 5);
    assert.ok(first !== null);
    assert.equal(first.buffer, buffer);
    text += decoder.decode(first);
  }
  assert.equal(text, "abcdef");
  await stream.write(encoder.encode("x"), 5);
  stream.close();
  await server.close();
});

Deno.test("connection refused is a ConnectError naming host:port", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  try {
    await connectTo(port);
    assert.fail("connected");
  } catch (e) {
    assert.ok(e instanceof ConnectError);
    assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(e.message, /refused/i);
    assert.ok(e.cause instanceof Deno.errors.ConnectionRefused);
  }
});

Deno.test("an unknown host name is a ConnectError", async () => {
  await assert.rejects(
    backend.connect({ host: "no-such-host.invalid", port: 80, timeout: 5 }),
    (e: unknown) =>
      e instanceof ConnectError && /no-such-host\.invalid:80/.test(e.message),
  );
});

Deno.test("a TLS handshake that never completes is a ConnectTimeout", async () => {
  const server = stallingServer();
  await assert.rejects(
    connectTo(server.port, {
      timeout: 0.2,
      tls: { serverName: "localhost", caCerts: [CA] },
    }),
    (e: unknown) =>
      e instanceof ConnectTimeout &&
      e.message.includes(`127.0.0.1:${server.port}`) &&
      e.message.includes("TLS handshake"),
  );
  await server.close();
});

Deno.test("connect honours an aborted signal", async () => {
  const server = stallingServer();
  const controller = new AbortController();
  const pending = connectTo(server.port, {
    timeout: null,
    tls: { serverName: "localhost", caCerts: [CA] },
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(new Error("stop")), 50);
  await assert.rejects(
    pending,
    (e: unknown) =>
      e instanceof RequestError && !(e instanceof ConnectError) &&
      (e.cause as Error).message === "stop",
  );
  const aborted = AbortSignal.abort(new Error("before"));
  await assert.rejects(
    connectTo(server.port, { signal: aborted }),
    RequestError,
  );
  await server.close();
});

Deno.test("read timeout with a slow-drip server", async () => {
  const server = tcpServer(async (conn) => {
    for (const byte of "abc") {
      await conn.write(encoder.encode(byte));
      await sleep(30);
    }
    await readAll(conn, "never");
  });
  const stream = await connectTo(server.port);
  let text = "";
  while (text.length < 3) {
    const chunk = await stream.read(65536, 2);
    assert.ok(chunk !== null);
    text += decoder.decode(chunk);
  }
  assert.equal(text, "abc");
  await assert.rejects(
    stream.read(65536, 0.2),
    (e: unknown) =>
      e instanceof ReadTimeout && e.message.includes(`${server.port}`),
  );
  assert.equal(stream.isClosed, true);
  await server.close();
});

Deno.test("a longer earlier deadline does not delay a shorter one", async () => {
  const server = tcpServer(async (conn) => {
    await sleep(20);
    await conn.write(encoder.encode("a"));
    await readAll(conn, "never");
  });
  const stream = await connectTo(server.port);
  // Arms the timer for 60 s; the next read must still time out after 0.1 s.
  assert.ok((await stream.read(10, 60)) !== null);
  await assert.rejects(stream.read(10, 0.1), ReadTimeout);
  await server.close();
});

Deno.test("read error after the peer resets, write error after it goes away", async () => {
  const server = tcpServer(async (conn) => {
    await readAll(conn, "\n");
  });
  const stream = await connectTo(server.port);
  await stream.write(encoder.encode("bye\n"), 5);
  assert.equal(await stream.read(100, 5), null);
  await assert.rejects(
    (async () => {
      for (let i = 0; i < 100; i++) {
        await stream.write(new Uint8Array(65536), 5);
        await sleep(1);
      }
    })(),
    (e: unknown) =>
      e instanceof WriteError && e.message.includes(`${server.port}`) &&
      e.cause instanceof Error,
  );
  stream.close();
  await server.close();
});

Deno.test("write timeout when the server never reads", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  const server = tcpServer(async () => {
    await released;
  });
  const stream = await connectTo(server.port);
  const big = new Uint8Array(1 << 20);
  await assert.rejects(
    (async () => {
      for (let i = 0; i < 512; i++) await stream.write(big, 0.3);
    })(),
    WriteTimeout,
  );
  assert.equal(stream.isClosed, true);
  release();
  await server.close();
});

Deno.test("TLS with caCerts negotiates ALPN", async () => {
  const server = tlsServer(async (conn) => {
    await conn.handshake();
    const text = await readAll(conn, "\n");
    await conn.write(encoder.encode(`echo ${text}`));
  }, ["h2", "http/1.1"]);
  for (
    const [offer, expected] of [
      [["http/1.1"], "http/1.1"],
      [["h2", "http/1.1"], "h2"],
      [undefined, null],
    ] as const
  ) {
    const stream = await connectTo(server.port, {
      tls: {
        serverName: "localhost",
        caCerts: [CA],
        alpnProtocols: offer ? [...offer] : undefined,
      },
    });
    assert.equal(stream.alpnProtocol, expected);
    await stream.write(encoder.encode("hi\n"), 5);
    assert.equal(await readToEnd(stream), "echo hi\n");
    stream.close();
  }
  await server.close();
});

Deno.test("TLS without the test CA fails verification with ConnectError", async () => {
  const server = tlsServer(async (conn) => {
    await conn.handshake();
  });
  await assert.rejects(
    connectTo(server.port, { tls: { serverName: "localhost" } }),
    (e: unknown) =>
      e instanceof ConnectError && /UnknownIssuer/.test(e.message) &&
      e.message.includes(`127.0.0.1:${server.port}`),
  );
  await server.close();
});

Deno.test("SNI: connect to an address, verify the server name", async () => {
  const server = tlsServer(async (conn) => {
    await conn.handshake();
  });
  const stream = await connectTo(server.port, {
    tls: { serverName: "example.test", caCerts: [CA] },
  });
  assert.equal(stream.remoteAddr, `127.0.0.1:${server.port}`);
  stream.close();
  await assert.rejects(
    connectTo(server.port, {
      tls: { serverName: "wrong.test", caCerts: [CA] },
    }),
    (e: unknown) => e instanceof ConnectError && /wrong\.test/.test(e.message),
  );
  await server.close();
});

Deno.test("startTls upgrades a plain stream", async () => {
  // Deno has no server-side startTls: a relay answers STARTTLS, then pipes
  // the bytes to a TLS listener.
  const tlsTarget = tlsServer(async (conn) => {
    await conn.handshake();
    await conn.write(encoder.encode("secret"));
  });
  const relay = tcpServer(async (client) => {
    const line = await readAll(client, "\n");
    assert.equal(line, "STARTTLS\n");
    await client.write(encoder.encode("OK\n"));
    const upstream = await Deno.connect({
      hostname: "127.0.0.1",
      port: tlsTarget.port,
    });
    await Promise.all([
      client.readable.pipeTo(upstream.writable).catch(() => {}),
      upstream.readable.pipeTo(client.writable).catch(() => {}),
    ]);
  });
  const plain = await connectTo(relay.port);
  await plain.write(encoder.encode("STARTTLS\n"), 5);
  assert.equal(decoder.decode((await plain.read(3, 5))!), "OK\n");
  const secure = await plain.startTls(
    { serverName: "localhost", caCerts: [CA], alpnProtocols: ["http/1.1"] },
    5,
  );
  assert.equal(plain.isClosed, true);
  assert.equal(await readToEnd(secure, 100), "secret");
  await assert.rejects(
    secure.startTls({ serverName: "localhost" }, 5),
    (e: unknown) => e instanceof ConnectError && /TLS over TLS/.test(e.message),
  );
  secure.close();
  await relay.close();
  await tlsTarget.close();
});

Deno.test("localAddress chooses the address family", async () => {
  const server = tcpServer(async (conn) => {
    await conn.write(encoder.encode("v4"));
  });
  const stream = await connectTo(server.port, {
    host: "localhost",
    localAddress: "0.0.0.0",
  });
  assert.equal(stream.remoteAddr, `127.0.0.1:${server.port}`);
  stream.close();
  await assert.rejects(
    connectTo(server.port, { localAddress: "192.0.2.1" }),
    (e: unknown) => e instanceof ConnectError && /192\.0\.2\.1/.test(e.message),
  );
  await assert.rejects(
    connectTo(server.port, { localAddress: "::" }),
    ConnectError,
  );
  await server.close();
});

Deno.test("client certificate accepted by a server that requires one", async (t) => {
  let openssl: string | null = null;
  try {
    const out = await new Deno.Command("openssl", {
      args: ["version"],
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.success) openssl = "openssl";
  } catch { /* not installed */ }
  if (openssl === null) {
    // Deno.listenTls cannot request client certificates; openssl s_server can.
    console.warn("skipped: openssl not found");
    return;
  }
  const child = new Deno.Command(openssl, {
    args: [
      "s_server",
      "-accept",
      "127.0.0.1:0",
      "-cert",
      new URL("server.pem", TLS_DIR).pathname,
      "-key",
      new URL("server-key.pem", TLS_DIR).pathname,
      "-CAfile",
      new URL("ca.pem", TLS_DIR).pathname,
      "-Verify",
      "1",
      "-verify_return_error",
      "-www",
    ],
    stdout: "piped",
    stderr: "null",
    stdin: "null",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    let banner = "";
    let port = 0;
    while (port === 0) {
      const { value, done } = await reader.read();
      if (done) break;
      banner += decoder.decode(value);
      const match = banner.match(/ACCEPT [\d.]+:(\d+)/);
      if (match) port = Number(match[1]);
    }
    reader.releaseLock();
    child.stdout.cancel().catch(() => {});
    assert.notEqual(port, 0);

    await t.step("with the certificate", async () => {
      const stream = await connectTo(port, {
        tls: {
          serverName: "127.0.0.1",
          caCerts: [CA],
          cert: CLIENT_CERT,
          key: CLIENT_KEY,
        },
      });
      await stream.write(encoder.encode("GET / HTTP/1.0\r\n\r\n"), 5);
      const chunk = await stream.read(65536, 5);
      assert.ok(chunk !== null);
      assert.match(decoder.decode(chunk), /^HTTP\/1\.0 200/);
      stream.close();
    });
    await t.step("without it the server refuses", async () => {
      await assert.rejects(
        (async () => {
          const stream = await connectTo(port, {
            tls: { serverName: "127.0.0.1", caCerts: [CA] },
          });
          try {
            // TLS 1.3 reports the missing certificate on the first read.
            await stream.write(encoder.encode("GET / HTTP/1.0\r\n\r\n"), 5);
            await stream.read(65536, 5);
          } finally {
            stream.close();
          }
        })(),
        (e: unknown) =>
          (e instanceof ConnectError || e instanceof ReadError ||
            e instanceof WriteError) && /Certificate/i.test(e.message),
      );
    });
    await t.step("a different server name is refused up front", async () => {
      await assert.rejects(
        connectTo(port, {
          tls: {
            serverName: "localhost",
            caCerts: [CA],
            cert: CLIENT_CERT,
            key: CLIENT_KEY,
          },
        }),
        (e: unknown) =>
          e instanceof ConnectError && /client certificate/.test(e.message),
      );
    });
  } finally {
    child.kill();
    await child.status;
  }
});

Deno.test("sleep waits, zero resolves at once", async () => {
  await backend.sleep(0);
  await backend.sleep(0.01);
});

Deno.test("readInto reads into the caller's buffer, then reports EOF", async () => {
  const server = tcpServer(async (conn) => {
    await conn.write(encoder.encode("0123456789"));
  });
  const stream = await connectTo(server.port);
  const buffer = new Uint8Array(64);
  let text = "";
  for (;;) {
    const n = await stream.readInto!(buffer.subarray(4, 10), 5);
    if (n === null) break;
    assert.ok(n > 0 && n <= 6);
    text += decoder.decode(buffer.subarray(4, 4 + n));
  }
  assert.equal(text, "0123456789");
  // Nothing outside the view given was written.
  assert.ok(buffer.subarray(0, 4).every((b) => b === 0));
  assert.ok(buffer.subarray(10).every((b) => b === 0));
  stream.close();
  await assert.rejects(stream.readInto!(buffer, 5), ReadError);
  await server.close();
});

Deno.test("readInto times out like read", async () => {
  let release!: () => void;
  const done = new Promise<void>((r) => release = r);
  const server = tcpServer(() => done);
  const stream = await connectTo(server.port);
  await assert.rejects(
    stream.readInto!(new Uint8Array(16), 0.05),
    ReadTimeout,
  );
  stream.close();
  release();
  await server.close();
});
