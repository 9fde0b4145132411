/**
 * Main-module entry of the portability test, for `deno run --deny-net
 * --deny-read`: the sockets exist but are not permitted.
 *
 * @module
 */

import { probe } from "./_probe.ts";

console.log(JSON.stringify({ ok: true, result: await probe(false) }));
