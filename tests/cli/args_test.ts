import assert from "node:assert/strict";
import { type CliArgs, parseArgs } from "../../src/cli/args.ts";
import { UsageError } from "../../src/cli/usage_error.ts";

function run(argv: string[]): CliArgs {
  const result = parseArgs(argv);
  assert.equal(result.kind, "run");
  return (result as { kind: "run"; args: CliArgs }).args;
}

Deno.test("parseArgs: defaults for a bare URL", () => {
  const args = run(["https://example.org"]);
  assert.deepEqual(args, {
    url: "https://example.org",
    method: null,
    params: [],
    content: null,
    data: [],
    files: [],
    hasJson: false,
    json: undefined,
    headers: [],
    cookies: [],
    auth: null,
    proxy: null,
    timeout: 5,
    followRedirects: false,
    noVerify: false,
    ca: null,
    http2: false,
    download: null,
    verbose: false,
  });
});

const table: Array<[string[], Partial<CliArgs>]> = [
  [["u", "-m", "PUT"], { method: "PUT" }],
  [["u", "--method", "delete"], { method: "delete" }],
  [["u", "--method=PATCH"], { method: "PATCH" }],
  [["u", "-mHEAD"], { method: "HEAD" }],
  [["-m", "POST", "u"], { method: "POST" }],
  [["u", "-m", "GET", "-m", "POST"], { method: "POST" }],
  [["u", "-p", "a", "1", "--params", "a", "2"], {
    params: [["a", "1"], ["a", "2"]],
  }],
  [["u", "-c", "hello"], { content: "hello" }],
  [["u", "--content="], { content: "" }],
  [["u", "-d", "x", "1", "-d", "y", "2"], { data: [["x", "1"], ["y", "2"]] }],
  [["u", "-f", "upload", "a.txt"], { files: [["upload", "a.txt"]] }],
  [["u", "-j", '{"a": [1, 2]}'], { hasJson: true, json: { a: [1, 2] } }],
  [["u", "--json", "null"], { hasJson: true, json: null }],
  [["u", "-h", "X-A", "1", "--headers", "x-a", "2"], {
    headers: [["X-A", "1"], ["x-a", "2"]],
  }],
  [["u", "--cookies", "sid", "abc"], { cookies: [["sid", "abc"]] }],
  [["u", "--auth", "user", "pa ss"], { auth: ["user", "pa ss"] }],
  [["u", "--proxy", "http://127.0.0.1:3128"], {
    proxy: "http://127.0.0.1:3128",
  }],
  [["u", "--timeout", "0.25"], { timeout: 0.25 }],
  [["u", "--timeout=10"], { timeout: 10 }],
  [["u", "--follow-redirects"], { followRedirects: true }],
  [["u", "--no-verify"], { noVerify: true }],
  [["u", "--ca", "ca.pem"], { ca: "ca.pem" }],
  [["u", "--http2"], { http2: true }],
  [["u", "--download", "out.bin"], { download: "out.bin" }],
  [["u", "-v"], { verbose: true }],
  [["u", "--verbose"], { verbose: true }],
  [["-vmPOST", "u"], { verbose: true, method: "POST" }],
  [["-vh", "A", "b", "u"], { verbose: true, headers: [["A", "b"]] }],
  [["-v", "--", "-not-an-option"], { verbose: true, url: "-not-an-option" }],
  [["u", "-c", "--help-is-a-value"], { content: "--help-is-a-value" }],
];

for (const [argv, expected] of table) {
  Deno.test(`parseArgs: ${JSON.stringify(argv)}`, () => {
    const args = run(argv);
    for (const [key, value] of Object.entries(expected)) {
      assert.deepEqual(args[key as keyof CliArgs], value, key);
    }
    assert.equal(args.url, expected.url ?? "u");
  });
}

Deno.test("parseArgs: --help anywhere wins, even without a URL", () => {
  assert.deepEqual(parseArgs(["--help"]), { kind: "help" });
  assert.deepEqual(parseArgs(["u", "-m", "GET", "--help"]), { kind: "help" });
  assert.deepEqual(parseArgs(["--bogus", "--help"]), { kind: "help" });
  // After `--` it is the URL; -h means --headers, not help.
  assert.equal(run(["--", "--help"]).url, "--help");
  assert.throws(() => parseArgs(["u", "-h"]), UsageError);
});

const errors: Array<[string[], string]> = [
  [[], "Missing argument 'URL'"],
  [["-v"], "Missing argument 'URL'"],
  [["a", "b"], "Got unexpected extra argument (b)"],
  [["a", "b", "c"], "Got unexpected extra arguments (b c)"],
  [["u", "--bogus"], "No such option: --bogus"],
  [["u", "-x"], "No such option: -x"],
  [["u", "-m"], "Option '-m' requires an argument"],
  [["u", "--params", "a"], "Option '--params' requires 2 arguments"],
  [["u", "--auth", "user"], "Option '--auth' requires 2 arguments"],
  [["u", "--verbose=1"], "Option '--verbose' does not take a value"],
  [["u", "-j", "{nope"], "Invalid value for '-j' / '--json': Not valid JSON"],
  [
    ["u", "--timeout", "soon"],
    "Invalid value for '--timeout': 'soon' is not a valid float",
  ],
  [
    ["u", "--timeout", ""],
    "Invalid value for '--timeout': '' is not a valid float",
  ],
];

for (const [argv, message] of errors) {
  Deno.test(`parseArgs rejects ${JSON.stringify(argv)}`, () => {
    assert.throws(() => parseArgs(argv), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.message, message);
      return true;
    });
  });
}
