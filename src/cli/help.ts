/**
 * The `--help` text.
 *
 * @module
 */

import type { Style } from "./style.ts";

const ROWS: Array<[option: string, metavar: string, description: string]> = [
  [
    "-m, --method",
    "METHOD",
    "Request method, such as GET, POST, PUT, PATCH, DELETE, OPTIONS, HEAD. " +
    "[Default: GET, or POST if a request body is included]",
  ],
  [
    "-p, --params",
    "<NAME VALUE> ...",
    "Query parameters to include in the request URL.",
  ],
  ["-c, --content", "TEXT", "Byte content to include in the request body."],
  [
    "-d, --data",
    "<NAME VALUE> ...",
    "Form data to include in the request body.",
  ],
  [
    "-f, --files",
    "<NAME FILENAME> ...",
    "Form files to include in the request body.",
  ],
  ["-j, --json", "TEXT", "JSON data to include in the request body."],
  [
    "-h, --headers",
    "<NAME VALUE> ...",
    "Include additional HTTP headers in the request.",
  ],
  ["--cookies", "<NAME VALUE> ...", "Cookies to include in the request."],
  [
    "--auth",
    "<USER PASS>",
    "Username and password to include in the request. Specify '-' for the " +
    "password to use a password prompt. Note that using --verbose/-v will " +
    "expose the Authorization header, including the password encoding in a " +
    "trivially reversible format.",
  ],
  [
    "--proxy",
    "URL",
    "Send the request via a proxy. Should be the URL giving the proxy address.",
  ],
  [
    "--timeout",
    "FLOAT",
    "Timeout value to use for network operations, such as establishing the " +
    "connection, reading some data, etc... [Default: 5.0]",
  ],
  ["--follow-redirects", "", "Automatically follow redirects."],
  [
    "--no-verify",
    "",
    "Disable SSL verification. Deno cannot do this per connection: use --ca, " +
    "or run Deno with --unsafely-ignore-certificate-errors.",
  ],
  [
    "--ca",
    "FILE",
    "Trust the CA certificates in this PEM file instead of the system's.",
  ],
  [
    "--http2",
    "",
    "Send the request using HTTP/2, if the remote server supports it.",
  ],
  [
    "--download",
    "FILE",
    "Save the response content as a file, rather than displaying it.",
  ],
  ["-v, --verbose", "", "Verbose output. Show request as well as response."],
  ["--help", "", "Show this message and exit."],
];

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * The help: title, usage and a two-column table of options.
 *
 * @param style Colours, or none.
 * @param width The line width to wrap descriptions at (default 80).
 * @returns The text, ending in a newline.
 */
export function helpText(style: Style, width = 80): string {
  const left = ROWS.map(([option, metavar]) =>
    metavar === "" ? option : `${option} ${metavar}`
  );
  const column = Math.max(...left.map((text) => text.length)) + 3;
  const descriptionWidth = Math.max(30, width - column - 1);
  let out = `${style.bold("HTTPX")} \u{1F98B}\n\n` +
    "A next generation HTTP client.\n\n" +
    `Usage: ${style.bold("httpx")} ${style.name("<URL> [OPTIONS]")}\n\n`;
  ROWS.forEach(([option, metavar, description], index) => {
    const shown = style.bold(option) +
      (metavar === "" ? "" : ` ${style.name(metavar)}`);
    const pad = " ".repeat(column - 1 - left[index].length);
    const lines = wrap(description, descriptionWidth);
    out += ` ${shown}${pad}${lines[0]}\n`;
    for (const more of lines.slice(1)) {
      out += `${" ".repeat(column)}${more}\n`;
    }
  });
  return out;
}
