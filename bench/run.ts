/**
 * `deno task bench [--quick] [--rounds N] [--only name,name]`: our client
 * side by side with Deno's fetch, undici, Python HTTPX, aiohttp, and wrk /
 * h2load as the server's native ceiling, on loopback servers this script
 * starts (nginx with one worker, and a Deno.serve target) and stops by PID.
 *
 * Every client sends as many requests as it measures before its clock
 * starts, so that connections are open and the JIT has warmed up.
 * Clients run interleaved for several rounds (every other round in reverse
 * order); the report gives medians,
 * min–max, requests/s (or MB/s), CPU µs per request (user + system of the
 * client process over the workload) and the ratio to Deno's fetch, as
 * markdown and JSON under bench/results/.
 *
 * @module
 */

const root = new URL("..", import.meta.url).pathname;
// A state folder and ports of this run's own, so two runs can coexist.
const state = await Deno.makeTempDir({ prefix: "httpx-bench-" });
// nginx's worker runs as another user: it must be able to read the files.
await Deno.chmod(state, 0o755);
const [nginxPort, nginxTlsPort, denoPort] = freePorts(3);
const quick = Deno.args.includes("--quick");
const roundsArg = Deno.args.indexOf("--rounds");
const rounds = roundsArg >= 0
  ? Number(Deno.args[roundsArg + 1])
  : quick
  ? 1
  : 3;
const onlyArg = Deno.args.indexOf("--only");
const only = onlyArg >= 0 ? new Set(Deno.args[onlyArg + 1]!.split(",")) : null;
const clientsArg = Deno.args.indexOf("--clients");
const clientFilter = clientsArg >= 0
  ? Deno.args[clientsArg + 1]!.split(",")
  : null;
const MiB = 1024 * 1024;
const bigSize = (quick ? 64 : 256) * MiB;

const NGINX = `http://127.0.0.1:${nginxPort}`;
const NGINX_TLS = `https://localhost:${nginxTlsPort}`;
const DENO_SERVER = `http://127.0.0.1:${denoPort}`;
const CA = `${root}tests/testdata/tls/ca.pem`;

interface Workload {
  id: string;
  title: string;
  mode: "get" | "download" | "upload";
  url: string;
  count: number;
  concurrency: number;
  connections: number;
  unit: "req/s" | "MB/s";
  h2?: boolean;
}

const workloads: Workload[] = [
  {
    id: "seq",
    title: `${
      quick ? 1000 : 5000
    } sequential GETs of 13 B, one keep-alive connection`,
    mode: "get",
    url: `${NGINX}/13b`,
    count: quick ? 1000 : 5000,
    concurrency: 1,
    connections: 1,
    unit: "req/s",
  },
  {
    id: "par64",
    title: `${quick ? 5000 : 20000} GETs of 13 B, 64 in flight`,
    mode: "get",
    url: `${NGINX}/13b`,
    count: quick ? 5000 : 20000,
    concurrency: 64,
    connections: 64,
    unit: "req/s",
  },
  {
    id: "par64-deno",
    title: `${
      quick ? 5000 : 20000
    } GETs of 13 B, 64 in flight, Deno.serve target`,
    mode: "get",
    url: `${DENO_SERVER}/13b`,
    count: quick ? 5000 : 20000,
    concurrency: 64,
    connections: 64,
    unit: "req/s",
  },
  {
    id: "download",
    title: `streamed download of ${bigSize / MiB} MiB`,
    mode: "download",
    url: `${NGINX}/big.bin`,
    count: 1,
    concurrency: 1,
    connections: 1,
    unit: "MB/s",
  },
  {
    id: "upload",
    title: `streamed upload of ${bigSize / MiB} MiB`,
    mode: "upload",
    url: `${DENO_SERVER}/upload`,
    count: bigSize,
    concurrency: 1,
    connections: 1,
    unit: "MB/s",
  },
  {
    id: "h2",
    title: `HTTP/2: ${
      quick ? 5000 : 20000
    } GETs of 13 B, 64 in flight over one TLS connection`,
    mode: "get",
    url: `${NGINX_TLS}/13b`,
    count: quick ? 5000 : 20000,
    concurrency: 64,
    connections: 1,
    unit: "req/s",
    h2: true,
  },
  {
    id: "undici",
    title: `undici's scenario: ${
      quick ? 2000 : 10000
    } GETs of 64 KiB, 100 in flight, 50 connections`,
    mode: "get",
    url: `${NGINX}/64k`,
    count: quick ? 2000 : 10000,
    concurrency: 100,
    connections: 50,
    unit: "req/s",
  },
];

