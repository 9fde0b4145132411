import assert from "node:assert/strict";
import { ConnectionPool } from "../../src/pool/connection_pool.ts";
import {
  type Connection,
  ConnectionNotAvailable,
  type Origin,
} from "../../src/connection/_interface.ts";
import { Limits } from "../../src/config/limits.ts";
import {
  PoolTimeout,
  ReadError,
  RemoteProtocolError,
  RequestError,
  TransportError,
  UnsupportedProtocol,
} from "../../src/errors.ts";
import { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import type { ByteStream, TimeoutConfig } from "../../src/_types.ts";
import { AWAIT_WRITE, MockBackend } from "../../src/net/mock_backend.ts";

type State = "NEW" | "ACTIVE" | "IDLE" | "CLOSED";

/** What a fake connection does with its next request. */
interface Behaviour {
  /** Throw this from `handleRequest` (the connection closes). */
  fail?: Error;
  /** Throw ConnectionNotAvailable once, and close. */
  unavailable?: boolean;
}

/** A connection that answers `200` with the body "abc" in three chunks. */
class FakeConnection implements Connection {
  static created: FakeConnection[] = [];
  readonly origin: Origin;
  readonly id: number;
  state: State = "NEW";
  requests = 0;
  expiresAt: number | null = null;
  #clock: () => number;
  #behaviour: Behaviour;

  constructor(origin: Origin, clock: () => number, behaviour: Behaviour = {}) {
    this.origin = origin;
    this.#clock = clock;
    this.#behaviour = behaviour;
    this.id = FakeConnection.created.length;
    FakeConnection.created.push(this);
  }

  get httpVersion(): string | null {
    return this.state === "NEW" ? null : "HTTP/1.1";
  }

  async handleRequest(request: Request): Promise<Response> {
    if (this.state !== "NEW" && this.state !== "IDLE") {
      throw new ConnectionNotAvailable();
    }
    this.state = "ACTIVE";
    this.requests++;
    await Promise.resolve();
    if (this.#behaviour.unavailable) {
      this.state = "CLOSED";
      throw new ConnectionNotAvailable();
    }
    if (this.#behaviour.fail) {
      this.state = "CLOSED";
      throw this.#behaviour.fail;
    }
    const signal = request.extensions.signal;
    signal?.addEventListener("abort", () => this.close(), { once: true });
    return new Response(200, {
      stream: new FakeBody(this, ["a", "b", "c"]),
      extensions: { httpVersion: "HTTP/1.1" },
    });
  }

  finished(complete: boolean): void {
    if (this.state !== "ACTIVE") return;
    if (!complete) {
      this.state = "CLOSED";
      return;
    }
    this.state = "IDLE";
    this.expiresAt = this.#clock() + 5;
  }

  close(): void {
    this.state = "CLOSED";
  }
  canHandleRequest(origin: Origin): boolean {
    return origin.host === this.origin.host &&
      origin.port === this.origin.port &&
      origin.scheme === this.origin.scheme;
  }
  isAvailable(): boolean {
    return this.state === "IDLE";
  }
  hasExpired(now: number): boolean {
    return this.state === "CLOSED" ||
      (this.expiresAt !== null && now > this.expiresAt);
  }
  isIdle(): boolean {
    return this.state === "IDLE";
  }
  isClosed(): boolean {
    return this.state === "CLOSED";
  }
  info(): string {
    return `fake ${this.id} ${this.state}`;
  }
}

class FakeBody implements ByteStream {
  #connection: FakeConnection;
  #chunks: string[];
  #done = false;
  constructor(connection: FakeConnection, chunks: string[]) {
    this.#connection = connection;
    this.#chunks = [...chunks];
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      while (this.#chunks.length > 0) {
        if (this.#connection.state === "CLOSED") {
          throw new ReadError("Connection closed");
        }
        await Promise.resolve();
        yield new TextEncoder().encode(this.#chunks.shift()!);
      }
      this.#done = true;
    } finally {
      this.close();
    }
  }
  close(): void {
    this.#connection.finished(this.#done);
  }
}

const TIMEOUT: TimeoutConfig = { connect: 5, read: 5, write: 5, pool: 5 };

function makePool(
  limits: Limits,
  options: {
    clock?: () => number;
    behaviours?: Behaviour[];
  } = {},
): ConnectionPool {
  FakeConnection.created = [];
  const clock = options.clock ?? (() => 0);
  return new ConnectionPool({
    limits,
    now: clock,
    createConnection: (origin) =>
      new FakeConnection(
        origin,
        clock,
        options.behaviours?.[FakeConnection.created.length],
      ),
  });
}

function get(
  url: string,
  extensions: Record<string, unknown> = {},
): Request {
  return new Request("GET", url, {
    extensions: { timeout: TIMEOUT, ...extensions },
  });
}

async function text(response: Response): Promise<string> {
  let out = "";
  for await (const chunk of response.stream) {
    out += new TextDecoder().decode(chunk);
  }
  return out;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("sequential requests reuse one connection", async () => {
  const pool = makePool(new Limits());
  for (let i = 0; i < 5; i++) {
    const response = await pool.handleRequest(get("http://a.test/"));
    assert.equal(pool.activeCount, 1);
    assert.equal(
      String(pool),
      "<ConnectionPool [Requests: 1 active, 0 queued | Connections: 1 active, 0 idle]>",
    );
    assert.equal(await text(response), "abc");
  }
  assert.equal(FakeConnection.created.length, 1);
  assert.equal(FakeConnection.created[0].requests, 5);
  assert.equal(
    pool.info(),
    "Requests: 0 active, 0 queued | Connections: 0 active, 1 idle",
  );
  await pool.close();
  assert.equal(FakeConnection.created[0].state, "CLOSED");
  assert.equal(pool.connectionCount, 0);
});

Deno.test("origins get their own connections (scheme, host and port)", async () => {
  const pool = makePool(new Limits());
  for (
    const url of [
      "http://a.test/",
      "https://a.test/",
      "http://a.test:8080/",
      "http://b.test/",
      "http://A.TEST/x",
      "http://a.test:80/y",
    ]
  ) {
    await text(await pool.handleRequest(get(url)));
  }
  assert.deepEqual(
    FakeConnection.created.map((c) =>
      `${c.origin.scheme}://${c.origin.host}:${c.origin.port}`
    ),
    [
      "http://a.test:80",
      "https://a.test:443",
      "http://a.test:8080",
      "http://b.test:80",
    ],
  );
  assert.equal(FakeConnection.created[0].requests, 3);
  await pool.close();
});

Deno.test("unsupported or missing schemes", async () => {
  const pool = makePool(new Limits());
  await assert.rejects(
    pool.handleRequest(get("ftp://a.test/")),
    (e: unknown) =>
      e instanceof UnsupportedProtocol &&
      e.message === "Request URL has an unsupported protocol 'ftp://'",
  );
  await assert.rejects(
    pool.handleRequest(get("/relative")),
    (e: unknown) =>
      e instanceof UnsupportedProtocol &&
      e.message ===
        "Request URL is missing an 'http://' or 'https://' protocol",
  );
  assert.equal(FakeConnection.created.length, 0);
  await pool.close();
});

Deno.test("maxConnections: extra requests wait, FIFO, and reuse released connections", async () => {
  const pool = makePool(new Limits({ maxConnections: 2 }));
  const r1 = await pool.handleRequest(get("http://a.test/1"));
  const r2 = await pool.handleRequest(get("http://a.test/2"));
  const order: string[] = [];
  const p3 = pool.handleRequest(get("http://a.test/3")).then((r) => {
    order.push("3");
    return r;
  });
  const p4 = pool.handleRequest(get("http://a.test/4")).then((r) => {
    order.push("4");
    return r;
  });
  await tick();
  assert.equal(pool.queuedCount, 2);
  assert.equal(pool.connectionCount, 2);
  assert.equal(
    pool.info(),
    "Requests: 2 active, 2 queued | Connections: 2 active, 0 idle",
  );
  assert.equal(await text(r2), "abc");
  const r3 = await p3;
  assert.deepEqual(order, ["3"]);
  assert.equal(pool.queuedCount, 1);
  await text(r1);
  const r4 = await p4;
  assert.deepEqual(order, ["3", "4"]);
  await text(r3);
  await text(r4);
  assert.equal(FakeConnection.created.length, 2);
  assert.equal(pool.idleCount, 2);
  await pool.close();
});

Deno.test("PoolTimeout after timeout.pool, and no slot is left behind", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }));
  const r1 = await pool.handleRequest(get("http://a.test/"));
  await assert.rejects(
    pool.handleRequest(
      get("http://a.test/", { timeout: { ...TIMEOUT, pool: 0.05 } }),
    ),
    (e: unknown) =>
      e instanceof PoolTimeout && /within 0\.05 seconds/.test(e.message),
  );
  assert.equal(pool.queuedCount, 0);
  assert.equal(await text(r1), "abc");
  const r2 = await pool.handleRequest(get("http://a.test/"));
  assert.equal(await text(r2), "abc");
  assert.equal(FakeConnection.created.length, 1);
  await pool.close();
});

