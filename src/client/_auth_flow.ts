/**
 * Turning the `auth` option into an `Auth`, and driving its flow.
 *
 * @module
 */

import { Auth, BasicAuth, FunctionAuth } from "../auth/auth.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";

/**
 * What `auth` accepts: `[username, password]` (Basic), an {@linkcode Auth}
 * instance, or a function that takes the request and returns it.
 *
 * @example Three ways to send the same credentials
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.headers.get("authorization") })
 * );
 * await using client = new httpx.Client({ transport });
 * const ways: httpx.AuthTypes[] = [
 *   ["user", "pass"],
 *   new httpx.BasicAuth("user", "pass"),
 *   (request) => {
 *     request.headers.set("Authorization", "Basic dXNlcjpwYXNz");
 *     return request;
 *   },
 * ];
 * for (const auth of ways) {
 *   const response = await client.get("https://example.org/", { auth });
 *   console.assert(response.text === "Basic dXNlcjpwYXNz");
 * }
 * ```
 */
export type AuthTypes =
  | [username: string, password: string]
  | readonly [username: string, password: string]
  | Auth
  | ((request: Request) => Request | Promise<Request>);

/**
 * Normalise an `auth` option: a pair becomes {@linkcode BasicAuth}, a
 * function {@linkcode FunctionAuth}, an `Auth` is kept; `null` and
 * `undefined` give `null`.
 *
 * @throws {TypeError} For anything else.
 */
export function buildAuth(auth: AuthTypes | null | undefined): Auth | null {
  if (auth === null || auth === undefined) return null;
  if (auth instanceof Auth) return auth;
  if (Array.isArray(auth)) {
    const pair = auth as readonly unknown[];
    if (
      pair.length !== 2 || typeof pair[0] !== "string" ||
      typeof pair[1] !== "string"
    ) {
      throw new TypeError(
        `Invalid "auth" argument: expected a pair [username, password], got ${pair.length} items`,
      );
    }
    return new BasicAuth(pair[0], pair[1]);
  }
  if (typeof auth === "function") {
    return new FunctionAuth(auth as (request: Request) => Request);
  }
  throw new TypeError(`Invalid "auth" argument: ${String(auth)}`);
}

/**
 * The auth for one request: the explicit one, else Basic from the URL's
 * userinfo (the userinfo itself never goes on the wire), else a no-op.
 */
export function requestAuth(request: Request, auth: Auth | null): Auth {
  if (auth !== null) return auth;
  const { username, password } = request.url;
  if (username !== "" || password !== "") {
    return new BasicAuth(username, password);
  }
  return NO_AUTH;
}

/** The no-op scheme; it holds no state, so one instance serves every request. */
const NO_AUTH = new Auth();

/**
 * Drive `auth`'s flow: each request it yields is sent with `send` (which
 * follows redirects); every response but the last is read, closed and
 * appended to `history`, and the last one is returned. The flow is always
 * closed at the end.
 *
 * @param request The request to authenticate.
 * @param auth The scheme.
 * @param history The call's history (auth responses are appended to it).
 * @param send Sends one request through the redirect machinery.
 */
export async function sendHandlingAuth(
  request: Request,
  auth: Auth,
  history: Response[],
  send: (request: Request, history: Response[]) => Promise<Response>,
): Promise<Response> {
  if (isPassThrough(auth)) {
    // The no-op scheme's flow yields the request once and reads nothing:
    // send it without driving a generator.
    return await send(request, history);
  }
  const flow = auth.asyncAuthFlow(request);
  try {
    let step = await flow.next(undefined as unknown as Response);
    if (step.done) {
      throw new TypeError("The auth flow returned without yielding a request");
    }
    while (true) {
      const response = await send(step.value, history);
      try {
        step = await flow.next(response);
        if (step.done) return response;
        response.history = [...history];
        await response.read();
        history.push(response);
      } catch (error) {
        await response.close();
        throw error;
      }
    }
  } finally {
    await flow.return(undefined);
  }
}

/**
 * Whether `auth` is the base, no-op {@linkcode Auth} with its flow
 * untouched: it sends the request as it is and reads no body, so driving
 * its flow can be skipped.
 */
export function isPassThrough(auth: Auth): boolean {
  return Object.getPrototypeOf(auth) === Auth.prototype &&
    auth.asyncAuthFlow === Auth.prototype.asyncAuthFlow &&
    auth.authFlow === Auth.prototype.authFlow &&
    !auth.requiresRequestBody && !auth.requiresResponseBody;
}
