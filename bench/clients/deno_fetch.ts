// Deno's fetch: the default client, or Deno.createHttpClient({ http2: true }) with BENCH_HTTP2=1.
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
const caCerts = args.caFile ? [Deno.readTextFileSync(args.caFile)] : undefined;
const client = http2 || caCerts
  ? Deno.createHttpClient({
    http2,
    http1: !http2,
    caCerts,
    poolMaxIdlePerHost: args.connections,
  })
  : undefined;
// BENCH_SAME=1: what FetchTransport asks of fetch for a client.get():
// our default headers (taken from the library, as the transport passes
// them), manual redirects and a timeout signal.
const same = Deno.env.get("BENCH_SAME") === "1";
const headers = same ? await ourHeaders(args.url) : {};
const base: RequestInit & { client?: Deno.HttpClient } = client
  ? { client }
  : {};
const init = (): RequestInit & { client?: Deno.HttpClient } =>
  same
    ? {
      ...base,
      method: "GET",
      headers: { ...headers },
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    }
    : base;
const getOne = async () => {
  const response = await fetch(args.url, init());
  return (await response.arrayBuffer()).byteLength;
};
await runLoops(warmupCount(args), args.concurrency, getOne);
if (await takeTurns(args, getOne)) {
  client?.close();
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
  const response = await fetch(args.url, init());
  for await (const chunk of response.body!) bytes += chunk.byteLength;
} else {
  const body = ReadableStream.from(uploadBody(args.count));
  const response = await fetch(args.url, { ...base, method: "POST", body });
  await response.arrayBuffer();
  bytes = args.count;
}
report(requests, bytes, start, cpuStart);
client?.close();

async function ourHeaders(url: string): Promise<Record<string, string>> {
  const { Client } = await import("../../mod.ts");
  const { runtimeFetchHeaders } = await import("../../src/models/_web.ts");
  await using client = new Client();
  const headers = runtimeFetchHeaders(client.buildRequest("GET", url));
  return Array.isArray(headers) ? Object.fromEntries(headers) : headers;
}
