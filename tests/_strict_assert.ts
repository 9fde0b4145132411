// Preloaded by `deno task test`: `console.assert` only logs in Deno, so a
// failing assertion in a doc example would not fail its test. Make it throw.
const original = console.assert;
console.assert = (condition?: boolean, ...data: unknown[]): void => {
  if (!condition) {
    original(condition, ...data);
    throw new Error(`Assertion failed: ${data.map(String).join(" ")}`);
  }
};
