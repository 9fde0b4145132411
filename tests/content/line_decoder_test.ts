import assert from "node:assert/strict";
import { iterLines } from "../../src/content/line_decoder.ts";

async function lines(...pieces: string[]): Promise<string[]> {
  async function* source() {
    yield* pieces;
  }
  const out: string[] = [];
  for await (const line of iterLines(source())) out.push(line);
  return out;
}

// Expected values below are what HTTPX 0.28.1's `Response.iter_lines()`
// gives for the same input (checked with Python).

Deno.test("iterLines splits on \\n, \\r\\n and \\r, without the line endings", async () => {
  assert.deepEqual(await lines("a\r\nb\rc\n"), ["a", "b", "c"]);
  assert.deepEqual(await lines("a\nb"), ["a", "b"]);
});

Deno.test("iterLines: a trailing break adds no empty line, a blank line stays", async () => {
  assert.deepEqual(await lines("a\n"), ["a"]);
  assert.deepEqual(await lines("a\n\n"), ["a", ""]);
  assert.deepEqual(await lines("\n"), [""]);
  assert.deepEqual(await lines("\r\n"), [""]);
  assert.deepEqual(await lines("\r"), [""]);
  assert.deepEqual(await lines(""), []);
  assert.deepEqual(await lines(), []);
});

Deno.test("iterLines: \\r at the end of a piece and \\n at the start of the next is one break", async () => {
  assert.deepEqual(await lines("ab\r", "\ncd\r", "\r"), ["ab", "cd", ""]);
  assert.deepEqual(await lines("a\r", "\n", "b"), ["a", "b"]);
  assert.deepEqual(await lines("a\r", "b"), ["a", "b"]);
  assert.deepEqual(await lines("a\r", "", "\nb"), ["a", "b"]);
});

Deno.test("iterLines joins a line split over many pieces", async () => {
  assert.deepEqual(await lines("he", "l", "lo", " wor", "ld\nx", "y"), [
    "hello world",
    "xy",
  ]);
  assert.deepEqual(await lines("a", "\n", "\n", "b"), ["a", "", "b"]);
});

Deno.test("iterLines breaks on every separator str.splitlines knows", async () => {
  assert.deepEqual(
    await lines("a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i\n\n"),
    ["a", "b", "c", "d", "e", "f", "g", "h", "i", ""],
  );
});

Deno.test("iterLines: two decoders running interleaved do not disturb each other", async () => {
  async function* slow(parts: string[]) {
    for (const p of parts) {
      await Promise.resolve();
      yield p;
    }
  }
  const a = iterLines(slow(["1\n2", "\n3\n"]))[Symbol.asyncIterator]();
  const b = iterLines(slow(["x\ny\nz", "\n"]))[Symbol.asyncIterator]();
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    out.push(
      (await a.next()).value as string,
      (await b.next()).value as string,
    );
  }
  assert.deepEqual(out, ["1", "x", "2", "y", "3", "z"]);
});
