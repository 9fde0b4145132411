// undici's request() over a Pool (BENCH_CLIENT=fetch: Node's global fetch).
import { Pool } from "undici";

const [mode, url, count, concurrency, connections] = process.argv.slice(2);
const target = new URL(url);
const pool = new Pool(target.origin, {
  connections: Number(connections ?? concurrency),
  pipelining: 1,
});
const useFetch = process.env.BENCH_CLIENT === "fetch";
const cpuStart = process.cpuUsage();
const start = performance.now();
let bytes = 0;
let requests = 1;

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

if (mode === "get") {
  requests = Number(count);
  let left = requests;
  const loop = async () => {
    while (left > 0) {
      left--;
      // Not `bytes += await one()`: that reads `bytes` before awaiting.
      const n = await one();
      bytes += n;
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, loop));
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
