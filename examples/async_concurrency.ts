/**
 * Concurrency: every call is async, so many requests can be in flight at
 * once on one client. Awaiting each in turn (the "wrong way") is slow;
 * starting them all and awaiting `Promise.all` (the "better way") is not.
 *
 * Seeds: 001 "Async Support" (`AsyncClient`, `aclose()`, `asyncio.run`,
 * trio, anyio), 002 "비동기" (`fetch_multiple`, `get_user_data` with
 * `return_exceptions=True`), 004 "Best Practices for Async".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

const seconds = (start: number): string =>
  `${((performance.now() - start) / 1000).toFixed(3)}s`;

/** Seed 004's `get_pokemon`: the name from one response. */
async function getPokemon(client: httpx.Client, url: string): Promise<string> {
  const resp = await client.get(url);
  // The local server echoes the query; pokeapi would send `name`.
  return resp.json<{ args: { name: string } }>().args.name;
}

/** Seed 002's `fetch_multiple`: the JSON of every 200 response. */
async function fetchMultiple(urls: string[]): Promise<unknown[]> {
  await using client = new httpx.AsyncClient({ timeout: 10 });
  const responses = await Promise.all(urls.map((url) => client.get(url)));
  return responses.filter((r) => r.statusCode === 200).map((r) => r.json());
}

/**
 * Seed 002's `get_user_data`: `asyncio.gather(..., return_exceptions=True)`
 * is `Promise.allSettled`.
 */
async function getUserData(
  baseUrl: string,
  userIds: number[],
): Promise<unknown[]> {
  await using client = new httpx.AsyncClient({
    baseUrl,
    headers: { Authorization: "Bearer token" },
    timeout: 15,
  });
  const settled = await Promise.allSettled(
    userIds.map((uid) => client.get(`/anything/users/${uid}`)),
  );
  const results: unknown[] = [];
  settled.forEach((outcome, i) => {
    if (outcome.status === "rejected") {
      const error = outcome.reason as Error;
      console.log(`  user ${userIds[i]} failed: ${error.name}`);
    } else if (outcome.value.statusCode === 200) {
      results.push(outcome.value.json<{ url: string }>().url.split("/").pop());
    }
  });
  return results;
}

/** Run requests one after another, then all at once. */
export async function main(baseUrl: string): Promise<void> {
  // async with httpx.AsyncClient() as client: r = await client.get(...)
  {
    await using client = new httpx.AsyncClient();
    const r = await client.get(`${baseUrl}/get`);
    console.log(r);
  }
  // The alternative: close it yourself (aclose() is close()).
  const client = new httpx.AsyncClient();
  await client.get(`${baseUrl}/get`);
  await client.aclose();
  console.log("AsyncClient is Client:", httpx.AsyncClient === httpx.Client);

  // The seed fetches 150 pokemon from pokeapi.co. Here: 10 requests to an
  // endpoint that takes 0.1 s to answer, so waiting is what costs time.
  const urls = Array.from(
    { length: 10 },
    (_, i) => `${baseUrl}/delay/0.1?name=pokemon-${i + 1}`,
  );

  // ===================== Wrong Way ==================
  let wrong: number;
  {
    await using client = new httpx.AsyncClient();
    const start = performance.now();
    const pokemons: string[] = [];
    for (const url of urls) {
      const resp = await client.get(url); // waits before starting the next
      pokemons.push(resp.json<{ args: { name: string } }>().args.name);
    }
    wrong = performance.now() - start;
    console.log(`wrong way: ${pokemons.length} names in ${seconds(start)}`);
  }

  // ===================== Better Way ==================
  {
    await using client = new httpx.AsyncClient();
    const start = performance.now();
    // Calling an async function starts it: no create_task needed.
    const tasks = urls.map((url) => getPokemon(client, url));
    const pokemons = await Promise.all(tasks);
    const better = performance.now() - start;
    console.log(`better way: ${pokemons.length} names in ${seconds(start)}`);
    console.log("names, in order:", pokemons.join(" "));
    console.log("better way is faster:", better < wrong);
  }

  // fetch_multiple(): the 404 is left out.
  const documents = await fetchMultiple([
    `${baseUrl}/json`,
    `${baseUrl}/status/404`,
    `${baseUrl}/uuid`,
  ]);
  console.log("fetchMultiple:", documents.length, "documents");

  // get_user_data(): successes and failures side by side.
  console.log("getUserData:", await getUserData(baseUrl, [1, 2, 3, 4, 5]));
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const down = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  listener.close();
  console.log("getUserData (server down):", await getUserData(down, [1, 2]));

  // Streaming with an async client: for await over iterBytes().
  {
    await using client = new httpx.AsyncClient();
    await using response = await client.stream("GET", `${baseUrl}/bytes/3000`);
    let total = 0;
    for await (const chunk of response.iterBytes()) total += chunk.length;
    console.log("streamed:", total, "bytes");
  }
}

if (import.meta.main) await runExample(main);
