/**
 * Connection pool micro-benchmark: `deno bench -A bench/micro/pool_bench.ts`.
 *
 * A checkout and return through `ConnectionPool.handleRequest` against a
 * connection that answers at once with an empty body, so only the pool's
 * bookkeeping (idle stacks, sharing, release on body end) is measured.
 *
 * @module
 */

import type { Connection, Origin } from "../../src/connection/_interface.ts";
import { BytesStream } from "../../src/content/streams.ts";
import { Limits } from "../../src/config/limits.ts";
import { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { ConnectionPool } from "../../src/pool/connection_pool.ts";

/** A keep-alive connection that answers every request at once. */
class InstantConnection implements Connection {
  readonly origin: Origin;
  readonly httpVersion: string = "HTTP/1.1";
  #busy = false;

  constructor(origin: Origin) {
    this.origin = origin;
  }

  handleRequest(_request: Request): Promise<Response> {
    this.#busy = true;
    const stream = new BytesStream(new Uint8Array(0));
    const done = {
      close: (): void => {
        this.#busy = false;
      },
    };
    return Promise.resolve(
      new Response(200, {
        stream: {
          [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
          close: () => done.close(),
        },
      }),
    );
  }
  close(): void {}
  canHandleRequest(origin: Origin): boolean {
    return origin.host === this.origin.host;
  }
  isAvailable(): boolean {
    return !this.#busy;
  }
  hasExpired(): boolean {
    return false;
  }
  isIdle(): boolean {
    return !this.#busy;
  }
  isClosed(): boolean {
    return false;
  }
  info(): string {
    return "instant";
  }
}

const pool = new ConnectionPool({
  limits: new Limits({ maxConnections: 10, maxKeepaliveConnections: 10 }),
  createConnection: (origin) => new InstantConnection(origin),
});
const request = new Request("GET", "http://127.0.0.1:19081/13b");

Deno.bench("pool: checkout, empty response, return", async () => {
  const response = await pool.handleRequest(request);
  await response.read();
});

Deno.bench("pool: 8 concurrent checkouts and returns", async () => {
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      const response = await pool.handleRequest(request);
      await response.read();
    }),
  );
});
