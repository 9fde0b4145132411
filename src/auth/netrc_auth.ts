/**
 * {@linkcode NetRCAuth}: Basic credentials from a `.netrc` file.
 *
 * @module
 */

import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { Auth, basicAuthHeader } from "./auth.ts";
import { type Netrc, netrcLookup, parseNetrc } from "./_netrc.ts";

interface DenoLike {
  permissions?: {
    querySync?(descriptor: { name: string; [key: string]: unknown }): {
      state: string;
    };
  };
  env?: { get(name: string): string | undefined };
  readTextFileSync?(path: string): string;
  build?: { os: string };
  errors?: { NotFound?: new (...args: unknown[]) => Error };
}

function denoGlobal(): DenoLike | undefined {
  const value = (globalThis as { Deno?: unknown }).Deno;
  return typeof value === "object" && value !== null
    ? value as DenoLike
    : undefined;
}

function granted(
  deno: DenoLike,
  descriptor: { name: string; [key: string]: unknown },
): boolean {
  try {
    return deno.permissions?.querySync?.(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function readEnv(deno: DenoLike, name: string): string | undefined {
  if (!granted(deno, { name: "env", variable: name })) return undefined;
  try {
    return deno.env?.get(name);
  } catch {
    return undefined;
  }
}

function defaultNetrcPath(deno: DenoLike): string | undefined {
  const fromEnv = readEnv(deno, "NETRC");
  if (fromEnv) return fromEnv;
  const windows = deno.build?.os === "windows";
  const home = readEnv(deno, "HOME") ??
    (windows ? readEnv(deno, "USERPROFILE") : undefined);
  if (!home) return undefined;
  const separator = windows ? "\\" : "/";
  return `${home.replace(/[\\/]+$/, "")}${separator}.netrc`;
}

/**
 * Load the `.netrc` file: `file`, else `$NETRC`, else `~/.netrc`. Without
 * the permission to read it (or the environment), or when the default file
 * does not exist, it is treated as empty; never prompts.
 */
function loadNetrc(file: string | undefined): Netrc {
  const empty: Netrc = { machines: new Map() };
  const deno = denoGlobal();
  if (deno?.readTextFileSync === undefined) return empty;
  const path = file ?? defaultNetrcPath(deno);
  if (path === undefined) return empty;
  if (!granted(deno, { name: "read", path })) return empty;
  let text: string;
  try {
    text = deno.readTextFileSync(path);
  } catch (error) {
    const notFound = deno.errors?.NotFound;
    if (
      file === undefined && notFound !== undefined && error instanceof notFound
    ) {
      return empty;
    }
    throw error;
  }
  return parseNetrc(text);
}

/**
 * Basic authentication with the credentials a `.netrc` file holds for the
 * request's host (its `machine` entry, else its `default` entry). Requests
 * to hosts without an entry, or whose entry has no password, go out
 * unchanged.
 *
 * The file is read once, when the object is made: `file`, else the
 * `NETRC` environment variable, else `~/.netrc`. Without read (or env)
 * permission it is treated as empty rather than prompting; a missing
 * `file` given explicitly throws `Deno.errors.NotFound`.
 *
 * @example Credentials from a netrc file
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const file = await Deno.makeTempFile();
 * await Deno.writeTextFile(
 *   file,
 *   "machine example.org login user password pass\n",
 * );
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: request.headers.get("authorization") ?? "",
 *   })
 * );
 * const client = new httpx.Client({
 *   transport,
 *   auth: new httpx.NetRCAuth(file),
 * });
 * const response = await client.get("https://example.org/");
 * console.assert(response.text === "Basic dXNlcjpwYXNz");
 * await Deno.remove(file);
 * ```
 */
export class NetRCAuth extends Auth {
  #netrc: Netrc;

  /**
   * Read and parse the netrc file now.
   *
   * @param file The netrc file; `$NETRC` or `~/.netrc` when omitted.
   */
  constructor(file?: string) {
    super();
    this.#netrc = loadNetrc(file);
  }

  /**
   * Add Basic credentials for the request's host when the file has them.
   *
   * @param request The request about to be sent.
   * @returns A generator yielding one request.
   */
  override *authFlow(request: Request): Generator<Request, void, Response> {
    const entry = netrcLookup(this.#netrc, request.url.host);
    if (entry !== undefined && entry.password !== "") {
      request.headers.set(
        "Authorization",
        basicAuthHeader(entry.login, entry.password),
      );
    }
    yield request;
  }
}
