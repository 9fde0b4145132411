/**
 * `deno task demo`: a guided tour of the examples against the embedded
 * httpbin-like server. Starts the server, runs a curated sequence of
 * examples with a short heading each, stops the server.
 *
 * @module
 */

import { startServer } from "./_server.ts";
import type { ExampleMain } from "./_main.ts";
import { main as quickstart } from "./quickstart.ts";
import { main as queryParams } from "./query_params.ts";
import { main as jsonBodies } from "./json_and_binary_bodies.ts";
import { main as multipart } from "./multipart_uploads.ts";
import { main as statusCodes } from "./status_codes.ts";
import { main as streaming } from "./streaming.ts";
import { main as cookies } from "./cookies.ts";
import { main as redirects } from "./redirects.ts";
import { main as authentication } from "./authentication.ts";
import { main as client } from "./client.ts";
import { main as eventHooks } from "./event_hooks.ts";
import { main as asyncConcurrency } from "./async_concurrency.ts";
import { main as downloadProgress } from "./download_progress.ts";
import { main as appTransport } from "./app_transport.ts";
import { main as retries } from "./retries.ts";

/** The tour: a heading, what it shows, and the example to run. */
export const TOUR: Array<[string, string, ExampleMain]> = [
  ["Quickstart", "one request per HTTP verb", quickstart],
  ["Query parameters", "records, list values, merging", queryParams],
  ["JSON and binary bodies", "json, bytes, a generator", jsonBodies],
  ["Multipart uploads", "files, tuples, several files", multipart],
  ["Status codes", "codes and raiseForStatus()", statusCodes],
  ["Streaming", "iterBytes, iterText, iterLines, iterRaw", streaming],
  ["Cookies", "response cookies, domains, a client jar", cookies],
  ["Redirects", "nextRequest, followRedirects, history", redirects],
  ["Authentication", "Basic, Digest, tokens, a custom Auth", authentication],
  ["Client", "shared configuration and merging", client],
  ["Event hooks", "log requests and responses", eventHooks],
  ["Concurrency", "the wrong way and the better way", asyncConcurrency],
  [
    "Download progress",
    "a progress bar from numBytesDownloaded",
    downloadProgress,
  ],
  ["Calling an app in process", "AppTransport, no sockets", appTransport],
  ["Retries", "connect retries and a status-code retry loop", retries],
];

/** Run the tour against `baseUrl`. */
export async function main(baseUrl: string): Promise<void> {
  for (const [index, [title, what, run]] of TOUR.entries()) {
    const heading = `${index + 1}. ${title}: ${what}`;
    console.log(`\n${heading}\n${"=".repeat(heading.length)}`);
    await run(baseUrl);
  }
}

if (import.meta.main) {
  const server = await startServer();
  console.log("httpx tour, against the embedded server at", server.url);
  try {
    await main(server.url);
  } finally {
    await server.close();
  }
  console.log("\nDone: every example ran. See examples/ for the rest.");
}