interface Client {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  accepts: (w: Workload) => boolean;
}

const deno = Deno.execPath();
const denoRun = (
  file: string,
) => [deno, "run", "-A", "--quiet", `${root}bench/clients/${file}`];
const python = "/usr/bin/python3";
const h1 = (w: Workload) => !w.h2;
const clients: Client[] = [
  { name: "httpx HTTPTransport", cmd: denoRun("ours.ts"), accepts: h1 },
  {
    name: "httpx HTTPTransport h2",
    cmd: denoRun("ours.ts"),
    env: { BENCH_HTTP2: "1" },
    accepts: (w) => !!w.h2,
  },
  {
    name: "httpx top-level get",
    cmd: denoRun("ours_toplevel.ts"),
    accepts: (w) => w.id === "seq",
  },
  {
    name: "httpx FetchTransport",
    cmd: denoRun("ours.ts"),
    env: { BENCH_TRANSPORT: "fetch" },
    accepts: (w) => w.mode === "get" && h1(w),
  },
  {
    name: "Deno fetch, same request",
    cmd: denoRun("deno_fetch.ts"),
    env: { BENCH_SAME: "1" },
    accepts: (w) => w.mode === "get" && h1(w),
  },
  {
    name: "httpx FetchTransport, no timeout",
    cmd: denoRun("ours.ts"),
    env: { BENCH_TRANSPORT: "fetch", BENCH_TIMEOUT: "none" },
    accepts: (w) => w.mode === "get" && h1(w),
  },
  { name: "Deno fetch", cmd: denoRun("deno_fetch.ts"), accepts: h1 },
  {
    name: "Deno fetch h2",
    cmd: denoRun("deno_fetch.ts"),
    env: { BENCH_HTTP2: "1" },
    accepts: (w) => !!w.h2,
  },
  {
    name: "undici request",
    cmd: ["node", `${root}bench/node/undici.mjs`],
    accepts: h1,
  },
  {
    name: "Node fetch",
    cmd: ["node", `${root}bench/node/undici.mjs`],
    env: { BENCH_CLIENT: "fetch" },
    accepts: (w) => w.mode === "get" && h1(w),
  },
  {
    name: "Python HTTPX AsyncClient",
    cmd: [python, `${root}bench/clients/py_httpx.py`],
    accepts: () => true,
    env: { BENCH_HTTP2: "" },
  },
  {
    name: "Python HTTPX Client",
    cmd: [python, `${root}bench/clients/py_httpx.py`],
    env: { BENCH_CLIENT: "sync" },
    accepts: (w) => w.id === "seq" || w.mode !== "get",
  },
  {
    name: "aiohttp",
    cmd: [python, `${root}bench/clients/py_aiohttp.py`],
    accepts: h1,
  },
];

interface Sample {
  rate: number;
  cpuPerRequest: number;
  rssKiB: number;
}

async function sh(
  cmd: string[],
  env: Record<string, string> = {},
): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
}

