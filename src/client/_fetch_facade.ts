/**
 * `client.fetch(input, init)`: the web `fetch` signature, sent through a
 * `Client` (base URL, auth, cookies, hooks, timeouts, pool, mounts).
 *
 * @module
 */

import { HTTPError } from "../errors.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { fromWebRequest, toWebResponse } from "../models/_web.ts";
import type { BuildRequestOptions, SendOptions } from "./client.ts";

/**
 * The `fetch` signature `client.fetch` has.
 *
 * @example Call the client as `fetch`
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { json: { method: request.method } })
 * );
 * await using client = new httpx.Client({ transport });
 * const fetchLike: httpx.ClientFetch = client.fetch;
 * const response = await fetchLike("https://example.org/", {
 *   method: "POST",
 *   body: "x",
 * });
 * console.assert(response instanceof Response);
 * console.assert((await response.json()).method === "POST");
 * ```
 */
export type ClientFetch = (
  input: string | globalThis.URL | globalThis.Request,
  init?: RequestInit,
) => Promise<globalThis.Response>;

/** What {@linkcode clientFetch} needs of a client. */
export interface FetchingClient {
  /** Merge the client's configuration into a request. */
  buildRequest(
    method: string,
    url: string,
    options?: BuildRequestOptions,
  ): Request;
  /** Send it, handling auth and redirects. */
  send(request: Request, options?: SendOptions): Promise<Response>;
}

/**
 * Send a `fetch(input, init)` call through a client and answer with a web
 * `Response`, as `fetch` does:
 *
 * - The body is encoded by the web platform (`FormData`, `URLSearchParams`,
 *   `Blob`, text, with their `Content-Type`), then sent by the client; a
 *   `ReadableStream` body is streamed, every other body is sent from memory.
 * - `init.headers` are merged over the client's; relative URLs are joined
 *   to `baseUrl`; the client's auth, cookie jar, event hooks and timeouts
 *   apply.
 * - `redirect`: `"follow"` (the fetch default, whatever the client's
 *   `followRedirects`) follows with the client's redirect handling,
 *   `"manual"` returns the 3xx response itself, `"error"` rejects.
 * - The body is the decoded body, streamed with back-pressure; `url` and
 *   `redirected` are set.
 * - Errors as `fetch` raises them: an aborted `signal` rejects with its
 *   reason; a failed request rejects with a `TypeError` whose `cause` is
 *   the `httpx` error (`ConnectError`, `ReadTimeout`, …).
 *
 * @param client The client to send through.
 * @param input A URL (absolute, or relative to the client's `baseUrl`) or a web `Request`.
 * @param init The `fetch` options.
 * @returns The web response.
 */
export async function clientFetch(
  client: FetchingClient,
  input: string | globalThis.URL | globalThis.Request,
  init?: RequestInit,
): Promise<globalThis.Response> {
  const parts = await fromWebRequest(input, init);
  const signal = parts.signal;
  if (signal?.aborted) throw signal.reason;
  const options: BuildRequestOptions = { headers: parts.headers };
  if (parts.content !== undefined) options.content = parts.content;
  if (signal !== undefined) options.signal = signal;
  const request = client.buildRequest(parts.method, parts.url, options);
  const redirect = parts.redirect;
  let response: Response;
  try {
    response = await client.send(request, {
      stream: true,
      followRedirects: redirect === "follow",
    });
  } catch (error) {
    throw fetchError(error, signal);
  }
  if (redirect === "error" && response.hasRedirectLocation) {
    await response.close();
    throw new TypeError(
      `fetch failed: got a ${response.statusCode} redirect and redirect is "error"`,
    );
  }
  return toWebResponse(response, {
    url: response.url.toString(),
    redirected: response.history.length > 0,
    mapError: (error) => fetchError(error, signal),
  });
}

/**
 * The error `fetch` would raise: the signal's reason once it aborted, a
 * `TypeError` (cause: the `httpx` error) for a failed request, and
 * anything else (an error thrown by a hook, say) unchanged.
 */
function fetchError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof HTTPError) {
    return new TypeError(`fetch failed: ${error.message}`, { cause: error });
  }
  return error;
}
