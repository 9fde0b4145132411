// Top-level httpx.get: a new client and connection for every request, as HTTPX documents.
import * as httpx from "../../mod.ts";
import {
  cpuMicros,
  parseArgs,
  report,
  runLoops,
  warmupCount,
} from "./_args.ts";

const args = parseArgs(Deno.args);
const getOne = async () => {
  const response = await httpx.get(args.url);
  return response.content.byteLength;
};
await runLoops(warmupCount(args), args.concurrency, getOne);
const cpuStart = cpuMicros();
const start = performance.now();
const bytes = await runLoops(args.count, args.concurrency, getOne);
report(args.count, bytes, start, cpuStart);
