// The pool with HTTP/2 connections: requests join a connection still
// negotiating ALPN, fall back to HTTP/1.1 when ALPN says so, respect the
// server's MAX_CONCURRENT_STREAMS (waiting under the pool timeout, or a
// second connection within maxConnections), retry GOAWAY'd streams and
// retire connections whose stream ids ran out. The servers are the fake
// HTTP/2 peer of tests/connection/_fake_h2_server.ts behind a backend.

import assert from "node:assert/strict";
import { Limits } from "../../src/config/limits.ts";
import { HTTP2Connection } from "../../src/connection/http2.ts";
import { PoolTimeout } from "../../src/errors.ts";
import { Request, type RequestOptions } from "../../src/models/request.ts";
import type { Response } from "../../src/models/response.ts";
import { MockStream } from "../../src/net/mock_backend.ts";
import type {
  ConnectOptions,
  NetworkBackend,
  NetworkStream,
} from "../../src/net/network.ts";
import { ConnectionPool } from "../../src/pool/connection_pool.ts";
import { ErrorCode } from "../../src/protocol/h2/error_codes.ts";
import { SettingId } from "../../src/protocol/h2/settings.ts";
import {
  FakeH2Server,
  type ServerRequest,
} from "../connection/_fake_h2_server.ts";

const dec = new TextDecoder();

/** Hands out a new fake server per connect, optionally after a gate opens. */
class H2Backend implements NetworkBackend {
  readonly servers: FakeH2Server[] = [];
  readonly connects: ConnectOptions[] = [];
  /** Connects resolve only once this resolves (ALPN still "negotiating"). */
  gate: Promise<void> = Promise.resolve();
  #make: (index: number) => NetworkStream;

  constructor(make: (index: number) => NetworkStream) {
    this.#make = make;
  }

  async connect(options: ConnectOptions): Promise<NetworkStream> {
    const index = this.connects.length;
    this.connects.push(options);
    await this.gate;
    const stream = this.#make(index);
    if (stream instanceof FakeH2Server) this.servers.push(stream);
    return stream;
  }

  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

/** A fake server answering every request with its path. */
function echoServer(
  settings: Array<[number, number]> = [],
  alpn: string | null = "h2",
): FakeH2Server {
  const server = new FakeH2Server(settings);
  server.alpnProtocol = alpn;
  server.onRequest = (req) => server.respond(req.streamId, 200, path(req));
  return server;
}

function path(req: ServerRequest): string {
  return req.headers.find(([name]) => name === ":path")![1];
}

function request(
  url = "https://example.org/",
  extensions: RequestOptions["extensions"] = {},
): Request {
  return new Request("GET", url, { extensions });
}

async function text(response: Response): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of response.stream) parts.push(chunk);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return dec.decode(out);
}

function get(pool: ConnectionPool, p: string): Promise<Response> {
  return pool.handleRequest(request(`https://example.org${p}`));
}

Deno.test("h2 pool: requests waiting for ALPN join the first connection", async () => {
  const backend = new H2Backend(() => echoServer());
  let open!: () => void;
  backend.gate = new Promise((resolve) => open = resolve);
  const pool = new ConnectionPool({ backend, http2: true });
  const all = ["/a", "/b", "/c", "/d"].map((p) => get(pool, p));
  // Still connecting: every request joined the one pending connection.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(pool.connectionCount, 1);
  open();
  const responses = await Promise.all(all);
  assert.deepEqual(
    await Promise.all(responses.map(text)),
    ["/a", "/b", "/c", "/d"],
  );
  assert.deepEqual(
    responses.map((r) => r.extensions.httpVersion),
    ["HTTP/2", "HTTP/2", "HTTP/2", "HTTP/2"],
  );
  assert.deepEqual(
    responses.map((r) => r.extensions.streamId).sort(),
    [1, 3, 5, 7],
  );
  assert.equal(backend.connects.length, 1);
  assert.deepEqual(backend.connects.map((c) => c.port), [443]);
  assert.equal(pool.idleCount, 1);
  await pool.close();
});

