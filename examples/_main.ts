/**
 * Shared entry point of the examples: run an example's `main` against the
 * base URL in `HTTPBIN_URL` (such as `https://httpbin.org`), or against the
 * embedded httpbin-like server (`examples/_server.ts`) when it is not set,
 * so every example works with no network.
 *
 * @module
 */

import { startServer } from "./_server.ts";

/** What every example exports: run it against an httpbin-like base URL. */
export type ExampleMain = (baseUrl: string) => Promise<void>;

/**
 * Run `main` with `HTTPBIN_URL`, or start the embedded server for the
 * duration of the run.
 *
 * @param main The example's `main`.
 */
export async function runExample(main: ExampleMain): Promise<void> {
  const fromEnv = Deno.env.get("HTTPBIN_URL");
  if (fromEnv) {
    await main(fromEnv.replace(/\/+$/, ""));
    return;
  }
  const server = await startServer();
  try {
    await main(server.url);
  } finally {
    await server.close();
  }
}