async function setup(): Promise<Deno.ChildProcess> {
  await Deno.mkdir(`${state}/www`, { recursive: true });
  await Deno.writeTextFile(`${state}/www/13b`, "Hello, world!");
  await Deno.writeFile(`${state}/www/64k`, new Uint8Array(65536).fill(120));
  const big = await Deno.open(`${state}/www/big.bin`, {
    write: true,
    create: true,
  });
  const chunk = new Uint8Array(MiB);
  crypto.getRandomValues(chunk.subarray(0, 65536));
  for (let i = 0; i < bigSize / MiB; i++) await big.write(chunk);
  big.close();
  await Deno.writeTextFile(
    `${state}/nginx.conf`,
    `worker_processes 1;
daemon on;
pid ${state}/nginx.pid;
error_log ${state}/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${state}/body; proxy_temp_path ${state}/proxy;
  fastcgi_temp_path ${state}/fcgi; uwsgi_temp_path ${state}/uwsgi; scgi_temp_path ${state}/scgi;
  keepalive_requests 1000000;
  sendfile on;
  default_type application/octet-stream;
  server { listen 127.0.0.1:${nginxPort}; root ${state}/www; }
  server {
    listen 127.0.0.1:${nginxTlsPort} ssl http2;
    ssl_certificate ${root}tests/testdata/tls/server.pem;
    ssl_certificate_key ${root}tests/testdata/tls/server-key.pem;
    http2_max_concurrent_streams 128;
    root ${state}/www;
  }
}
`,
  );
  const nginx = await sh(["nginx", "-c", `${state}/nginx.conf`]);
  if (!nginx.success) {
    throw new Error(
      `nginx did not start: ${new TextDecoder().decode(nginx.stderr)}`,
    );
  }
  const probe = await fetch(`${NGINX}/13b`);
  await probe.body?.cancel();
  if (probe.status !== 200) {
    throw new Error(`nginx answers ${probe.status} for /13b`);
  }
  const server = new Deno.Command(deno, {
    args: [
      "run",
      "-A",
      `${root}bench/servers/deno_server.ts`,
      String(denoPort),
    ],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  for (let i = 0; i < 100; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port: denoPort })).close();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return server;
}

async function teardown(server: Deno.ChildProcess): Promise<void> {
  try {
    const pid = Number((await Deno.readTextFile(`${state}/nginx.pid`)).trim());
    Deno.kill(pid, "SIGTERM");
  } catch { /* not running */ }
  try {
    server.kill("SIGTERM");
    await server.status;
  } catch { /* gone */ }
  await Deno.remove(state, { recursive: true }).catch(() => {});
}

/** `n` distinct TCP ports free on 127.0.0.1 right now (the OS picks them). */
function freePorts(n: number): number[] {
  const listeners = Array.from(
    { length: n },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of listeners) l.close();
  return ports;
}

/**
 * FetchTransport against fetch doing the same work, measured by taking
 * turns: the same requests with timeouts (a signal per request each), and
 * without timeouts against bare calls.
 */
const TURN_PAIRS = [
  {
    what: "FetchTransport against fetch sending the same requests",
    a: "httpx FetchTransport",
    b: "Deno fetch, same request",
  },
  {
    what: "FetchTransport without timeouts against bare fetch calls",
    a: "httpx FetchTransport, no timeout",
    b: "Deno fetch",
  },
];

/**
 * Turns each client process takes (of a tenth of the workload's requests
 * each); there are `rounds` pairs of processes, because a process's speed
 * also varies with its own start (memory layout, what V8 compiled when).
 */
const TURNS = 10;

interface TurnsOutcome {
  ratio:
    | {
      rate: number;
      cpu: number;
      turns: number;
      pairs: number;
      burst: number;
    }
    | string;
  a?: Sample[];
  b?: Sample[];
}

/** One client process that takes turns (see bench/clients/_args.ts). */
class TurnTaker {
  #process: Deno.ChildProcess;
  #lines: ReadableStreamDefaultReader<string>;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #pending = "";

