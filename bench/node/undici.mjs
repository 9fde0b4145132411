// undici's request() over a Pool (BENCH_CLIENT=fetch: Node's global fetch).
import { Pool } from "undici";

const [mode, url, count, concurrency, connections] = process.argv.slice(2);
const target = new URL(url);
const pool = new Pool(target.origin, {
  connections: Number(connections ?? concurrency),
  pipelining: 1,
});
const useFetch = process.env.BENCH_CLIENT === "fetch";

async function* uploadBody(size) {
  const chunk = new Uint8Array(65536);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    left -= n;
    yield n === chunk.length ? chunk : chunk.subarray(0, n);
  }
}

async function one() {
  if (useFetch) {
    const response = await fetch(url);
    return (await response.arrayBuffer()).byteLength;
  }
  const { body } = await pool.request({
    path: target.pathname + target.search,
    method: "GET",
  });
  let n = 0;
  for await (const chunk of body) n += chunk.length;
  return n;
}

async function runLoops(total) {
  let left = total;
  let sum = 0;
  const loop = async () => {
    while (left > 0) {
      left--;
      // Not `sum += await one()`: that reads `sum` before awaiting.
      const n = await one();
      sum += n;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, loop));
  return sum;
}

// The warm-up every client does before the clock starts (BENCH_WARMUP, set
// by bench/run.ts).
if (mode === "get") {
  await runLoops(Number(process.env.BENCH_WARMUP ?? 0));
}
const cpuStart = process.cpuUsage();
const start = performance.now();
let bytes = 0;
let requests = 1;
if (mode === "get") {
  requests = Number(count);
  bytes = await runLoops(requests);
} else if (mode === "download") {
  const { body } = await pool.request({ path: target.pathname, method: "GET" });
  for await (const chunk of body) bytes += chunk.length;
} else {
  const { body } = await pool.request({
    path: target.pathname,
    method: "POST",
    body: uploadBody(Number(count)),
  });
  for await (const _ of body) { /* drain */ }
  bytes = Number(count);
}
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    requests,
    bytes,
    seconds: (performance.now() - start) / 1000,
    cpu: cpu.user + cpu.system,
  }),
);
await pool.close();
