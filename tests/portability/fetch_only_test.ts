/**
 * The module graph a fetch-only runtime loads: importing `mod.ts` must not
 * touch `Deno.connect`, file APIs or `node:` modules, and `FetchTransport`
 * must work with `net` and `read` denied.
 */
import assert from "node:assert/strict";
import type { ProbeResult } from "./_probe.ts";

const ROOT = new URL("../../", import.meta.url);
const HERE = new URL("./", import.meta.url);

async function run(
  args: string[],
): Promise<{ ok: boolean; result: ProbeResult; error?: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `${stdout}\n${stderr}`);
  const report = JSON.parse(stdout.trim().split("\n").at(-1)!);
  assert.ok(report.ok, report.error);
  return report;
}

function checkProbe(result: ProbeResult): void {
  assert.deepEqual(result.touched, [], "APIs touched at import time");
  assert.equal(result.defaultTransport, "FetchTransport");
  assert.equal(result.status, 200);
  assert.deepEqual(result.echoed, {
    method: "POST",
    url: "https://api.example.test/v1/items",
    body: '{"name":"widget"}',
    auth: "Basic dXNlcjpwYXNz",
  });
  assert.equal(
    result.viaClientFetch,
    "https://api.example.test/v1/items?page=2",
  );
  assert.ok(result.readRefused, "reading a file should be refused");
  assert.notEqual(result.permissions.net, "granted");
  assert.notEqual(result.permissions.read, "granted");
}

Deno.test("portability: mod.ts in a worker with net and read denied, no sockets", async () => {
  const report = await run([
    "run",
    "--unstable-worker-options",
    "--no-prompt",
    // The parent reads the module files; the worker itself has no permission.
    `--allow-read=${ROOT.pathname}`,
    new URL("_spawn_worker.ts", HERE).pathname,
  ]);
  checkProbe(report.result);
});

Deno.test("portability: with --deny-net --deny-read the default is FetchTransport", async () => {
  const report = await run([
    "run",
    "--deny-net",
    "--deny-read",
    "--no-prompt",
    new URL("_denied_main.ts", HERE).pathname,
  ]);
  checkProbe(report.result);
  assert.equal(report.result.permissions.net, "denied");
});

interface InfoModule {
  specifier: string;
  dependencies?: Array<{
    specifier: string;
    code?: { specifier?: string };
    isDynamic?: boolean;
  }>;
}

Deno.test("portability: mod.ts imports node:, npm: and jsr: modules only lazily", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "mod.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: InfoModule[];
  };
  const staticOutside: string[] = [];
  const lazyNode: string[] = [];
  for (const module of info.modules) {
    for (const dependency of module.dependencies ?? []) {
      const target = dependency.code?.specifier ?? dependency.specifier;
      if (!/^(node|npm|jsr):/.test(target)) continue;
      if (dependency.isDynamic) lazyNode.push(target);
      else staticOutside.push(`${module.specifier} -> ${target}`);
    }
  }
  assert.deepEqual(staticOutside, []);
  // The lazily loaded built-ins are the ones the rules allow.
  for (const specifier of lazyNode) {
    assert.match(specifier, /^node:(crypto|zlib|stream)$/);
  }
  // Every module of the graph is the project's own.
  for (const module of info.modules) {
    assert.ok(
      module.specifier.startsWith(ROOT.href) ||
        module.specifier.startsWith("node:"),
      module.specifier,
    );
  }
});