  constructor(client: Client, w: Workload) {
    this.#process = new Deno.Command(client.cmd[0]!, {
      args: [...client.cmd.slice(1), ...clientArgs(w)],
      env: { ...clientEnv(client, w), BENCH_TURNS: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#lines = this.#process.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    this.#writer = this.#process.stdin.getWriter();
  }

  /** The next line the client prints. */
  async line(): Promise<string> {
    while (true) {
      const end = this.#pending.indexOf("\n");
      if (end >= 0) {
        const line = this.#pending.slice(0, end);
        this.#pending = this.#pending.slice(end + 1);
        return line;
      }
      const { value, done } = await this.#lines.read();
      if (done) throw new Error("the client ended before its report");
      this.#pending += value;
    }
  }

  /** Send `count` requests, and their rate and CPU per request. */
  async turn(count: number): Promise<Sample> {
    await this.#writer.write(new TextEncoder().encode(`go ${count}\n`));
    const r = JSON.parse(await this.line()) as {
      seconds: number;
      cpu: number;
    };
    return {
      rate: count / r.seconds,
      cpuPerRequest: r.cpu / count,
      rssKiB: 0,
    };
  }

  async close(): Promise<void> {
    await this.#writer.close().catch(() => {});
    await this.#lines.cancel().catch(() => {});
    await this.#process.status;
  }

  kill(): void {
    try {
      this.#process.kill();
    } catch {
      // Ended already.
    }
  }
}

/**
 * Two warmed-up clients take turns at bursts of requests (in alternating
 * order), so that each pair of bursts meets the machine in the same state;
 * `rounds` pairs of processes do so one after the other. The ratio of `a`
 * to `b` is the median over all pairs of bursts.
 */
async function takeTurnsBetween(
  a: Client,
  b: Client,
  w: Workload,
): Promise<TurnsOutcome> {
  const burst = Math.max(1, Math.round(w.count / 10));
  const samplesA: Sample[] = [];
  const samplesB: Sample[] = [];
  for (let round = 0; round < rounds; round++) {
    const takers: TurnTaker[] = [];
    try {
      // Either may warm up first.
      for (const client of round % 2 === 0 ? [a, b] : [b, a]) {
        const taker = new TurnTaker(client, w);
        takers.push(taker);
        const ready = await taker.line();
        if (ready !== "ready") throw new Error(`unexpected ${ready}`);
      }
      const [ta, tb] = round % 2 === 0 ? takers : takers.toReversed();
      for (let i = 0; i < TURNS; i++) {
        if (i % 2 === 0) {
          samplesA.push(await ta!.turn(burst));
          samplesB.push(await tb!.turn(burst));
        } else {
          samplesB.push(await tb!.turn(burst));
          samplesA.push(await ta!.turn(burst));
        }
      }
      await Promise.all(takers.map((t) => t.close()));
    } catch (error) {
      for (const taker of takers) taker.kill();
      return { ratio: `failed: ${String(error).slice(0, 200)}` };
    }
  }
  const rates = samplesA.map((s, i) => s.rate / samplesB[i]!.rate);
  const cpus = samplesA.map((s, i) =>
    s.cpuPerRequest / samplesB[i]!.cpuPerRequest
  );
  return {
    ratio: {
      rate: median(rates),
      cpu: median(cpus),
      turns: rates.length,
      pairs: rounds,
      burst,
    },
    a: samplesA,
    b: samplesB,
  };
}

/**
 * Requests every client sends before its clock starts in a `get` workload:
 * as many as it then measures. Connections are open by then, and V8 has
 * compiled the hot paths with its optimizing tier, which on this machine
 * takes a Deno client some 20,000 requests with 64 in flight: a shorter
 * warm-up measured the earlier tiers, where a bigger library pays more.
 */
function warmupCount(w: Workload): number {
  return w.mode === "get" ? w.count : 0;
}

/** A client's command line arguments for `w` (see bench/clients/_args.ts). */
function clientArgs(w: Workload): string[] {
  return [
    w.mode,
    w.url,
    String(w.count),
    String(w.concurrency),
    String(w.connections),
  ];
}

/** A client's environment for `w`: the CA, the warm-up, its own settings. */
function clientEnv(client: Client, w: Workload): Record<string, string> {
  return {
    BENCH_CA: CA,
    BENCH_WARMUP: String(warmupCount(w)),
    ...client.env,
  };
}

async function runClient(
  client: Client,
  w: Workload,
): Promise<Sample | string> {
  const timeFile = `${state}/time.txt`;
  const out = await sh(
    [
      "/usr/bin/time",
      "-f",
      "%M",
      "-o",
      timeFile,
      ...client.cmd,
      ...clientArgs(w),
    ],
    clientEnv(client, w),
  );
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
    const err = stderr.find((l) => /error/i.test(l)) ??
      stderr.slice(-3).join(" ");
    return `failed: ${err.slice(0, 200)}`;
  }
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
  const r = JSON.parse(line) as {
    requests: number;
    bytes: number;
    seconds: number;
    cpu: number;
  };
  const rssKiB = Number(
    (await Deno.readTextFile(timeFile)).trim().split("\n").pop(),
  );
  const rate = w.unit === "MB/s"
    ? r.bytes / 1e6 / r.seconds
    : r.requests / r.seconds;
  return { rate, cpuPerRequest: r.cpu / r.requests, rssKiB };
}

