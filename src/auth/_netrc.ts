/**
 * A parser for `.netrc` files: `machine`, `default`, `login`, `password`,
 * `account`; `macdef` bodies and `#` comments are skipped.
 *
 * @module
 */

/** The credentials of one `machine` (or `default`) entry. */
export interface NetrcEntry {
  /** The `login` value, `""` when absent. */
  login: string;
  /** The `password` value, `""` when absent. */
  password: string;
  /** The `account` value, `""` when absent. */
  account: string;
}

/** A parsed `.netrc` file. */
export interface Netrc {
  /** Entries by lower-cased machine name (a later entry replaces an earlier one, as Python's `netrc` does). */
  machines: Map<string, NetrcEntry>;
  /** The `default` entry, if any. */
  default?: NetrcEntry;
}

interface Token {
  text: string;
  // Index just past the token, to skip a macdef body.
  end: number;
}

// Tokens are separated by whitespace; `"…"` quotes a token (with `\`
// escapes), and `#` at the start of a token in keyword position begins a
// comment that runs to the end of the line.
function* tokens(
  text: string,
): Generator<Token, void, "skip-line" | "macdef" | undefined> {
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    while (pos < n && /\s/.test(text[pos])) pos++;
    if (pos >= n) return;
    let out = "";
    if (text[pos] === '"') {
      pos++;
      while (pos < n && text[pos] !== '"') {
        if (text[pos] === "\\" && pos + 1 < n) pos++;
        out += text[pos++];
      }
      pos++;
    } else {
      while (pos < n && !/\s/.test(text[pos])) {
        if (text[pos] === "\\" && pos + 1 < n) pos++;
        out += text[pos++];
      }
    }
    const command = yield { text: out, end: pos };
    if (command === "skip-line") {
      while (pos < n && text[pos] !== "\n") pos++;
    } else if (command === "macdef") {
      // The macro body runs to the first empty line.
      while (pos < n && text[pos] !== "\n") pos++;
      const blank = text.slice(pos).search(/\n[ \t]*(\r?\n|$)/);
      pos = blank === -1 ? n : pos + blank + 1;
    }
  }
}

/**
 * Parse the text of a `.netrc` file. Unknown keywords inside an entry are
 * skipped together with their value.
 *
 * @param text The file contents.
 * @returns The entries.
 */
export function parseNetrc(text: string): Netrc {
  const result: Netrc = { machines: new Map() };
  const lexer = tokens(text);
  let current: NetrcEntry | undefined;
  let step = lexer.next();
  const next = (command?: "skip-line" | "macdef"): string | undefined => {
    step = lexer.next(command);
    return step.done ? undefined : step.value.text;
  };
  while (!step.done) {
    const word = step.value.text;
    if (word.startsWith("#")) {
      next("skip-line");
      continue;
    }
    switch (word) {
      case "machine": {
        const name = next();
        if (name === undefined) return result;
        current = { login: "", password: "", account: "" };
        result.machines.set(name.toLowerCase(), current);
        break;
      }
      case "default":
        current = { login: "", password: "", account: "" };
        result.default = current;
        break;
      case "macdef":
        current = undefined;
        next(); // the macro name
        if (step.done) return result;
        next("macdef");
        continue;
      case "login":
      case "password":
      case "account": {
        const value = next();
        if (value === undefined) return result;
        if (current !== undefined) current[word] = value;
        break;
      }
      default:
        // An unknown keyword (`port`, …) and its value.
        if (current !== undefined) next();
        break;
    }
    next();
  }
  return result;
}

/**
 * The entry for a host: its `machine` entry, else the `default` entry.
 *
 * @param netrc The parsed file.
 * @param host The host to look up.
 * @returns The entry, or undefined.
 */
export function netrcLookup(
  netrc: Netrc,
  host: string,
): NetrcEntry | undefined {
  return netrc.machines.get(host.toLowerCase()) ?? netrc.default;
}
