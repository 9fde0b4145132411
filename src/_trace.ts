/**
 * Trace events named as httpcore names them: `<name>.started`, then
 * `<name>.complete` or `<name>.failed`.
 *
 * @module
 */

import type { TraceCallback } from "./_types.ts";

/**
 * Run `fn`, reporting it to `trace` as `name.started` / `.complete` /
 * `.failed`. Without a trace hook it is a plain call (the hot path pays
 * nothing).
 */
export async function traced<T>(
  trace: TraceCallback | undefined,
  name: string,
  info: Record<string, unknown>,
  fn: () => Promise<T>,
): Promise<T> {
  if (trace === undefined) return await fn();
  await trace(`${name}.started`, info);
  let result: T;
  try {
    result = await fn();
  } catch (exception) {
    await trace(`${name}.failed`, { exception });
    throw exception;
  }
  await trace(`${name}.complete`, { return_value: result });
  return result;
}
