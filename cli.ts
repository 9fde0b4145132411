/**
 * The `httpx` command-line client, the port of HTTPX's `httpx[cli]`:
 *
 * ```sh
 * deno run -A jsr:@x/httpx/cli https://example.org -v
 * ```
 *
 * Run `--help` for the options. Importing this module runs nothing; it
 * exports {@linkcode main} for embedding and tests.
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

export { main } from "./src/cli/main.ts";
export type { MainOptions } from "./src/cli/main.ts";
export type { TextSink } from "./src/cli/trace_printer.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
