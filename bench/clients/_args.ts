/**
 * The command line every benchmark client takes, and its one-line JSON
 * report.
 *
 * `<mode> <url> <count> <concurrency> [connections]` where mode is `get`
 * (count requests, concurrency in flight), `download` (one streamed GET,
 * count ignored) or `upload` (one streamed POST of `count` bytes).
 *
 * @module
 */

import process from "node:process";

/** Parsed benchmark arguments. */
export interface BenchArgs {
  mode: "get" | "download" | "upload";
  url: string;
  count: number;
  concurrency: number;
  connections: number;
  caFile: string | undefined;
}

/** Parse `Deno.args`. */
export function parseArgs(args: string[]): BenchArgs {
  const [mode, url, count, concurrency, connections] = args;
  if (mode !== "get" && mode !== "download" && mode !== "upload") {
    throw new Error(`unknown mode ${mode}`);
  }
  return {
    mode,
    url: url!,
    count: Number(count ?? 1),
    concurrency: Number(concurrency ?? 1),
    connections: Number(connections ?? concurrency ?? 1),
    caFile: Deno.env.get("BENCH_CA"),
  };
}

/**
 * Requests sent before the clock starts (`BENCH_WARMUP`, set by
 * bench/run.ts the same for every client), so that the run measures the
 * steady state and not a process's start.
 */
export function warmupCount(args: BenchArgs): number {
  return args.mode === "get" ? Number(Deno.env.get("BENCH_WARMUP") ?? 0) : 0;
}

/** Run `count` calls of `one` with `concurrency` loops in flight. */
export async function runLoops(
  count: number,
  concurrency: number,
  one: () => Promise<number>,
): Promise<number> {
  let left = count;
  let bytes = 0;
  const loop = async () => {
    while (left > 0) {
      left--;
      // Not `bytes += await one()`: that reads `bytes` before awaiting.
      const n = await one();
      bytes += n;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return bytes;
}

/** A body of `size` zero bytes in 64 KiB chunks, reusing one buffer. */
export async function* uploadBody(size: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(65536);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    left -= n;
    yield n === chunk.length ? chunk : chunk.subarray(0, n);
  }
}

/** CPU time (user + system) of this process so far, in microseconds. */
export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Print the report the orchestrator reads. */
export function report(
  requests: number,
  bytes: number,
  start: number,
  cpuStart: number,
): void {
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuMicros() - cpuStart;
  console.log(JSON.stringify({ requests, bytes, seconds, cpu }));
}

/**
 * Turns (`BENCH_TURNS=1`, for two clients measured against each other):
 * after its warm-up the client prints `ready`, then for each line `go N`
 * on its standard input sends N requests and prints their report, until
 * the input ends. The orchestrator lets two clients take turns, so both
 * see the machine in the same state, burst by burst.
 *
 * @returns Whether this run took turns (and is over).
 */
export async function takeTurns(
  args: BenchArgs,
  one: () => Promise<number>,
): Promise<boolean> {
  if (Deno.env.get("BENCH_TURNS") !== "1" || args.mode !== "get") return false;
  console.log("ready");
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let pending = "";
  for await (const text of lines) {
    pending += text;
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      const count = Number(pending.slice(0, end).split(" ")[1]);
      pending = pending.slice(end + 1);
      const cpuStart = cpuMicros();
      const start = performance.now();
      const bytes = await runLoops(count, args.concurrency, one);
      report(count, bytes, start, cpuStart);
    }
  }
  return true;
}