Deno.test("h2 pool: ALPN http/1.1 sends the joined requests to HTTP/1.1 connections", async () => {
  const ok = (body: string): string =>
    `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const streams: MockStream[] = [];
  const backend = new H2Backend((index) => {
    const stream = new MockStream([ok(`c${index}`)], {
      alpnProtocol: "http/1.1",
    });
    streams.push(stream);
    return stream;
  });
  let open!: () => void;
  backend.gate = new Promise((resolve) => open = resolve);
  const pool = new ConnectionPool({ backend, http2: true });
  const all = ["/a", "/b", "/c"].map((p) => get(pool, p));
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(pool.connectionCount, 1, "all three joined the pending one");
  open();
  const responses = await Promise.all(all);
  assert.deepEqual(responses.map((r) => r.extensions.httpVersion), [
    "HTTP/1.1",
    "HTTP/1.1",
    "HTTP/1.1",
  ]);
  assert.deepEqual((await Promise.all(responses.map(text))).sort(), [
    "c0",
    "c1",
    "c2",
  ]);
  // One HTTP/1.1 connection per request.
  assert.equal(backend.connects.length, 3);
  await pool.close();
});

Deno.test("h2 pool: beyond MAX_CONCURRENT_STREAMS, requests wait for a stream (maxConnections 1)", async () => {
  const backend = new H2Backend(() => {
    const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 2]]);
    // Answer only once both allowed streams are open, so waiting matters.
    const queue: number[] = [];
    server.onRequest = (req) => {
      queue.push(req.streamId);
      if (server.open < 2 && queue.length < 2) return;
      for (const id of queue.splice(0)) server.respond(id, 200, `s${id}`);
    };
    return server;
  });
  const pool = new ConnectionPool({
    backend,
    http2: true,
    limits: new Limits({ maxConnections: 1 }),
  });
  const all = ["/1", "/2", "/3", "/4", "/5", "/6"].map((p) =>
    get(pool, p).then(text)
  );
  const bodies = await Promise.all(all);
  assert.equal(bodies.length, 6);
  assert.deepEqual(
    bodies.map((b) => Number(b.slice(1))).sort((x, y) => x - y),
    [1, 3, 5, 7, 9, 11],
  );
  assert.equal(backend.connects.length, 1);
  const server = backend.servers[0];
  assert.equal(server.requests.size, 6);
  assert.equal(server.maxOpen, 2, "never more streams than the server allows");
  await pool.close();
});

Deno.test("h2 pool: a full connection makes requests wait under the pool timeout", async () => {
  const backend = new H2Backend(() =>
    new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 1]])
  );
  const pool = new ConnectionPool({
    backend,
    http2: true,
    limits: new Limits({ maxConnections: 1 }),
  });
  const timeout = { connect: null, read: null, write: null, pool: 0.05 };
  // The first request holds the only stream (its server never answers).
  const first = pool.handleRequest(request("https://example.org/", {
    timeout: { ...timeout, pool: null },
  }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  await backend.servers[0]?.until(() => backend.servers[0].requests.size === 1);
  await assert.rejects(
    () => pool.handleRequest(request("https://example.org/", { timeout })),
    PoolTimeout,
  );
  assert.equal(backend.connects.length, 1);
  backend.servers[0].respond(1, 200, "late");
  assert.equal(await text(await first), "late");
  await pool.close();
});

Deno.test("h2 pool: a second connection opens when the first is full, within maxConnections", async () => {
  const held: Array<() => void> = [];
  const backend = new H2Backend(() => {
    const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 2]]);
    server.onRequest = (req) =>
      held.push(() => server.respond(req.streamId, 200, "ok"));
    return server;
  });
  const pool = new ConnectionPool({
    backend,
    http2: true,
    limits: new Limits({ maxConnections: 3 }),
  });
  // Two go out first and the server's SETTINGS arrive; then the rest.
  const early = [get(pool, "/1"), get(pool, "/2")];
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (held.length === 2) resolve();
      else setTimeout(check, 1);
    };
    check();
  });
  const late = [get(pool, "/3"), get(pool, "/4"), get(pool, "/5")];
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (held.length === 5) resolve();
      else setTimeout(check, 1);
    };
    check();
  });
  assert.equal(backend.connects.length, 3);
  assert.deepEqual(backend.servers.map((s) => s.requests.size), [2, 2, 1]);
  for (const answer of held) answer();
  const bodies = await Promise.all(
    [...early, ...late].map(async (r) => text(await r)),
  );
  assert.deepEqual(bodies, ["ok", "ok", "ok", "ok", "ok"]);
  assert.ok(backend.servers.every((s) => s.maxOpen <= 2));
  await pool.close();
});

Deno.test("h2 pool: streams a GOAWAY left unprocessed are retried on a new connection", async () => {
  const backend = new H2Backend((index) => {
    const server = echoServer();
    if (index === 0) {
      let seen = 0;
      server.onRequest = () => {
        if (++seen < 3) return;
        // Took only stream 1; 3 and 5 must go elsewhere.
        server.send({
          type: "GOAWAY",
          lastStreamId: 1,
          errorCode: ErrorCode.NO_ERROR,
          debugData: new Uint8Array(0),
        });
        server.respond(1, 200, "first connection");
      };
    }
    return server;
  });
  const pool = new ConnectionPool({ backend, http2: true });
  const responses = await Promise.all(
    ["/a", "/b", "/c"].map((p) => get(pool, p)),
  );
  assert.deepEqual(await Promise.all(responses.map(text)), [
    "first connection",
    "/b",
    "/c",
  ]);
  assert.equal(backend.connects.length, 2);
  assert.equal(backend.servers[0].isClosed, true, "retired after GOAWAY");
  await pool.close();
});

Deno.test("h2 pool: a connection out of stream ids is retired, the next request opens another", async () => {
  const servers: FakeH2Server[] = [];
  const pool = new ConnectionPool({
    createConnection: (origin) => {
      const server = echoServer();
      servers.push(server);
      // The first connection may open only one stream (the last odd id).
      return new HTTP2Connection(origin, server, {
        firstStreamId: servers.length === 1 ? 2 ** 31 - 1 : 1,
      });
    },
  });
  const first = await get(pool, "/x");
  assert.equal(first.extensions.streamId, 2 ** 31 - 1);
  assert.equal(await text(first), "/x");
  assert.equal(servers[0].isClosed, true);
  const second = await get(pool, "/y");
  assert.equal(second.extensions.streamId, 1);
  assert.equal(await text(second), "/y");
  assert.equal(servers.length, 2);
  await pool.close();
});

Deno.test("h2 pool: prior-knowledge h2c on http:// when http1 is off", async () => {
  const backend = new H2Backend(() => echoServer([], null));
  const pool = new ConnectionPool({ backend, http1: false, http2: true });
  const responses = await Promise.all(
    ["/a", "/b"].map((p) =>
      pool.handleRequest(request(`http://example.org${p}`))
    ),
  );
  assert.deepEqual(await Promise.all(responses.map(text)), ["/a", "/b"]);
  assert.equal(responses[0].extensions.httpVersion, "HTTP/2");
  assert.equal(backend.connects.length, 1);
  assert.equal(backend.connects[0].tls, undefined, "cleartext");
  assert.equal(backend.connects[0].port, 80);
  await pool.close();
});

