/**
 * Incremental line splitting for `Response.iterLines()`.
 *
 * @module
 */

/**
 * The line breaks of Python's `str.splitlines()`, which HTTPX follows:
 * `\r\n`, `\n`, `\r`, `\v`, `\f`, `\x1c`, `\x1d`, `\x1e`, U+0085, U+2028 and
 * U+2029.
 */
// deno-lint-ignore no-control-regex
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;

/**
 * Split text into lines as it streams in, like Python's `str.splitlines()`
 * on the whole text (HTTPX 0.28's `iter_lines`): lines come without their
 * line break; a `\r` at the end of one piece and a `\n` at the start of the
 * next count as one break; the last line is yielded even without a break,
 * and a break at the very end does not make an extra empty line
 * (`"a\n"` → `["a"]`, `"a\n\n"` → `["a", ""]`).
 *
 * @param source Text pieces.
 * @returns The lines.
 */
export async function* iterLines(
  source: AsyncIterable<string>,
): AsyncIterable<string> {
  // Text after the last line break, with no break in it, except possibly a
  // final `\r` held back in case a `\n` follows.
  let pending = "";
  const breaks = new RegExp(LINE_BREAK);
  for await (const piece of source) {
    if (piece.length === 0) continue;
    const text = pending + piece;
    // Only the new text (and a held-back `\r`) can contain a break.
    breaks.lastIndex = pending.endsWith("\r")
      ? pending.length - 1
      : pending.length;
    let start = 0;
    let match: RegExpExecArray | null;
    while ((match = breaks.exec(text)) !== null) {
      if (match[0] === "\r" && match.index === text.length - 1) break;
      const line = text.slice(start, match.index);
      start = breaks.lastIndex;
      yield line;
    }
    pending = text.slice(start);
  }
  if (pending.length > 0) {
    yield pending.endsWith("\r") ? pending.slice(0, -1) : pending;
  }
}
