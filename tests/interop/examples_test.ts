// Every example, run against the real httpbin (gunicorn) instead of the
// embedded server. Output differs from the snapshots (httpbin's own headers
// and JSON layout), so this checks that each example runs to completion.
import assert from "node:assert/strict";

const interop = Deno.env.get("HTTPX_INTEROP") !== undefined;
const httpbin = Deno.env.get("HTTPBIN_URL") ?? "http://127.0.0.1:18080";
const examplesDir = new URL("../../examples/", import.meta.url);

// Debian's httpbin has no /json route, which response_content.ts reads.
const needsRoutesDebianLacks = new Set(["response_content.ts"]);

const examples = interop
  ? [...Deno.readDirSync(examplesDir)]
    .map((entry) => entry.name)
    .filter((name) =>
      name.endsWith(".ts") && !name.startsWith("_") && name !== "demo.ts" &&
      !needsRoutesDebianLacks.has(name)
    )
    .sort()
  : [];

Deno.test({
  name: "every example runs against the real httpbin",
  ignore: !interop,
  async fn(t) {
    for (const name of examples) {
      await t.step(name, async () => {
        const output = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", new URL(name, examplesDir).pathname],
          env: { HTTPBIN_URL: httpbin, NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const stderr = new TextDecoder().decode(output.stderr);
        assert.equal(
          output.code,
          0,
          `${name} exited with ${output.code}:\n${stderr.slice(-2000)}`,
        );
        assert.ok(output.stdout.byteLength > 0, `${name} printed nothing`);
      });
    }
  },
});
