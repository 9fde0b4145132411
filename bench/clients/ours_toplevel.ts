// Top-level httpx.get: a new client and connection for every request, as HTTPX documents.
import * as httpx from "../../mod.ts";
import { cpuMicros, parseArgs, report, runLoops } from "./_args.ts";

const args = parseArgs(Deno.args);
const cpuStart = cpuMicros();
const start = performance.now();
const bytes = await runLoops(args.count, args.concurrency, async () => {
  const response = await httpx.get(args.url);
  return response.content.byteLength;
});
report(args.count, bytes, start, cpuStart);
