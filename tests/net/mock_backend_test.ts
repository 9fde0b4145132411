import assert from "node:assert/strict";
import {
  AWAIT_WRITE,
  HANG,
  MockBackend,
  MockStream,
} from "../../src/net/mock_backend.ts";
import {
  ConnectError,
  ConnectTimeout,
  ReadError,
  ReadTimeout,
  WriteError,
} from "../../src/errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const target = { host: "example.org", port: 80, timeout: 5 };

async function readText(
  stream: { read(n: number, t: number | null): Promise<Uint8Array | null> },
  maxBytes = 65536,
): Promise<string | null> {
  const bytes = await stream.read(maxBytes, null);
  return bytes === null ? null : dec.decode(bytes);
}

Deno.test("a flat script is replayed on every connection, one chunk per read", async () => {
  const backend = new MockBackend(["HTTP/1.1 200 OK\r\n", enc.encode("\r\n")]);
  for (let i = 0; i < 2; i++) {
    const stream = await backend.connect(target);
    assert.equal(await readText(stream), "HTTP/1.1 200 OK\r\n");
    assert.equal(await readText(stream), "\r\n");
    assert.equal(await readText(stream), null);
    assert.equal(await readText(stream), null);
    stream.close();
  }
  assert.equal(backend.connections.length, 2);
  assert.deepEqual(backend.connectCalls, [target, target]);
});

Deno.test("a list of scripts gives each connection its own", async () => {
  const backend = new MockBackend([
    ["first"],
    { reads: ["second"], alpnProtocol: "h2" },
  ]);
  const a = await backend.connect(target);
  const b = await backend.connect(target);
  assert.equal(await readText(a), "first");
  assert.equal(await readText(b), "second");
  assert.equal(a.alpnProtocol, null);
  assert.equal(b.alpnProtocol, "h2");
  await assert.rejects(backend.connect(target), ConnectError);
  a.close();
  b.close();
});

Deno.test("ALPN comes from the http2 and alpnProtocol options", async () => {
  assert.equal(
    (await new MockBackend([], { http2: true }).connect(target)).alpnProtocol,
    "h2",
  );
  assert.equal(
    (await new MockBackend([], { http2: true, alpnProtocol: "http/1.1" })
      .connect(target))
      .alpnProtocol,
    "http/1.1",
  );
  assert.equal((await new MockBackend([]).connect(target)).alpnProtocol, null);
});

Deno.test("connect attempts fail as scripted", async () => {
  const backend = new MockBackend(["x"], {
    connectErrors: [
      new ConnectError("refused"),
      new ConnectTimeout("slow"),
      null,
    ],
  });
  await assert.rejects(backend.connect(target), ConnectError);
  await assert.rejects(backend.connect(target), ConnectTimeout);
  const stream = await backend.connect(target);
  assert.equal(await readText(stream), "x");
  assert.equal(backend.connectCalls.length, 3);
  assert.equal(backend.connections.length, 1);
});

Deno.test("sleep records the delay and returns at once", async () => {
  const backend = new MockBackend([]);
  await backend.sleep(0.5);
  await backend.sleep(1);
  assert.deepEqual(backend.sleeps, [0.5, 1]);
});

Deno.test("writes are recorded as copies", async () => {
  const stream = new MockStream([]);
  const data = enc.encode("GET / HTTP/1.1\r\n");
  await stream.write(data, 1);
  data.fill(0);
  await stream.write(enc.encode("\r\n"), null);
  assert.equal(stream.written.length, 2);
  assert.equal(stream.writtenText(), "GET / HTTP/1.1\r\n\r\n");
  assert.deepEqual(stream.writeTimeouts, [1, null]);
});

Deno.test("reads return at most maxBytes, keeping the rest", async () => {
  const stream = new MockStream(["abcdef", "gh"]);
  assert.equal(await readText(stream, 4), "abcd");
  assert.equal(await readText(stream, 4), "ef");
  assert.equal(await readText(stream, 4), "gh");
  assert.equal(await readText(stream), null);
});

