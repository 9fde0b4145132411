/**
 * Event hooks: functions the client calls with every request just before
 * it is sent and with every response as soon as it arrives.
 *
 * Seed: 001 "перехватчики событий" (`event_hooks={'request': [log_request],
 * 'response': [log_response]}`).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Log every request and response, and raise on error statuses. */
export async function main(baseUrl: string): Promise<void> {
  function logRequest(request: httpx.Request): void {
    console.log(
      `Request event hook: ${request.method} ${request.url} - Waiting for response`,
    );
  }

  function logResponse(response: httpx.Response): void {
    const request = response.request;
    console.log(
      `Response event hook: ${request.method} ${request.url} - Status ${response.statusCode}`,
    );
  }

  // client = httpx.Client(event_hooks={'request': [...], 'response': [...]})
  await using client = new httpx.Client({
    eventHooks: { request: [logRequest], response: [logResponse] },
  });
  await client.get(`${baseUrl}/get`);

  // Hooks see every hop of a redirect chain.
  await client.get(`${baseUrl}/redirect/2`, { followRedirects: true });

  // Hooks may be async, and may change the request before it goes out.
  client.eventHooks.request.push(async (request) => {
    await Promise.resolve();
    request.headers.set("X-Request-Id", "req-42");
  });
  const r = await client.get(`${baseUrl}/headers`);
  console.log(
    "X-Request-Id seen by the server:",
    r.json<{ headers: Record<string, string> }>().headers["X-Request-Id"],
  );

  // A response hook that raises: every error status becomes an exception.
  // The body is not read yet when hooks run; read it first if you need it.
  await using strict = new httpx.Client({
    eventHooks: {
      response: [async (response) => {
        if (response.isError) {
          await response.read();
          response.raiseForStatus();
        }
      }],
    },
  });
  console.log("200 passes:", (await strict.get(`${baseUrl}/get`)).statusCode);
  try {
    await strict.get(`${baseUrl}/status/418`);
  } catch (error) {
    if (!(error instanceof httpx.HTTPStatusError)) throw error;
    console.log("418 raised:", error.message.split("\n")[0]);
  }
}

if (import.meta.main) await runExample(main);
