/**
 * Slow and silent servers: read timeouts between chunks, the `total`
 * deadline against a slow drip, and a server that never answers.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  errorOf,
  faultClient as client,
  type FaultServer,
  faultServer,
} from "./_fault_server.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that reads the request and never answers. */
function silentServer(): FaultServer {
  return faultServer(async (conn) => {
    await conn.readRequest();
    await conn.waitForEof();
  });
}

/**
 * A server that answers with a chunked body of one byte every 50 ms for at
 * most 10 s: each gap is far below the read timeout, the whole is far above
 * the total deadline. `onChunk` runs after each byte is written.
 */
function dripServer(onChunk: () => void = () => {}): FaultServer {
  return faultServer(async (conn) => {
    await conn.readRequest();
    if (
      !await conn.write(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
      )
    ) return;
    for (let i = 0; i < 200; i++) {
      if (!await conn.write("1\r\n.\r\n")) return;
      onChunk();
      await sleep(50);
    }
    await conn.write("0\r\n\r\n");
  });
}

/** Generous per-phase timeouts with a 0.6 s total deadline. */
function totalTimeout(): httpx.Timeout {
  return new httpx.Timeout({
    connect: 5,
    read: 2,
    write: 5,
    pool: 5,
    total: 0.6,
  });
}

Deno.test("faults: a server that never answers gives ReadTimeout", async () => {
  await using server = silentServer();
  await using http = client(new httpx.Timeout(5, { read: 0.2 }));
  const error = await errorOf(http.get(server.url));
  assert.ok(error instanceof httpx.ReadTimeout, String(error));
  assert.ok(error.hasRequest);
});

Deno.test("faults: a stall between body chunks gives ReadTimeout while streaming", async () => {
  await using server = faultServer(async (conn) => {
    await conn.readRequest();
    await conn.write(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nfirs\r\n",
    );
    await conn.waitForEof();
  });
  await using http = client(new httpx.Timeout(5, { read: 0.2 }));
  await using response = await http.stream("GET", server.url);
  const received: string[] = [];
  await assert.rejects(async () => {
    for await (const text of response.iterText()) received.push(text);
  }, httpx.ReadTimeout);
  assert.equal(received.join(""), "firs");
  assert.ok(response.isClosed);
});

Deno.test("faults: the total deadline stops a slow drip that each read timeout allows", async () => {
  let sent = 0;
  await using server = dripServer(() => sent++);
  await using http = client(totalTimeout());
  const error = await errorOf(http.get(server.url));
  assert.ok(error instanceof httpx.ReadTimeout, String(error));
  assert.match(error.message, /[Tt]otal/);
  assert.ok(sent < 200, "the drip was cut short");
});

Deno.test("faults: the total deadline also covers a streamed body", async () => {
  await using server = dripServer();
  await using http = client(totalTimeout());
  await using response = await http.stream("GET", server.url);
  let bytes = 0;
  await assert.rejects(async () => {
    for await (const chunk of response.iterBytes()) bytes += chunk.length;
  }, httpx.ReadTimeout);
  assert.ok(bytes > 0 && bytes < 200, `got ${bytes} bytes`);
});

Deno.test("faults: a per-request timeout overrides the client's", async () => {
  await using server = silentServer();
  await using http = client(30);
  await assert.rejects(
    http.get(server.url, { timeout: { read: 0.2 } }),
    httpx.ReadTimeout,
  );
});

Deno.test("faults: an AbortSignal cancels a request the server never answers", async () => {
  await using server = silentServer();
  await using http = client(30);
  const controller = new AbortController();
  const pending = http.get(server.url, { signal: controller.signal });
  setTimeout(() => controller.abort(new Error("stop")), 100);
  await assert.rejects(pending, httpx.RequestError);
});