Deno.test("at most maxKeepaliveConnections idle: the oldest idle closes", async () => {
  const pool = makePool(
    new Limits({ maxConnections: 10, maxKeepaliveConnections: 2 }),
  );
  const responses = await Promise.all(
    [1, 2, 3, 4].map((i) => pool.handleRequest(get(`http://a.test/${i}`))),
  );
  assert.equal(pool.connectionCount, 4);
  // Active connections do not count against the keep-alive limit.
  for (const response of responses) await text(response);
  assert.equal(pool.idleCount, 2);
  assert.equal(pool.connectionCount, 2);
  assert.deepEqual(
    FakeConnection.created.map((c) => c.state),
    ["CLOSED", "CLOSED", "IDLE", "IDLE"],
  );
  // The most recently released is reused first.
  await text(await pool.handleRequest(get("http://a.test/")));
  assert.deepEqual(FakeConnection.created.map((c) => c.requests), [
    1,
    1,
    1,
    2,
  ]);
  await pool.close();
});

Deno.test("expired idle connections are dropped at checkout", async () => {
  let now = 0;
  const pool = makePool(new Limits(), { clock: () => now });
  await text(await pool.handleRequest(get("http://a.test/")));
  now = 4;
  await text(await pool.handleRequest(get("http://a.test/")));
  assert.equal(FakeConnection.created.length, 1);
  now = 10;
  await text(await pool.handleRequest(get("http://a.test/")));
  assert.equal(FakeConnection.created.length, 2);
  assert.equal(FakeConnection.created[0].state, "CLOSED");
  assert.equal(pool.connectionCount, 1);
  await pool.close();
});

