/**
 * Retries. Seed 002 configures requests with `Retry(total=3,
 * backoff_factor=1, status_forcelist=[429, 500, 502, 503, 504])` mounted
 * through an `HTTPAdapter`. HTTPX (and this port) offer `retries` on the
 * transport, which retries failed *connects* only; retrying on status
 * codes is a few lines of your own, shown here twice: as a loop around a
 * call, and as a transport wrapper mounted like requests' adapter.
 *
 * Seed: 002 "Session — 재시도 전략" and "재시도 | HTTPAdapter |
 * httpx.HTTPTransport".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

const STATUS_FORCELIST = new Set([429, 500, 502, 503, 504]);

const sleep = (seconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Seconds to wait before retry number `attempt` (0-based). */
function backoff(
  response: httpx.Response,
  attempt: number,
  backoffFactor: number,
): number {
  // Retry-After (in seconds) wins over the exponential back-off.
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter !== undefined && /^\d+(\.\d+)?$/.test(retryAfter)) {
    return Number(retryAfter);
  }
  return backoffFactor * 2 ** attempt;
}

/** Send a request, retrying up to `total` times on the listed statuses. */
async function requestWithRetries(
  client: httpx.Client,
  method: string,
  url: string,
  { total = 3, backoffFactor = 0.05 } = {},
): Promise<httpx.Response> {
  for (let attempt = 0;; attempt++) {
    const response = await client.request(method, url);
    if (!STATUS_FORCELIST.has(response.statusCode) || attempt >= total) {
      return response;
    }
    const delay = backoff(response, attempt, backoffFactor);
    console.log(
      `  ${response.statusCode} on attempt ${attempt + 1}, retrying in ${
        Math.round(delay * 1000)
      } ms`,
    );
    await sleep(delay);
  }
}

/**
 * requests' `HTTPAdapter(max_retries=Retry(...))` as a transport: it wraps
 * another transport and retries on the listed statuses.
 */
class RetryTransport implements httpx.BaseTransport {
  #inner: httpx.BaseTransport;
  #total: number;
  #backoffFactor: number;
  constructor(inner: httpx.BaseTransport, total = 3, backoffFactor = 0.05) {
    this.#inner = inner;
    this.#total = total;
    this.#backoffFactor = backoffFactor;
  }
  async handleRequest(request: httpx.Request): Promise<httpx.Response> {
    await request.read(); // keep the body, so it can be sent again
    for (let attempt = 0;; attempt++) {
      const response = await this.#inner.handleRequest(request);
      if (
        !STATUS_FORCELIST.has(response.statusCode) || attempt >= this.#total
      ) {
        return response;
      }
      await response.close(); // release the connection before retrying
      await sleep(backoff(response, attempt, this.#backoffFactor));
    }
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** A stand-in for an unreliable service: 503, then 429, then 200. */
function flakyService(): httpx.AppHandler {
  let calls = 0;
  return () => {
    calls++;
    if (calls === 1) return new Response("busy", { status: 503 });
    if (calls === 2) {
      return new Response("slow down", {
        status: 429,
        headers: { "retry-after": "0" },
      });
    }
    return Response.json({ ok: true, calls });
  };
}

/** Retry connects with the transport, and statuses with a loop. */
export async function main(baseUrl: string): Promise<void> {
  // Connect retries: HTTPTransport({ retries }) tries the connect again
  // (after 0, 0.5, 1 … s) before raising ConnectError.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const down = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`;
  listener.close();
  {
    await using client = new httpx.Client({
      transport: new httpx.HTTPTransport({ retries: 1 }),
    });
    try {
      await client.get(down);
    } catch (error) {
      if (!(error instanceof httpx.ConnectError)) throw error;
      console.log("connect retries exhausted:", error.name);
    }
    // A status code is an answer, not a failed connect: no retry.
    const r = await client.get(`${baseUrl}/status/503`);
    console.log("transport retries do not retry statuses:", r.statusCode);
  }

  // Status retries with a loop: a flaky service that recovers…
  {
    await using client = new httpx.Client({
      transport: new httpx.HTTPTransport({ retries: 3 }),
      mounts: { "all://flaky.test": new httpx.AppTransport(flakyService()) },
    });
    console.log("flaky service:");
    let r = await requestWithRetries(client, "GET", "http://flaky.test/");
    console.log("  ->", r.statusCode, r.json());

    // …and one that never does: the last response is returned.
    console.log(`${baseUrl.replace(/:\d+$/, ":<port>")}/status/503:`);
    r = await requestWithRetries(client, "GET", `${baseUrl}/status/503`, {
      total: 2,
    });
    console.log("  ->", r.statusCode, "after", 3, "attempts");
  }

  // As a mounted transport, like session.mount("https://", adapter).
  {
    const adapter = new RetryTransport(
      new httpx.AppTransport(flakyService()),
    );
    await using session = new httpx.Client({
      mounts: { "http://": adapter, "https://": adapter },
      headers: { "Authorization": "Bearer my_token" },
    });
    const r = await session.post("http://api.example.com/users", {
      json: { name: "Alice" },
    });
    console.log("RetryTransport:", r.statusCode, r.json());
  }
}

if (import.meta.main) await runExample(main);
