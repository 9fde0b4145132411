/**
 * Command-line parsing for `httpx <URL> [OPTIONS]`, with click's rules:
 * options before or after the URL, `--name=value`, `-mPOST`, grouped short
 * flags (`-vm POST`), `--` ending the options, pair options taking the next
 * two words, and the last of a repeated single option winning.
 *
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** A `name value` pair given to a repeatable option. */
export type Pair = [name: string, value: string];

/** What the command line asks for. */
export interface CliArgs {
  /** The request URL. */
  url: string;
  /** `-m/--method`, or `null` for the default (GET, or POST with a body). */
  method: string | null;
  /** `-p/--params` pairs, in order. */
  params: Pair[];
  /** `-c/--content`, or `null`. */
  content: string | null;
  /** `-d/--data` pairs, in order (the last of a name wins when sent). */
  data: Pair[];
  /** `-f/--files` pairs of field name and file path. */
  files: Pair[];
  /** Whether `-j/--json` was given. */
  hasJson: boolean;
  /** The parsed `-j/--json` value (meaningful when `hasJson`). */
  json: unknown;
  /** `-h/--headers` pairs, in order. */
  headers: Pair[];
  /** `--cookies` pairs, in order. */
  cookies: Pair[];
  /** `--auth USER PASS` (PASS `-` means: prompt for it), or `null`. */
  auth: Pair | null;
  /** `--proxy URL`, or `null`. */
  proxy: string | null;
  /** `--timeout SECONDS` (default 5). */
  timeout: number;
  /** `--follow-redirects`. */
  followRedirects: boolean;
  /** `--no-verify` (Deno cannot honour it per connection; see `main`). */
  noVerify: boolean;
  /** `--ca FILE`: PEM certificates to trust instead of the system's. */
  ca: string | null;
  /** `--http2`. */
  http2: boolean;
  /** `--download FILE`, or `null`. */
  download: string | null;
  /** `-v/--verbose`. */
  verbose: boolean;
}

/** The outcome of parsing: show the help, or run a request. */
export type ParseResult =
  | { kind: "help" }
  | { kind: "run"; args: CliArgs };

type Arity = 0 | 1 | 2;

interface OptionSpec {
  long: string;
  short?: string;
  arity: Arity;
  apply(args: CliArgs, values: string[], label: string): void;
}

function pair(values: string[]): Pair {
  return [values[0], values[1]];
}

const OPTIONS: OptionSpec[] = [
  {
    long: "--method",
    short: "-m",
    arity: 1,
    apply: (a, [v]) => void (a.method = v),
  },
  {
    long: "--params",
    short: "-p",
    arity: 2,
    apply: (a, v) => void a.params.push(pair(v)),
  },
  {
    long: "--content",
    short: "-c",
    arity: 1,
    apply: (a, [v]) => void (a.content = v),
  },
  {
    long: "--data",
    short: "-d",
    arity: 2,
    apply: (a, v) => void a.data.push(pair(v)),
  },
  {
    long: "--files",
    short: "-f",
    arity: 2,
    apply: (a, v) => void a.files.push(pair(v)),
  },
  {
    long: "--json",
    short: "-j",
    arity: 1,
    apply: (a, [v], label) => {
      try {
        a.json = JSON.parse(v);
      } catch {
        throw new UsageError(`Invalid value for ${label}: Not valid JSON`);
      }
      a.hasJson = true;
    },
  },
  {
    long: "--headers",
    short: "-h",
    arity: 2,
    apply: (a, v) => void a.headers.push(pair(v)),
  },
  {
    long: "--cookies",
    arity: 2,
    apply: (a, v) => void a.cookies.push(pair(v)),
  },
  { long: "--auth", arity: 2, apply: (a, v) => void (a.auth = pair(v)) },
  { long: "--proxy", arity: 1, apply: (a, [v]) => void (a.proxy = v) },
  {
    long: "--timeout",
    arity: 1,
    apply: (a, [v], label) => {
      const n = v.trim() === "" ? NaN : Number(v);
      if (Number.isNaN(n)) {
        throw new UsageError(
          `Invalid value for ${label}: '${v}' is not a valid float`,
        );
      }
      a.timeout = n;
    },
  },
  {
    long: "--follow-redirects",
    arity: 0,
    apply: (a) => void (a.followRedirects = true),
  },
  { long: "--no-verify", arity: 0, apply: (a) => void (a.noVerify = true) },
  { long: "--ca", arity: 1, apply: (a, [v]) => void (a.ca = v) },
  { long: "--http2", arity: 0, apply: (a) => void (a.http2 = true) },
  { long: "--download", arity: 1, apply: (a, [v]) => void (a.download = v) },
  {
    long: "--verbose",
    short: "-v",
    arity: 0,
    apply: (a) => void (a.verbose = true),
  },
];

