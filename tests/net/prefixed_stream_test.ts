import assert from "node:assert/strict";
import { LocalProtocolError } from "../../src/errors.ts";
import { MockBackend } from "../../src/net/mock_backend.ts";
import { PrefixedStream } from "../../src/net/prefixed_stream.ts";

const text = (b: Uint8Array | null) =>
  b === null ? null : new TextDecoder().decode(b);

Deno.test("prefixed stream: read-ahead bytes first, in maxBytes pieces, then the socket", async () => {
  const backend = new MockBackend(["socket"]);
  const inner = await backend.connect({ host: "h", port: 1, timeout: null });
  let closed = 0;
  const stream = new PrefixedStream(
    inner,
    new TextEncoder().encode("abcde"),
    () => closed++,
  );
  assert.equal(text(await stream.read(2, null)), "ab");
  assert.equal(text(await stream.read(10, null)), "cde");
  assert.equal(text(await stream.read(10, null)), "socket");
  await stream.write(new TextEncoder().encode("hi"), null);
  assert.equal(backend.connections[0].writtenText(), "hi");
  stream.close();
  assert.equal(inner.isClosed, true);
  assert.equal(closed, 1);
});

Deno.test("prefixed stream: TLS is refused while read-ahead bytes remain", async () => {
  const backend = new MockBackend([]);
  const inner = await backend.connect({ host: "h", port: 1, timeout: null });
  const stream = new PrefixedStream(inner, new Uint8Array([1]));
  await assert.rejects(
    stream.startTls({ serverName: "h" }, null),
    LocalProtocolError,
  );
  stream.close();
});