Deno.test("a full pool closes another origin's idle connection for a new one", async () => {
  const pool = makePool(new Limits({ maxConnections: 2 }));
  const a = await pool.handleRequest(get("http://a.test/"));
  await text(await pool.handleRequest(get("http://b.test/")));
  assert.equal(pool.idleCount, 1);
  const c = await pool.handleRequest(get("http://c.test/"));
  assert.equal(FakeConnection.created.length, 3);
  assert.equal(FakeConnection.created[1].state, "CLOSED");
  assert.equal(pool.connectionCount, 2);
  // A waiter is served the same way when a connection goes idle.
  const d = pool.handleRequest(get("http://d.test/"));
  await tick();
  assert.equal(pool.queuedCount, 1);
  await text(a);
  assert.equal(await text(await d), "abc");
  assert.equal(FakeConnection.created[0].state, "CLOSED");
  assert.equal(FakeConnection.created[3].origin.host, "d.test");
  await text(c);
  await pool.close();
});

Deno.test("closing a response early closes its connection and frees the slot", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }));
  const r1 = await pool.handleRequest(get("http://a.test/"));
  const waiting = pool.handleRequest(get("http://a.test/"));
  await r1.stream.close?.();
  const r2 = await waiting;
  assert.equal(FakeConnection.created[0].state, "CLOSED");
  assert.equal(FakeConnection.created.length, 2);
  assert.equal(await text(r2), "abc");
  // Closing twice releases once.
  await r1.stream.close?.();
  assert.equal(pool.activeCount, 0);
  await pool.close();
});

Deno.test("an exception in user code while streaming frees the slot", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }));
  const response = await pool.handleRequest(get("http://a.test/"));
  await assert.rejects(async () => {
    for await (const _chunk of response.stream) throw new Error("user bug");
  }, /user bug/);
  assert.equal(pool.activeCount, 0);
  assert.equal(pool.connectionCount, 0);
  assert.equal(
    await text(await pool.handleRequest(get("http://a.test/"))),
    "abc",
  );
  await pool.close();
});

