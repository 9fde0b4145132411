/**
 * Runs `smoke.ts` on Node: bundled by `deno bundle` into a temporary
 * `.mjs`, then run by `node` against its own local server. Skipped when
 * `node` is not installed.
 */
import assert from "node:assert/strict";

const decoder = new TextDecoder();

function nodeVersion(): string | null {
  try {
    const output = new Deno.Command("node", {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return output.success ? decoder.decode(output.stdout).trim() : null;
  } catch {
    return null;
  }
}

const version = nodeVersion();

Deno.test({
  name: "node smoke: the fetch path works on Node >= 20",
  ignore: version === null,
  async fn() {
    const major = Number(/^v(\d+)/.exec(version!)?.[1]);
    assert.ok(major >= 20, `Node ${version} is older than 20`);
    const dir = await Deno.makeTempDir({ prefix: "httpx_node_smoke_" });
    try {
      const bundle = `${dir}/smoke.mjs`;
      const built = await new Deno.Command(Deno.execPath(), {
        args: [
          "bundle",
          "--platform",
          "deno",
          "-o",
          bundle,
          new URL("smoke.ts", import.meta.url).pathname,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(built.success, decoder.decode(built.stderr));
      const ran = await new Deno.Command("node", {
        args: [bundle],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = decoder.decode(ran.stdout);
      assert.ok(ran.success, `${stdout}\n${decoder.decode(ran.stderr)}`);
      const report = JSON.parse(stdout.trim().split("\n").at(-1)!);
      assert.equal(report.node, version);
      assert.equal(report.transport, "FetchTransport");
      assert.deepEqual(report.redirected, {
        status: 200,
        history: [302],
        echo: {
          method: "GET",
          path: "/echo",
          body: "",
          cookie: "visited=yes",
          transferEncoding: null,
        },
      });
      assert.equal(report.posted.body, '{"runtime":"node"}');
      assert.equal(report.posted.cookie, "visited=yes");
      assert.equal(report.streamed.body, "streamed body");
      assert.equal(report.streamed.transferEncoding, "chunked");
      assert.equal(report.gzipped, "gzipped hello");
      assert.equal(report.viaFetch.body, "from client.fetch");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
