/**
 * The `httpx` command: parse the arguments, send one request with a
 * `Client`, print the response heads (from the trace hook), then the body or
 * a download, and return the exit code.
 *
 * @module
 */

import {
  type BaseTransport,
  Client,
  type ClientOptions,
  type RequestFiles,
  type RequestOptions,
  type Response,
} from "../../mod.ts";
import { type CliArgs, parseArgs } from "./args.ts";
import { downloadResponse } from "./download.ts";
import { formatBody } from "./format_body.ts";
import { formatResponseHead } from "./format_head.ts";
import { helpText } from "./help.ts";
import { readPassword } from "./password_prompt.ts";
import { createStyle, shouldColor, type Style } from "./style.ts";
import { type TextSink, TracePrinter } from "./trace_printer.ts";
import { UsageError } from "./usage_error.ts";

/** Where `main` writes and what it may be handed instead of the defaults. */
export interface MainOptions {
  /** Receives standard output (default: `Deno.stdout`). */
  stdout?: TextSink;
  /** Receives standard error (default: `Deno.stderr`). */
  stderr?: TextSink;
  /**
   * Colour the output. Default: when stdout is the process's own terminal
   * and `NO_COLOR` is not set; never for a `stdout` given here.
   */
  color?: boolean;
  /**
   * Redraw the `--download` progress line as bytes arrive. Default: when
   * stderr is the process's own terminal.
   */
  liveProgress?: boolean;
  /** Reads the password for `--auth USER -` (default: a hidden prompt). */
  readPassword?: () => Promise<string>;
}

const encoder = new TextEncoder();

function fileSink(file: { write(p: Uint8Array): Promise<number> }): TextSink {
  return async (text) => {
    let bytes = encoder.encode(text);
    while (bytes.length > 0) {
      bytes = bytes.subarray(await file.write(bytes));
    }
  };
}

function isTerminal(file: { isTerminal(): boolean }): boolean {
  try {
    return file.isTerminal();
  } catch {
    return false;
  }
}

function noColorEnv(): string | undefined {
  try {
    return Deno.env.get("NO_COLOR");
  } catch {
    return undefined;
  }
}

const USAGE_HINT = "Usage: httpx <URL> [OPTIONS]\n" +
  "Try 'httpx --help' for help.\n\n";

const NO_VERIFY_NOTE =
  "Warning: --no-verify cannot be honoured: Deno cannot skip certificate " +
  "verification per connection. Pass --ca FILE with the server's CA " +
  "certificate (PEM), or run Deno with " +
  "--unsafely-ignore-certificate-errors. Verifying as usual.\n";

function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

async function openFiles(
  files: CliArgs["files"],
  opened: Deno.FsFile[],
): Promise<RequestFiles> {
  const out: Array<[string, [string, Deno.FsFile]]> = [];
  for (const [name, path] of files) {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (error) {
      const reason = error instanceof Deno.errors.NotFound
        ? "No such file or directory"
        : error instanceof Error
        ? error.message
        : String(error);
      throw new UsageError(
        `Invalid value for '-f' / '--files': '${path}': ${reason}`,
      );
    }
    opened.push(file);
    out.push([name, [basename(path), file]]);
  }
  return out;
}

async function readCa(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new UsageError(`Invalid value for '--ca': '${path}': ${reason}`);
  }
}

function defaultMethod(args: CliArgs): string {
  const hasBody = args.content !== null || args.data.length > 0 ||
    args.files.length > 0 || args.hasJson;
  return hasBody ? "POST" : "GET";
}

async function printHeadsWithoutTrace(
  response: Response,
  stdout: TextSink,
  style: Style,
): Promise<void> {
  for (const each of [...response.history, response]) {
    await stdout(formatResponseHead({
      httpVersion: each.httpVersion,
      statusCode: each.statusCode,
      reasonPhrase: each.reasonPhrase,
      headers: each.headers.wireItems(),
    }, style));
  }
}

/** What only tests and embedders inside this package hand to `runMain`. */
export interface MainInternals {
  /** Send through this transport instead of an `HTTPTransport`. */
  transport?: BaseTransport;
}

