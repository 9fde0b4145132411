/**
 * `--auth USER -`: read the password from the terminal without echoing it,
 * or a line from stdin when stdin is not a terminal.
 *
 * @module
 */

import type { TextSink } from "./trace_printer.ts";

const ENTER = new Set([0x0a, 0x0d]);
const BACKSPACE = new Set([0x08, 0x7f]);
const INTERRUPT = new Set([0x03, 0x04]);

/**
 * Prompt on `stderr` and read one line from `Deno.stdin`.
 *
 * @param stderr Where the prompt goes.
 * @returns The password (without the line ending).
 * @throws {Error} When the input ends first or Ctrl-C is pressed.
 */
export async function readPassword(stderr: TextSink): Promise<string> {
  await stderr("Password: ");
  const raw = Deno.stdin.isTerminal();
  if (raw) Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(1);
  try {
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) {
        if (bytes.length > 0 || !raw) break;
        throw new Error("No password given");
      }
      const byte = buffer[0];
      if (ENTER.has(byte)) break;
      if (raw && INTERRUPT.has(byte)) throw new Error("Aborted");
      if (raw && BACKSPACE.has(byte)) {
        bytes.pop();
        continue;
      }
      bytes.push(byte);
    }
  } finally {
    if (raw) Deno.stdin.setRaw(false);
    await stderr("\n");
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
