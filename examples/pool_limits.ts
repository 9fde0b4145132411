/**
 * Pool limits: how many connections a client opens and keeps alive.
 *
 * Seed: 001 "Pool limit" (`httpx.Limits(max_keepalive_connections=5,
 * max_connections=10)`).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Configure the pool and see the limits at work. */
export async function main(baseUrl: string): Promise<void> {
  // limits = httpx.Limits(max_keepalive_connections=5, max_connections=10)
  const limits = new httpx.Limits({
    maxKeepaliveConnections: 5,
    maxConnections: 10,
  });
  console.log(limits);
  console.log("defaults:", new httpx.Limits());

  // client = httpx.Client(limits=limits)
  {
    await using client = new httpx.Client({ limits });
    // Twenty requests at once: at most ten connections are open at a
    // time; the other requests wait for a free one.
    const responses = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) => client.get(`${baseUrl}/anything/${i}`),
      ),
    );
    console.log(
      "20 concurrent requests:",
      responses.every((r) => r.statusCode === 200) ? "all 200" : "failed",
    );
  }

  // One connection only: a second request waits for the first to finish,
  // and gives up after the pool timeout.
  {
    await using client = new httpx.Client({
      limits: new httpx.Limits({ maxConnections: 1 }),
      timeout: new httpx.Timeout(5, { pool: 0.2 }),
    });
    await using held = await client.stream("GET", `${baseUrl}/stream/2`);
    try {
      await client.get(`${baseUrl}/get`);
      console.log("while the only connection is busy: not limited?!");
    } catch (error) {
      if (!(error instanceof httpx.PoolTimeout)) throw error;
      console.log("while the only connection is busy:", error.name);
    }
    await held.read(); // releases the connection
    const r = await client.get(`${baseUrl}/get`);
    console.log("once it is free again:", r.statusCode);
  }

  // No limits at all.
  const unlimited = new httpx.Limits({
    maxConnections: null,
    maxKeepaliveConnections: null,
    keepaliveExpiry: null,
  });
  console.log(unlimited);
}

if (import.meta.main) await runExample(main);