Deno.test("an error in the script is raised by that read", async () => {
  const stream = new MockStream(["a", new ReadError("reset"), "b"]);
  assert.equal(await readText(stream), "a");
  await assert.rejects(stream.read(10, null), ReadError);
  assert.equal(await readText(stream), "b");
});

Deno.test("writes fail with the scripted error after the allowed number", async () => {
  const backend = new MockBackend(["x"], {
    writeError: new WriteError("Broken pipe"),
    failWriteAfter: 1,
  });
  const stream = await backend.connect(target);
  await stream.write(enc.encode("one"), null);
  await assert.rejects(stream.write(enc.encode("two"), null), WriteError);
  assert.equal(backend.connections[0].writtenText(), "one");
});

Deno.test("a HANG read fails with ReadTimeout when a timeout is given", async () => {
  const stream = new MockStream([HANG]);
  await assert.rejects(stream.read(10, 0.01), ReadTimeout);
  assert.equal(stream.pendingReads, 0);
  stream.close();
});

Deno.test("a HANG read waits until the stream is closed", async () => {
  const stream = new MockStream([HANG, "never"]);
  const pending = stream.read(10, null);
  assert.equal(stream.pendingReads, 1);
  stream.close();
  await assert.rejects(pending, ReadError);
  assert.equal(stream.pendingReads, 0);
  await assert.rejects(stream.read(10, null), ReadError);
  await assert.rejects(stream.write(enc.encode("x"), null), WriteError);
});

Deno.test("AWAIT_WRITE holds a read until something is written", async () => {
  const stream = new MockStream(["response 1", AWAIT_WRITE, "response 2"]);
  assert.equal(await readText(stream), "response 1");
  let done = false;
  const pending = stream.read(100, null).then((b) => {
    done = true;
    return b;
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(done, false);
  assert.equal(stream.pendingReads, 1);
  await stream.write(enc.encode("request 2"), null);
  assert.equal(dec.decode((await pending)!), "response 2");
});

Deno.test("AWAIT_WRITE does not wait for a write that already happened", async () => {
  const stream = new MockStream(["one", AWAIT_WRITE, "two", AWAIT_WRITE]);
  assert.equal(await readText(stream), "one");
  await stream.write(enc.encode("next"), null);
  assert.equal(await readText(stream), "two");
  const waiting = stream.read(10, 0.01);
  await assert.rejects(waiting, ReadTimeout);
  stream.close();
});

Deno.test("reuseReadBuffer returns views that the next read overwrites", async () => {
  const backend = new MockBackend(["first", "other"], {
    reuseReadBuffer: true,
  });
  const stream = await backend.connect(target);
  const a = (await stream.read(100, null))!;
  assert.equal(dec.decode(a), "first");
  const b = (await stream.read(100, null))!;
  assert.equal(a.buffer, b.buffer);
  assert.equal(dec.decode(a), "other");
});

Deno.test("startTls records the options and goes on with the script", async () => {
  const stream = new MockStream(["after tls"]);
  const tls = await stream.startTls({
    serverName: "example.org",
    alpnProtocols: ["h2"],
  }, 5);
  assert.equal(tls, stream);
  assert.deepEqual(stream.tlsUpgrades, [{
    serverName: "example.org",
    alpnProtocols: ["h2"],
  }]);
  assert.equal(await readText(tls), "after tls");
  stream.close();
  await assert.rejects(
    stream.startTls({ serverName: "x" }, null),
    ConnectError,
  );
});

Deno.test("stream bookkeeping", async () => {
  const stream = new MockStream(["a"]);
  assert.equal(stream.isClosed, false);
  assert.equal(stream.exhausted, false);
  await stream.read(10, 3);
  assert.equal(stream.exhausted, true);
  assert.deepEqual(stream.readTimeouts, [3]);
  assert.equal(stream.remoteAddr, "127.0.0.1:80");
  stream.close();
  stream.close();
  assert.equal(stream.isClosed, true);
});
