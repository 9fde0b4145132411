/**
 * ANSI styling for the command line's output, or none at all.
 *
 * @module
 */

/** The roles the output colours; each wraps text in its colour, or not. */
export interface Style {
  /** Whether this style adds escape codes. */
  readonly enabled: boolean;
  /** Bold text (titles, option names). */
  bold(text: string): string;
  /** Dimmed text (connection `*` lines). */
  dim(text: string): string;
  /** The status code and reason, coloured by class (2xx green …). */
  status(code: number, text: string): string;
  /** Header names, option metavars. */
  name(text: string): string;
  /** Request lines and the HTTP version. */
  method(text: string): string;
  /** Error class names. */
  error(text: string): string;
  /** JSON object keys. */
  key(text: string): string;
  /** JSON strings. */
  string(text: string): string;
  /** JSON numbers. */
  number(text: string): string;
  /** JSON `true`, `false` and `null`. */
  literal(text: string): string;
}

function sgr(code: string): (text: string) => string {
  return (text) => text === "" ? text : `\x1b[${code}m${text}\x1b[0m`;
}

const plain = (text: string): string => text;

/**
 * Make a style: ANSI colours when `enabled`, plain text otherwise.
 *
 * @param enabled Whether to emit escape codes.
 * @returns The style.
 */
export function createStyle(enabled: boolean): Style {
  if (!enabled) {
    return {
      enabled: false,
      bold: plain,
      dim: plain,
      status: (_code, text) => text,
      name: plain,
      method: plain,
      error: plain,
      key: plain,
      string: plain,
      number: plain,
      literal: plain,
    };
  }
  const green = sgr("32");
  const yellow = sgr("33");
  const red = sgr("31");
  return {
    enabled: true,
    bold: sgr("1"),
    dim: sgr("2"),
    status: (code, text) =>
      code < 300 ? green(text) : code < 400 ? yellow(text) : red(text),
    name: sgr("36"),
    method: sgr("1;34"),
    error: red,
    key: sgr("34"),
    string: green,
    number: sgr("36"),
    literal: sgr("35"),
  };
}

/**
 * Whether to colour: only for a terminal, and never when `NO_COLOR` is set
 * to a non-empty value (https://no-color.org).
 *
 * @param isTerminal Whether the output goes to a terminal.
 * @param noColor The value of `NO_COLOR`, if any.
 * @returns `true` to colour.
 */
export function shouldColor(
  isTerminal: boolean,
  noColor: string | undefined,
): boolean {
  return isTerminal && (noColor === undefined || noColor === "");
}
