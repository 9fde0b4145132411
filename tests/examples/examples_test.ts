/**
 * Runs every example of `examples/` as a user would (`deno run -A
 * examples/x.ts`, with `HTTPBIN_URL` pointing at the embedded server) and
 * compares its output with the snapshot in `tests/testdata/examples/x.txt`,
 * volatile parts (ports, dates, uuids, durations, the version) masked.
 *
 * `UPDATE=1 deno test -A tests/examples/` rewrites the snapshots.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startServer } from "../../examples/_server.ts";
import { maskOutput } from "./_mask.ts";

const ROOT = new URL("../../", import.meta.url);
const EXAMPLES = new URL("examples/", ROOT);
const SNAPSHOTS = new URL("tests/testdata/examples/", ROOT);
const UPDATE = Deno.env.get("UPDATE") === "1";

/** Every example file: `examples/*.ts` except helpers (`_*.ts`). */
function exampleNames(): string[] {
  return [...Deno.readDirSync(EXAMPLES)]
    .filter((entry) =>
      entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")
    )
    .map((entry) => entry.name.slice(0, -3))
    .sort();
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runExampleFile(name: string, baseUrl?: string): Promise<Run> {
  // A clean environment (so an HTTPBIN_URL or proxy setting of the caller
  // does not leak in), keeping what Deno needs to find its cache.
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  if (baseUrl !== undefined) env.HTTPBIN_URL = baseUrl;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `examples/${name}.ts`],
    cwd: ROOT,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function checkSnapshot(name: string, stdout: string): Promise<void> {
  const file = new URL(`${name}.txt`, SNAPSHOTS);
  const actual = maskOutput(stdout);
  if (UPDATE) {
    await Deno.writeTextFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      assert.fail(
        `No snapshot for examples/${name}.ts: run UPDATE=1 deno test -A tests/examples/`,
      );
    }
    throw error;
  }
  assert.equal(actual, expected, `examples/${name}.ts printed something else`);
}

const names = exampleNames();

Deno.test("examples: every example file is covered by a snapshot", () => {
  assert.ok(names.length >= 25, `only ${names.length} examples found`);
  if (UPDATE) return;
  const snapshots = [...Deno.readDirSync(SNAPSHOTS)]
    .map((entry) => entry.name.replace(/\.txt$/, ""))
    .sort();
  assert.deepEqual(snapshots, names);
});

for (const name of names) {
  if (name === "demo") continue;
  Deno.test({
    name: `examples/${name}.ts runs and prints its snapshot`,
    async fn() {
      const server = await startServer();
      let run: Run;
      try {
        run = await runExampleFile(name, server.url);
      } finally {
        await server.close();
      }
      assert.equal(
        run.code,
        0,
        `examples/${name}.ts exited with ${run.code}:\n${run.stderr}`,
      );
      await checkSnapshot(name, run.stdout);
    },
  });
}

Deno.test("examples/demo.ts (deno task demo) runs the tour and exits 0", async () => {
  // The demo starts and stops the embedded server itself.
  const run = await runExampleFile("demo");
  assert.equal(run.code, 0, `demo exited with ${run.code}:\n${run.stderr}`);
  await checkSnapshot("demo", run.stdout);
});

Deno.test("examples run with no HTTPBIN_URL, on their own server", async () => {
  const run = await runExampleFile("quickstart");
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^<Response \[200 OK\]>$/m);
});