async function runNative(w: Workload): Promise<number | null> {
  if (w.mode !== "get") return null;
  if (w.h2) {
    const out = await sh([
      "h2load",
      "-n",
      String(w.count),
      "-c",
      "1",
      "-m",
      String(w.concurrency),
      w.url,
    ]);
    const m = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(
      new TextDecoder().decode(out.stdout),
    );
    return m ? Number(m[1]) : null;
  }
  const out = await sh(["wrk", "-t1", `-c${w.connections}`, "-d3s", w.url]);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(
    new TextDecoder().decode(out.stdout),
  );
  return m ? Number(m[1]) : null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

if (import.meta.main) {
  // Debian packages: nginx, wrk, h2load, python3-httpx, python3-h2, aiohttp, time.
  const install = await sh([
    "bash",
    `${root}scripts/interop_servers.sh`,
    "install",
  ]);
  if (!install.success) {
    console.error(
      "installing the benchmark peers failed; rows that need them will fail",
    );
  }
  const nodeModules = `${root}bench/node/node_modules/undici`;
  try {
    await Deno.stat(nodeModules);
  } catch {
    const npm = await sh([
      "npm",
      "install",
      "--prefix",
      `${root}bench/node`,
      "--no-audit",
      "--no-fund",
    ]);
    if (!npm.success) {
      console.error("npm install of undici failed; undici rows will fail");
    }
  }
  const server = await setup();
  const results: Record<
    string,
    Record<string, { samples: Sample[]; errors: string[] }>
  > = {};
  const native: Record<string, number | null> = {};
  const turns: Record<string, Array<{ what: string } & TurnsOutcome>> = {};
  try {
    for (const w of workloads) {
      if (only && !only.has(w.id)) continue;
      results[w.id] = {};
      native[w.id] = await runNative(w);
      const chosen = clients.filter((c) =>
        c.accepts(w) &&
        (!clientFilter || clientFilter.some((f) =>
          c.name.toLowerCase().includes(f.toLowerCase())
        ))
      );
      for (let round = 0; round < rounds; round++) {
        // Every other round in reverse order: a client is not always the
        // one that runs first (or last) after the machine's other work.
        for (const c of round % 2 === 0 ? chosen : chosen.toReversed()) {
          const entry = results[w.id]![c.name] ??= { samples: [], errors: [] };
          const sample = await runClient(c, w);
          if (typeof sample === "string") entry.errors.push(sample);
          else entry.samples.push(sample);
          console.error(
            `${w.id} round ${round + 1} ${c.name}: ${
              typeof sample === "string" ? sample : sample.rate.toFixed(1)
            }`,
          );
        }
      }
      for (const pair of TURN_PAIRS) {
        const a = chosen.find((c) => c.name === pair.a);
        const b = chosen.find((c) => c.name === pair.b);
        if (a === undefined || b === undefined) continue;
        const outcome = await takeTurnsBetween(a, b, w);
        (turns[w.id] ??= []).push({ what: pair.what, ...outcome });
        console.error(
          `${w.id} turns ${pair.a} / ${pair.b}: ${
            typeof outcome.ratio === "string"
              ? outcome.ratio
              : outcome.ratio.rate.toFixed(2)
          }`,
        );
      }
    }
  } finally {
    await teardown(server);
  }

  const version =
    JSON.parse(await Deno.readTextFile(`${root}deno.json`)).version;
  const cpuInfo =
    (await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)
      ?.[1] ?? "unknown CPU";
  const nodeVersion = new TextDecoder().decode(
    (await sh(["node", "--version"])).stdout,
  ).trim();
  const lines = [
    `# Benchmarks`,
    ``,
    `${
      new Date().toISOString().slice(0, 10)
    }, @x/httpx ${version}, Deno ${Deno.version.deno}, Node ${nodeVersion}, ${navigator.hardwareConcurrency} cores (${cpuInfo}), ${rounds} round(s)${
      quick ? ", quick" : ""
    }. Loopback; nginx with one worker.`,
    ``,
  ];
  if (quick) {
    lines.push(
      `Quick runs are too short for V8 to compile the clients' hot paths with its optimizing tier, so the Deno and Node figures and their ratios are not the steady state: run without --quick for those.`,
      ``,
    );
  }
  for (const w of workloads) {
    const rows = results[w.id];
    if (!rows) continue;
    const base = rows["Deno fetch"]?.samples.length
      ? rows["Deno fetch"]
      : rows["Deno fetch h2"];
    const baseRate = base?.samples.length
      ? median(base.samples.map((s) => s.rate))
      : null;
    const baseCpu = base?.samples.length
      ? median(base.samples.map((s) => s.cpuPerRequest))
      : null;
    lines.push(`## ${w.title}`, ``);
    lines.push(
      `| client | ${w.unit} (median) | min–max | CPU µs/req | × Deno fetch (${w.unit}) | × Deno fetch (CPU) | peak RSS MiB |`,
    );
    lines.push(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
    for (const [name, { samples, errors }] of Object.entries(rows)) {
      if (!samples.length) {
        lines.push(`| ${name} | ${errors[0] ?? "no result"} | | | | | |`);
        continue;
      }
      const rates = samples.map((s) => s.rate);
      const rate = median(rates);
      const cpu = median(samples.map((s) => s.cpuPerRequest));
      const rss = median(samples.map((s) => s.rssKiB)) / 1024;
      const fmt = (x: number) => x >= 100 ? x.toFixed(0) : x.toFixed(1);
      lines.push(
        `| ${name} | ${fmt(rate)} | ${fmt(Math.min(...rates))}–${
          fmt(Math.max(...rates))
        } | ${fmt(cpu)} | ${baseRate ? (rate / baseRate).toFixed(2) : ""} | ${
          baseCpu ? (cpu / baseCpu).toFixed(2) : ""
        } | ${rss.toFixed(0)} |`,
      );
    }
    if (native[w.id]) {
      lines.push(
        `| ${w.h2 ? "h2load" : "wrk"} (native ceiling) | ${
          native[w.id]!.toFixed(0)
        } | | | | | |`,
      );
    }
    lines.push(``);
    for (const { what, ratio } of turns[w.id] ?? []) {
      lines.push(
        typeof ratio === "string"
          ? `${what}, taking turns: ${ratio}.`
          : `${what}, taking turns: ${
            ratio.rate.toFixed(2)
          }× the ${w.unit} at ${
            ratio.cpu.toFixed(2)
          }× the CPU (medians of ${ratio.turns} turns of ${ratio.burst} requests, in ${ratio.pairs} ${
            ratio.pairs === 1 ? "pair" : "pairs"
          } of processes).`,
        ``,
      );
    }
  }
  const markdown = lines.join("\n");
  console.log(markdown);
  if (only !== null || clientsArg >= 0) {
    // A subset would replace the whole record with a part of it.
    console.log("(a subset run: bench/results/latest.* left as they were)");
  } else {
    await Deno.mkdir(`${root}bench/results`, { recursive: true });
    await Deno.writeTextFile(`${root}bench/results/latest.md`, markdown);
    await Deno.writeTextFile(
      `${root}bench/results/latest.json`,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          quick,
          rounds,
          results,
          native,
          turns,
        },
        null,
        2,
      ),
    );
  }
}