Deno.test("abort while waiting, and while streaming, leaks no slot", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }));
  const controller = new AbortController();
  const r1 = await pool.handleRequest(
    get("http://a.test/", { signal: controller.signal }),
  );
  const waiter = new AbortController();
  const waiting = pool.handleRequest(
    get("http://a.test/", { signal: waiter.signal }),
  );
  await tick();
  assert.equal(pool.queuedCount, 1);
  waiter.abort(new Error("gave up"));
  await assert.rejects(
    waiting,
    (e: unknown) =>
      e instanceof RequestError && (e.cause as Error).message === "gave up",
  );
  assert.equal(pool.queuedCount, 0);

  // Aborting the first request's signal mid-body releases its slot even
  // though nobody closes the response.
  controller.abort(new Error("stop"));
  await tick();
  assert.equal(pool.activeCount, 0);
  assert.equal(pool.connectionCount, 0);
  assert.equal(
    await text(await pool.handleRequest(get("http://a.test/"))),
    "abc",
  );
  await assert.rejects(text(r1));
  await pool.close();
});

Deno.test("a failing connection frees its slot and the error is raised", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }), {
    behaviours: [{ fail: new ReadError("boom") }],
  });
  await assert.rejects(pool.handleRequest(get("http://a.test/")), /boom/);
  assert.equal(pool.connectionCount, 0);
  assert.equal(pool.activeCount, 0);
  assert.equal(
    await text(await pool.handleRequest(get("http://a.test/"))),
    "abc",
  );
  await pool.close();
});

Deno.test("ConnectionNotAvailable sends the request again on another connection", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }), {
    behaviours: [{ unavailable: true }],
  });
  const response = await pool.handleRequest(get("http://a.test/"));
  assert.equal(await text(response), "abc");
  assert.equal(FakeConnection.created.length, 2);
  await pool.close();
});

Deno.test("close() fails waiters, closes connections, refuses new requests", async () => {
  const pool = makePool(new Limits({ maxConnections: 1 }));
  const r1 = await pool.handleRequest(get("http://a.test/"));
  const waiting = pool.handleRequest(get("http://a.test/"));
  await tick();
  await pool.close();
  await assert.rejects(
    waiting,
    (e: unknown) => e instanceof TransportError && /closed/.test(e.message),
  );
  assert.equal(FakeConnection.created[0].state, "CLOSED");
  await assert.rejects(text(r1), ReadError);
  await assert.rejects(
    pool.handleRequest(get("http://a.test/")),
    TransportError,
  );
  assert.equal(pool.connectionCount, 0);
});

// ---- with real HTTP/1.1 connections over MockBackend ----

const OK = (body: string) =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

function mockPool(backend: MockBackend, limits = new Limits()): ConnectionPool {
  return new ConnectionPool({ limits, backend });
}

function wireRequest(
  method: string,
  url: string,
  options: { content?: string | AsyncIterable<Uint8Array> } = {},
): Request {
  const content = options.content;
  return new Request(method, url, {
    headers: { Host: new URL(url).host },
    content,
    extensions: { timeout: TIMEOUT },
  });
}

Deno.test("an idempotent request failing on a reused connection is retried once on a new one", async () => {
  const backend = new MockBackend([
    // The server closes the kept-alive connection as the request arrives.
    [OK("one"), AWAIT_WRITE],
    [OK("two")],
  ]);
  const pool = mockPool(backend);
  const first = await pool.handleRequest(wireRequest("GET", "http://a.test/"));
  assert.equal(await text(first), "one");
  const second = await pool.handleRequest(
    wireRequest("GET", "http://a.test/"),
  );
  assert.equal(await text(second), "two");
  assert.equal(backend.connections.length, 2);
  assert.match(backend.connections[1].writtenText(), /^GET \/ HTTP\/1\.1/);
  await pool.close();
});

