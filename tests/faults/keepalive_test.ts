/**
 * Keep-alive against scripted servers: reuse, a server closing an idle
 * connection, `Connection: close`, and the one retry on a stale connection.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import { faultServer, okResponse, signal } from "./_fault_server.ts";

/** Count `connection.connect_tcp.started` events through a trace hook. */
function connectCounter(): {
  count: () => number;
  extensions: httpx.RequestExtensions;
} {
  let connects = 0;
  return {
    count: () => connects,
    extensions: {
      trace: (event: string) => {
        if (event === "connection.connect_tcp.started") connects++;
      },
    },
  };
}

/** Serve keep-alive responses, `n` per connection at most. */
function keepAliveServer(perConnection = Infinity) {
  return faultServer(async (conn) => {
    for (let i = 0; i < perConnection; i++) {
      const request = await conn.readRequest();
      if (request === null) return;
      if (!await conn.write(okResponse(`${conn.index}:${i}`))) return;
    }
  });
}

Deno.test("keep-alive: sequential requests reuse one connection", async () => {
  await using server = keepAliveServer();
  const counter = connectCounter();
  await using http = new httpx.Client({ transport: new httpx.HTTPTransport() });
  const bodies: string[] = [];
  for (let i = 0; i < 20; i++) {
    bodies.push(
      (await http.get(server.url, { extensions: counter.extensions })).text,
    );
  }
  assert.deepEqual(bodies, Array.from({ length: 20 }, (_, i) => `0:${i}`));
  assert.equal(server.accepted, 1);
  assert.equal(counter.count(), 1);
});

Deno.test("keep-alive: a server closing an idle connection is transparent", async () => {
  const closed = signal();
  await using server = faultServer(async (conn) => {
    const request = await conn.readRequest();
    if (request === null) return;
    await conn.write(okResponse(`conn ${conn.index}`));
    if (conn.index === 0) {
      // Close the idle keep-alive connection after the first response.
      conn.close();
      closed.resolve();
      return;
    }
    while (await conn.readRequest() !== null) {
      if (!await conn.write(okResponse(`conn ${conn.index}`))) return;
    }
  });
  const transport = new httpx.HTTPTransport();
  await using http = new httpx.Client({ transport });
  assert.equal((await http.get(server.url)).text, "conn 0");
  await closed.promise;
  assert.equal((await http.get(server.url)).text, "conn 1");
  assert.equal((await http.get(server.url)).text, "conn 1");
  assert.equal(server.accepted, 2);
  assert.equal(transport.pool.connectionCount, 1);
  assert.equal(transport.pool.activeCount, 0);
});

Deno.test("keep-alive: a stale connection that drops the request is retried once for GET", async () => {
  // The server keeps the first connection open but drops it, without
  // answering, when the second request arrives on it: as if it had
  // closed an idle connection just as the request was sent.
  await using server = faultServer(async (conn) => {
    if (conn.index === 0) {
      await conn.readRequest();
      await conn.write(okResponse("first"));
      await conn.readRequest();
      return; // close without a response
    }
    const request = await conn.readRequest();
    if (request !== null) await conn.write(okResponse("retried"));
  });
  await using http = new httpx.Client({ transport: new httpx.HTTPTransport() });
  assert.equal((await http.get(server.url)).text, "first");
  assert.equal((await http.get(server.url)).text, "retried");
  assert.equal(server.accepted, 2);
});

Deno.test("keep-alive: a POST dropped on a stale connection is not retried", async () => {
  await using server = faultServer(async (conn) => {
    if (conn.index === 0) {
      await conn.readRequest();
      await conn.write(okResponse("first"));
      await conn.readRequest();
      return;
    }
    const request = await conn.readRequest();
    if (request !== null) await conn.write(okResponse("should not happen"));
  });
  await using http = new httpx.Client({ transport: new httpx.HTTPTransport() });
  assert.equal((await http.get(server.url)).text, "first");
  await assert.rejects(
    http.post(server.url, { content: "not idempotent" }),
    httpx.RemoteProtocolError,
  );
  assert.equal(server.accepted, 1);
});

Deno.test("keep-alive: Connection: close makes the next request open a new connection", async () => {
  await using server = faultServer(async (conn) => {
    const request = await conn.readRequest();
    if (request === null) return;
    await conn.write(okResponse(`conn ${conn.index}`, ["Connection: close"]));
  });
  const counter = connectCounter();
  const transport = new httpx.HTTPTransport();
  await using http = new httpx.Client({ transport });
  for (let i = 0; i < 3; i++) {
    const response = await http.get(server.url, {
      extensions: counter.extensions,
    });
    assert.equal(response.text, `conn ${i}`);
    assert.equal(response.headers.get("connection"), "close");
  }
  assert.equal(server.accepted, 3);
  assert.equal(counter.count(), 3);
  // Nothing is kept: a `Connection: close` connection is never idle.
  assert.equal(transport.pool.connectionCount, 0);
});

Deno.test("keep-alive: a request with Connection: close is honoured", async () => {
  await using server = keepAliveServer();
  await using http = new httpx.Client({ transport: new httpx.HTTPTransport() });
  await http.get(server.url, { headers: { Connection: "close" } });
  await http.get(server.url);
  assert.equal(server.accepted, 2);
});

Deno.test("keep-alive: a body not read to the end closes the connection", async () => {
  await using server = faultServer(async (conn) => {
    while (true) {
      const request = await conn.readRequest();
      if (request === null) return;
      const big = "b".repeat(1 << 20);
      if (!await conn.write(okResponse(big))) return;
    }
  });
  await using http = new httpx.Client({ transport: new httpx.HTTPTransport() });
  {
    await using response = await http.stream("GET", server.url);
    let first = 0;
    for await (const chunk of response.iterBytes()) {
      first = chunk.length;
      break;
    }
    assert.ok(first > 0 && first < 1 << 20);
  }
  const second = await http.get(server.url);
  assert.equal(second.content.length, 1 << 20);
  assert.equal(server.accepted, 2);
});

Deno.test("keep-alive: concurrent requests open parallel connections, then reuse them", async () => {
  const gate = signal();
  let waiting = 0;
  await using server = faultServer(async (conn) => {
    while (true) {
      const request = await conn.readRequest();
      if (request === null) return;
      if (request.target === "/gate") {
        // Hold the first three requests until all three arrived.
        if (++waiting === 3) gate.resolve();
        await gate.promise;
      }
      if (!await conn.write(okResponse(`conn ${conn.index}`))) return;
    }
  });
  await using http = new httpx.Client({ transport: new httpx.HTTPTransport() });
  const first = await Promise.all(
    [0, 1, 2].map(() => http.get(`${server.url}/gate`)),
  );
  assert.deepEqual(
    first.map((r) => r.text).sort(),
    ["conn 0", "conn 1", "conn 2"],
  );
  for (let i = 0; i < 6; i++) await http.get(server.url);
  assert.equal(server.accepted, 3);
});
