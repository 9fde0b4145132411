/**
 * Exceptions: `RequestError` for anything that went wrong while sending,
 * `HTTPStatusError` from `raiseForStatus()`, and the classes in between.
 *
 * Seeds: 001 "Exceptions" (`except httpx.RequestError as exc`), 002 "에러
 * 처리" (`safe_request`).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** A port that nothing listens on: bind one, then let it go. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The class chain of an error, up to `Error`. */
function lineage(error: unknown): string {
  const names: string[] = [];
  let proto = Object.getPrototypeOf(error);
  while (proto !== null && proto !== Error.prototype) {
    names.push(proto.constructor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names.join(" < ");
}

/**
 * Seed 002's `safe_request`, with httpx's classes: the JSON body, or
 * `null` after saying what went wrong.
 */
async function safeRequest(
  url: string,
  options: httpx.TopLevelNoBodyOptions = {},
): Promise<unknown> {
  try {
    const response = await httpx.get(url, { timeout: 10, ...options });
    response.raiseForStatus(); // 4xx, 5xx -> HTTPStatusError
    return response.json();
  } catch (error) {
    if (error instanceof httpx.TimeoutException) {
      console.log(`  timed out: ${url}`);
    } else if (error instanceof httpx.ConnectError) {
      console.log(`  could not connect: ${url}`);
    } else if (error instanceof httpx.HTTPStatusError) {
      const status = error.response.statusCode;
      console.log(`  HTTP error ${status}: ${url}`);
      if (status === 401) {
        console.log("  authentication needed: check the token");
      } else if (status === 429) {
        const retryAfter = error.response.headers.get("Retry-After") ?? 60;
        console.log(`  retry after ${retryAfter} seconds`);
      }
    } else if (error instanceof httpx.RequestError) {
      console.log(`  request failed: ${error.message}`);
    } else {
      throw error;
    }
    return null;
  }
}

/** Provoke and catch each kind of error. */
export async function main(baseUrl: string): Promise<void> {
  // try: httpx.get(...) except httpx.RequestError as exc: exc.request.url
  const nowhere = `http://127.0.0.1:${closedPort()}/`;
  try {
    await httpx.get(nowhere);
  } catch (error) {
    if (!(error instanceof httpx.RequestError)) throw error;
    console.log(
      `An error occurred while requesting ${Deno.inspect(error.request.url)}.`,
    );
    console.log(`  ${error.name}: ${lineage(error)}`);
  }

  // raiseForStatus() raises HTTPStatusError, which is not a RequestError:
  // catch both through HTTPError.
  for (const url of [nowhere, `${baseUrl}/status/500`]) {
    try {
      const response = await httpx.get(url);
      response.raiseForStatus();
    } catch (error) {
      if (error instanceof httpx.RequestError) {
        console.log(
          `RequestError while requesting ${String(error.request.url)}`,
        );
      } else if (error instanceof httpx.HTTPStatusError) {
        console.log(
          `Error response ${error.response.statusCode} while requesting ${
            String(error.request.url)
          }`,
        );
      } else {
        throw error;
      }
      console.log(
        "  instanceof httpx.HTTPError:",
        error instanceof httpx.HTTPError,
      );
    }
  }

  // safe_request() from seed 002.
  console.log(
    "safeRequest /get:",
    await safeRequest(`${baseUrl}/get`) !== null,
  );
  for (
    const url of [
      `${baseUrl}/delay/3`,
      nowhere,
      `${baseUrl}/status/401`,
      `${baseUrl}/status/429`,
      `${baseUrl}/status/503`,
      "ftp://example.org/file",
    ]
  ) {
    console.log(`safeRequest ${url.replace(baseUrl, "")}:`);
    const result = await safeRequest(url, { timeout: 0.2 });
    console.log("  ->", result);
  }

  // Errors that are not about the network.
  try {
    new httpx.URL("http://[::1");
  } catch (error) {
    if (!(error instanceof httpx.InvalidURL)) throw error;
    console.log(`${error.name}: ${error.message}`);
  }
  const streamed = await httpx.stream("GET", `${baseUrl}/get`);
  try {
    streamed.content;
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
  } finally {
    await streamed.close();
  }

  // A body that does not decode: a DecodingError (a RequestError).
  const broken = new httpx.AppTransport(() =>
    new Response("not really gzip", { headers: { "content-encoding": "gzip" } })
  );
  try {
    await httpx.get("http://broken.test/", { transport: broken });
  } catch (error) {
    if (!(error instanceof httpx.DecodingError)) throw error;
    console.log(`${error.name}: ${lineage(error)}`);
  }
}

if (import.meta.main) await runExample(main);