const BY_LONG = new Map(OPTIONS.map((o) => [o.long, o]));
const BY_SHORT = new Map(
  OPTIONS.filter((o) => o.short !== undefined).map((o) => [o.short!, o]),
);

function labelOf(spec: OptionSpec): string {
  return spec.short === undefined
    ? `'${spec.long}'`
    : `'${spec.short}' / '${spec.long}'`;
}

function defaults(): CliArgs {
  return {
    url: "",
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
  };
}

/**
 * Parse the words after `httpx`. `--help` anywhere (before a `--`) wins
 * over everything else, as click's eager help option does.
 *
 * @param argv The arguments, without the program name.
 * @returns `{ kind: "help" }` or `{ kind: "run", args }`.
 * @throws {UsageError} For an unknown option, a missing value, an invalid
 * `--json` or `--timeout`, a missing URL or an extra argument.
 */
export function parseArgs(argv: readonly string[]): ParseResult {
  const end = argv.indexOf("--");
  if ((end === -1 ? argv : argv.slice(0, end)).includes("--help")) {
    return { kind: "help" };
  }
  const args = defaults();
  const positional: string[] = [];

  const take = (
    spec: OptionSpec,
    first: string | null,
    index: number,
    word: string,
  ): number => {
    const values: string[] = first === null ? [] : [first];
    let i = index;
    while (values.length < spec.arity) {
      i += 1;
      if (i >= argv.length) {
        const needs = spec.arity === 1
          ? "requires an argument"
          : `requires ${spec.arity} arguments`;
        throw new UsageError(`Option '${word}' ${needs}`);
      }
      values.push(argv[i]);
    }
    spec.apply(args, values, labelOf(spec));
    return i;
  };

  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const name = eq === -1 ? word : word.slice(0, eq);
      const spec = BY_LONG.get(name);
      if (spec === undefined) {
        throw new UsageError(`No such option: ${name}`);
      }
      if (eq !== -1 && spec.arity === 0) {
        throw new UsageError(`Option '${name}' does not take a value`);
      }
      i = take(spec, eq === -1 ? null : word.slice(eq + 1), i, name);
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      // One or more short options: flags may be grouped; the first option
      // that takes a value takes the rest of the word as its first value.
      for (let j = 1; j < word.length; j++) {
        const name = `-${word[j]}`;
        const spec = BY_SHORT.get(name);
        if (spec === undefined) {
          throw new UsageError(`No such option: ${name}`);
        }
        if (spec.arity === 0) {
          spec.apply(args, [], labelOf(spec));
          continue;
        }
        const rest = word.slice(j + 1);
        i = take(spec, rest === "" ? null : rest, i, name);
        break;
      }
      continue;
    }
    positional.push(word);
  }

  if (positional.length === 0) throw new UsageError("Missing argument 'URL'");
  if (positional.length > 1) {
    const extra = positional.slice(1);
    throw new UsageError(
      `Got unexpected extra argument${extra.length > 1 ? "s" : ""} (${
        extra.join(" ")
      })`,
    );
  }
  args.url = positional[0];
  return { kind: "run", args };
}