async function run(
  args: CliArgs,
  options: MainOptions & MainInternals,
  stdout: TextSink,
  stderr: TextSink,
  style: Style,
): Promise<number> {
  if (args.noVerify) await stderr(NO_VERIFY_NOTE);
  const clientOptions: ClientOptions = {
    timeout: args.timeout,
    http2: args.http2,
    proxy: args.proxy,
  };
  if (args.ca !== null) {
    clientOptions.verify = { caCerts: [await readCa(args.ca)] };
  }
  if (options.transport !== undefined) {
    clientOptions.transport = options.transport;
  }

  const opened: Deno.FsFile[] = [];
  try {
    const requestOptions: RequestOptions = {
      followRedirects: args.followRedirects,
    };
    if (args.params.length > 0) requestOptions.params = args.params;
    if (args.content !== null) requestOptions.content = args.content;
    if (args.data.length > 0) {
      requestOptions.data = Object.fromEntries(args.data);
    }
    if (args.files.length > 0) {
      requestOptions.files = await openFiles(args.files, opened);
    }
    if (args.hasJson) requestOptions.json = args.json;
    if (args.headers.length > 0) requestOptions.headers = args.headers;
    if (args.cookies.length > 0) {
      requestOptions.cookies = Object.fromEntries(args.cookies);
    }
    if (args.auth !== null) {
      const [user, pass] = args.auth;
      const password = pass !== "-"
        ? pass
        : await (options.readPassword ?? (() => readPassword(stderr)))();
      requestOptions.auth = [user, password];
    }
    const printer = new TracePrinter({
      verbose: args.verbose,
      style,
      write: stdout,
    });
    requestOptions.extensions = { trace: printer.trace };

    await using client = new Client(clientOptions);
    await using response = await client.stream(
      args.method ?? defaultMethod(args),
      args.url,
      requestOptions,
    );
    if (printer.responsesPrinted === 0) {
      await printHeadsWithoutTrace(response, stdout, style);
    }
    if (args.download !== null) {
      await downloadResponse(response, args.download, {
        stderr,
        live: options.liveProgress ?? isTerminal(Deno.stderr),
      });
    } else {
      await response.read();
      await stdout(formatBody(response, style));
    }
    return response.isSuccess ? 0 : 1;
  } finally {
    for (const file of opened) {
      try {
        file.close();
      } catch {
        // Already closed by the body stream.
      }
    }
  }
}

/**
 * Run the `httpx` command line: `httpx <URL> [OPTIONS]`, the port of HTTPX's
 * `httpx[cli]`. Prints each response head (status line and headers as
 * received), then the body: JSON indented, text as text, anything else as
 * `<N bytes of binary data>`; with `--download FILE` the body goes to the
 * file instead. `-v` adds the connection steps and the request heads.
 *
 * Exit codes: 0 when the final response is 2xx, 1 for any other status or a
 * request error (reported on stderr as `ClassName: message`), 2 for a bad
 * command line.
 *
 * @example Show the help (no network needed)
 * ```ts
 * import { main } from "jsr:@x/httpx/cli";
 *
 * const out: string[] = [];
 * const code = await main(["--help"], { stdout: (text) => void out.push(text) });
 * console.assert(code === 0);
 * console.assert(out.join("").includes("--follow-redirects"));
 * ```
 *
 * @param args The command-line words after the program name.
 * @param options Writers and other stand-ins (for tests and embedding).
 * @returns The exit code.
 */
export function main(
  args: string[],
  options: MainOptions = {},
): Promise<number> {
  return runMain(args, options);
}

/**
 * {@linkcode main} with internals (a stand-in transport) for tests.
 *
 * @param args The command-line words after the program name.
 * @param options Writers and other stand-ins.
 * @param internals A transport to send through.
 * @returns The exit code.
 */
export async function runMain(
  args: string[],
  options: MainOptions = {},
  internals: MainInternals = {},
): Promise<number> {
  const stdout = options.stdout ?? fileSink(Deno.stdout);
  const stderr = options.stderr ?? fileSink(Deno.stderr);
  const color = options.color ??
    (options.stdout === undefined &&
      shouldColor(isTerminal(Deno.stdout), noColorEnv()));
  const style = createStyle(color);
  const errorStyle = createStyle(
    options.color ?? (options.stderr === undefined &&
      shouldColor(isTerminal(Deno.stderr), noColorEnv())),
  );

  try {
    const parsed = parseArgs(args);
    if (parsed.kind === "help") {
      await stdout(helpText(style));
      return 0;
    }
    return await run(
      parsed.args,
      { ...options, ...internals },
      stdout,
      stderr,
      style,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      await stderr(`${USAGE_HINT}Error: ${error.message}\n`);
      return 2;
    }
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    const oneLine = message.split("\n", 1)[0];
    await stderr(`${errorStyle.error(name)}: ${oneLine}\n`);
    return 1;
  }
}