Deno.test("h2 pool: closing a response early resets its stream and frees it for the next request", async () => {
  const backend = new H2Backend(() => {
    const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 1]]);
    server.onRequest = (req) => {
      // Headers and some data, never the end.
      server.send({
        type: "HEADERS",
        streamId: req.streamId,
        endStream: false,
        endHeaders: true,
        fragment: server.encoder.encode([[":status", "200"]]),
      });
      server.send({
        type: "DATA",
        streamId: req.streamId,
        endStream: false,
        data: new TextEncoder().encode("partial"),
      });
    };
    return server;
  });
  const pool = new ConnectionPool({
    backend,
    http2: true,
    limits: new Limits({ maxConnections: 1 }),
  });
  const timeout = { connect: null, read: null, write: null, pool: 5 };
  for (const id of [1, 3, 5]) {
    const response = await pool.handleRequest(
      request("https://example.org/", { timeout }),
    );
    assert.equal(response.extensions.streamId, id);
    await response.stream.close?.();
  }
  const server = backend.servers[0];
  const resets = () => server.received.filter((f) => f.type === "RST_STREAM");
  await server.until(() => resets().length === 3);
  assert.deepEqual(
    resets().map((f) =>
      f.type === "RST_STREAM" ? [f.streamId, f.errorCode] : []
    ),
    [[1, ErrorCode.CANCEL], [3, ErrorCode.CANCEL], [5, ErrorCode.CANCEL]],
  );
  assert.equal(backend.connects.length, 1);
  await pool.close();
});
