/**
 * Plugging `client.fetch` into a library that takes a `fetch` function.
 * Many SDKs and API clients accept `fetch` as an option; handing them
 * `client.fetch` sends their requests through an httpx `Client`: its base
 * URL, auth, cookie jar, event hooks, timeouts and connection pool,
 * while the library keeps working with web `Request`/`Response` objects.
 *
 * The "library" below is a tiny one written here, so the example needs no
 * third-party package.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

// ---------------------------------------------------------------------------
// A tiny fetch-accepting library, as many SDKs are written.

/** Any function with the web `fetch` signature. */
type FetchLike = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

/** A minimal JSON API client that sends everything through `fetch`. */
class TinyJsonApi {
  #fetch: FetchLike;
  #root: string;

  constructor(options: { fetch?: FetchLike; root?: string } = {}) {
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#root = options.root ?? "";
  }

  async get<T>(path: string): Promise<T> {
    const response = await this.#fetch(this.#root + path, {
      headers: { accept: "application/json" },
    });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return await response.json() as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await this.#fetch(this.#root + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status}`);
    return await response.json() as T;
  }

  /** Count the lines of a streamed body without holding it all. */
  async countLines(path: string): Promise<number> {
    const response = await this.#fetch(this.#root + path);
    let lines = 0;
    const reader = response.body!.pipeThrough(new TextDecoderStream())
      .getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const char of value) if (char === "\n") lines++;
    }
    return lines;
  }
}

// ---------------------------------------------------------------------------

interface Echo {
  headers: Record<string, string>;
  json?: unknown;
  url: string;
}

/** Use the library with plain `fetch`, then through an httpx client. */
export async function main(baseUrl: string): Promise<void> {
  const seen: string[] = [];
  await using client = new httpx.Client({
    baseUrl,
    headers: { "X-Api-Key": "example-key" },
    auth: ["user", "passwd"],
    timeout: 10,
    eventHooks: {
      request: [(request) => {
        seen.push(`${request.method} ${request.url.path}`);
      }],
    },
  });

  // The library only sees a fetch function; relative paths work because
  // the client has a base URL.
  const api = new TinyJsonApi({ fetch: client.fetch });

  const got = await api.get<Echo>("/get");
  console.log("X-Api-Key sent by the client:", got.headers["X-Api-Key"]);
  console.log("Authorization:", got.headers["Authorization"]);

  const posted = await api.post<Echo>("/post", { hello: "world" });
  console.log("posted JSON echoed back:", JSON.stringify(posted.json));

  // Basic auth checked by the server, credentials from the client.
  const auth = await api.get<{ authenticated: boolean }>(
    "/basic-auth/user/passwd",
  );
  console.log("authenticated:", auth.authenticated);

  // Cookies set along a redirect land in the client's jar.
  const cookies = await api.get<{ cookies: Record<string, string> }>(
    "/cookies/set?flavour=oatmeal",
  );
  console.log("cookies after redirect:", JSON.stringify(cookies.cookies));
  console.log("client jar:", client.cookies.get("flavour"));

  // Streamed bodies arrive as web streams, decoded.
  console.log("streamed lines:", await api.countLines("/stream/5"));

  // fetch's own conventions hold: redirect modes and TypeError failures.
  const manual = await client.fetch("/redirect/1", { redirect: "manual" });
  console.log(
    "manual redirect:",
    manual.status,
    manual.headers.get("location"),
  );
  await manual.body?.cancel();
  try {
    await client.fetch("http://127.0.0.1:1/unreachable");
  } catch (error) {
    const cause = (error as Error).cause as Error;
    console.log("failure:", (error as Error).name, "caused by", cause.name);
  }

  console.log("requests the client sent:", seen.join(", "));
}

if (import.meta.main) await runExample(main);
