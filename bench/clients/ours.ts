// One Client over our HTTPTransport (HTTP/1.1, or HTTP/2 with BENCH_HTTP2=1),
// or over FetchTransport with BENCH_TRANSPORT=fetch; timeouts of 60 s, or
// none with BENCH_TIMEOUT=none (the work of a bare fetch call).
import * as httpx from "../../mod.ts";
import {
  cpuMicros,
  parseArgs,
  report,
  runLoops,
  takeTurns,
  uploadBody,
  warmupCount,
} from "./_args.ts";

const args = parseArgs(Deno.args);
const http2 = Deno.env.get("BENCH_HTTP2") === "1";
const verify = args.caFile
  ? { caCerts: [Deno.readTextFileSync(args.caFile)] }
  : true;
const client = new httpx.Client({
  ...(Deno.env.get("BENCH_TRANSPORT") === "fetch"
    ? { transport: new httpx.FetchTransport({ http2, verify }) }
    : {}),
  http2,
  http1: !http2 || Deno.env.get("BENCH_HTTP1") === "1",
  verify,
  limits: new httpx.Limits({
    maxConnections: args.connections,
    maxKeepaliveConnections: args.connections,
  }),
  timeout: Deno.env.get("BENCH_TIMEOUT") === "none" ? null : 60,
});
const getOne = async () => {
  const response = await client.get(args.url);
  return response.content.byteLength;
};
await runLoops(warmupCount(args), args.concurrency, getOne);
if (await takeTurns(args, getOne)) {
  await client.close();
  Deno.exit(0);
}
const cpuStart = cpuMicros();
const start = performance.now();
let bytes = 0;
let requests = 1;
if (args.mode === "get") {
  requests = args.count;
  bytes = await runLoops(args.count, args.concurrency, getOne);
} else if (args.mode === "download") {
  await using response = await client.stream("GET", args.url);
  for await (const chunk of response.iterRaw()) bytes += chunk.byteLength;
} else {
  const response = await client.post(args.url, {
    content: uploadBody(args.count),
  });
  bytes = args.count;
  if (response.statusCode >= 300) {
    throw new Error(`status ${response.statusCode}`);
  }
}
report(requests, bytes, start, cpuStart);
await client.close();
