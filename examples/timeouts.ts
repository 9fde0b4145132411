/**
 * Timeouts: five seconds by default for connect, read, write and pool;
 * one number for all, `null` for none, or each one on its own.
 *
 * Seeds: 000 "Timeout", 001 "Timeouts (default 5s)", 002 "타임아웃 설정"
 * (`timeout=(5, 30)`), 004 `httpx.get(..., timeout=1)`.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Send requests with several timeout settings. */
export async function main(baseUrl: string): Promise<void> {
  // httpx.get('https://github.com/', timeout=1)
  let r = await httpx.get(`${baseUrl}/get`, { timeout: 1 });
  console.log("timeout: 1 ->", r);

  // No timeout at all.
  r = await httpx.get(`${baseUrl}/get`, { timeout: null });
  console.log("timeout: null ->", r);

  // A timeout shorter than the server takes. (Seed 001 uses 0.001 s
  // against github.com; here a server delay of 2 s and a 0.2 s timeout.)
  try {
    await httpx.get(`${baseUrl}/delay/2`, { timeout: 0.2 });
  } catch (error) {
    if (!(error instanceof httpx.TimeoutException)) throw error;
    console.log("timeout: 0.2 -> a TimeoutException");
  }

  // requests' timeout=(5, 30) is (connect, read): in HTTPX, a Timeout
  // with a default and the fields that differ.
  const timeout = new httpx.Timeout(30, { connect: 5 });
  console.log(timeout);
  r = await httpx.get(`${baseUrl}/get`, { timeout });
  console.log("Timeout(30, { connect: 5 }) ->", r);

  // Each phase separately: the read timeout fires between bytes.
  try {
    await httpx.get(`${baseUrl}/delay/2`, {
      timeout: new httpx.Timeout(5, { read: 0.2 }),
    });
  } catch (error) {
    if (!(error instanceof httpx.ReadTimeout)) throw error;
    console.log(`read: 0.2 -> ${error.name}: ${error.message}`);
  }

  // Client-wide defaults, overridden per request.
  await using client = new httpx.Client({ timeout: 10 });
  console.log("client timeout:", client.timeout);
  r = await client.get(`${baseUrl}/delay/0.1`, { timeout: 2 });
  console.log("per-request override ->", r);

  // Not in HTTPX: `total`, a deadline for the whole call. A server that
  // drips one byte every 0.2 s never trips a 1 s read timeout, but it
  // cannot hold the request past the total.
  try {
    await client.get(`${baseUrl}/drip`, {
      params: { duration: 4, numbytes: 20 },
      timeout: new httpx.Timeout({ read: 1, total: 0.5 }),
    });
  } catch (error) {
    if (!(error instanceof httpx.TimeoutException)) throw error;
    console.log(`total: 0.5 -> ${error.name}: ${error.message}`);
  }
}

if (import.meta.main) await runExample(main);