Deno.test("POST and non-replayable bodies are not retried", async () => {
  for (
    const make of [
      () => wireRequest("POST", "http://a.test/", { content: "x" }),
      () =>
        wireRequest("PUT", "http://a.test/", {
          content: (async function* () {
            yield new TextEncoder().encode("streamed");
          })(),
        }),
    ]
  ) {
    const backend = new MockBackend([
      [OK("one"), AWAIT_WRITE],
      [OK("two")],
    ]);
    const pool = mockPool(backend);
    await text(await pool.handleRequest(wireRequest("GET", "http://a.test/")));
    await assert.rejects(pool.handleRequest(make()), RemoteProtocolError);
    assert.equal(backend.connections.length, 1);
    assert.equal(pool.connectionCount, 0);
    await pool.close();
  }
});

Deno.test("the retry happens once: a failing new connection raises", async () => {
  const backend = new MockBackend([
    [OK("one"), AWAIT_WRITE],
    [],
  ]);
  const pool = mockPool(backend);
  await text(await pool.handleRequest(wireRequest("GET", "http://a.test/")));
  await assert.rejects(
    pool.handleRequest(wireRequest("GET", "http://a.test/")),
    RemoteProtocolError,
  );
  assert.equal(backend.connections.length, 2);
  assert.equal(pool.connectionCount, 0);
  await pool.close();
});

Deno.test("a connection the server closed while idle is not reused", async () => {
  const backend = new MockBackend([[OK("one")], [OK("two")]]);
  const pool = mockPool(backend);
  await text(await pool.handleRequest(wireRequest("GET", "http://a.test/")));
  await tick();
  assert.equal(
    await text(await pool.handleRequest(wireRequest("GET", "http://a.test/"))),
    "two",
  );
  assert.equal(backend.connections.length, 2);
  assert.equal(backend.connections[1].writtenText().startsWith("GET"), true);
  await pool.close();
});

Deno.test("a request aborted while its connection is connecting leaves no slot", async () => {
  const inner = new MockBackend([OK("late")]);
  let connectSignal: AbortSignal | undefined;
  const backend = {
    connect(options: Parameters<MockBackend["connect"]>[0]) {
      connectSignal = options.signal;
      return new Promise<never>((_, reject) => {
        options.signal?.addEventListener(
          "abort",
          () => reject(options.signal?.reason),
          { once: true },
        );
      });
    },
    sleep: (seconds: number) => inner.sleep(seconds),
  };
  const pool = new ConnectionPool({
    limits: new Limits({ maxConnections: 1 }),
    backend,
  });
  const controller = new AbortController();
  const pending = pool.handleRequest(
    new Request("GET", "http://a.test/", {
      headers: { Host: "a.test" },
      extensions: { timeout: TIMEOUT, signal: controller.signal },
    }),
  );
  await tick();
  assert.equal(pool.connectionCount, 1);
  assert.ok(connectSignal !== undefined);
  controller.abort(new Error("cancel"));
  await assert.rejects(pending, RequestError);
  assert.equal(pool.connectionCount, 0);
  assert.equal(pool.activeCount, 0);
  await pool.close();
});

Deno.test("mapError maps what handleRequest and the bodies raise, for their request", async () => {
  FakeConnection.created = [];
  const seen: Array<[string, string]> = [];
  const pool = new ConnectionPool({
    limits: new Limits(),
    now: () => 0,
    createConnection: (origin) =>
      new FakeConnection(
        origin,
        () => 0,
        FakeConnection.created.length === 0 ? { fail: new Error("boom") } : {},
      ),
    mapError: (error, request) => {
      seen.push([(error as Error).message, request.url.path]);
      return new TypeError(`mapped: ${(error as Error).message}`);
    },
  });
  await assert.rejects(
    pool.handleRequest(get("http://example.org/first")),
    (e) => e instanceof TypeError && e.message === "mapped: boom",
  );
  // A body that fails mid-way: its error is mapped too.
  const response = await pool.handleRequest(get("http://example.org/second"));
  const iterator = response.stream[Symbol.asyncIterator]();
  await iterator.next();
  FakeConnection.created[1].close();
  await assert.rejects(
    iterator.next(),
    (e) => e instanceof TypeError && e.message === "mapped: Connection closed",
  );
  assert.deepEqual(seen, [["boom", "/first"], [
    "Connection closed",
    "/second",
  ]]);
  assert.equal(pool.activeCount, 0);
  await pool.close();
});
