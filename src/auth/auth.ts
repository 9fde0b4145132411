/**
 * The authentication flow contract and the simple schemes: no-op
 * {@linkcode Auth}, {@linkcode FunctionAuth} and {@linkcode BasicAuth}.
 *
 * @module
 */

import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";

/**
 * What {@linkcode Auth.authFlow} returns: a generator, sync or async, that
 * yields requests to send and receives each response back from `yield`.
 *
 * @example Retry once with a fresh token after a 401
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * class RefreshAuth extends httpx.Auth {
 *   override *authFlow(request: httpx.Request): httpx.AuthFlow {
 *     request.headers.set("Authorization", "Bearer old");
 *     const response: httpx.Response = yield request;
 *     if (response.statusCode === 401) {
 *       request.headers.set("Authorization", "Bearer new");
 *       yield request;
 *     }
 *   }
 * }
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(
 *     request.headers.get("authorization") === "Bearer new" ? 200 : 401,
 *   )
 * );
 * await using client = new httpx.Client({
 *   transport,
 *   auth: new RefreshAuth(),
 * });
 * const response = await client.get("https://example.org/");
 * console.assert(
 *   response.statusCode === 200 && response.history.length === 1,
 * );
 * ```
 */
export type AuthFlow =
  | Generator<Request, void, Response>
  | AsyncGenerator<Request, void, Response>;

/**
 * Base class of every authentication scheme. The client calls
 * {@linkcode Auth.authFlow} with the request; the flow yields the request
 * to send (with credentials added), receives the response, and may yield
 * further requests. When the flow returns, the last response goes to the
 * caller.
 *
 * The base class itself sends the request unchanged.
 *
 * @example A custom scheme that adds a token header
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * class TokenAuth extends httpx.Auth {
 *   override *authFlow(request: httpx.Request) {
 *     request.headers.set("X-Token", "secret");
 *     yield request;
 *   }
 * }
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.headers.get("x-token") ?? "" })
 * );
 * const client = new httpx.Client({ transport, auth: new TokenAuth() });
 * const response = await client.get("https://example.org/");
 * console.assert(response.text === "secret");
 * ```
 */
export class Auth {
  /** Read the request body before the flow starts (the flow uses `request.content`). */
  requiresRequestBody: boolean = false;
  /** Read every response body before it is sent back into the flow. */
  requiresResponseBody: boolean = false;

  /**
   * The flow: yield requests, receive responses (`const response = yield request;`).
   *
   * @param request The request about to be sent.
   * @returns A generator of requests that receives responses.
   */
  authFlow(request: Request): AuthFlow {
    return passThrough(request);
  }

  /**
   * {@linkcode Auth.authFlow} wrapped as one async generator that honours
   * {@linkcode Auth.requiresRequestBody} and
   * {@linkcode Auth.requiresResponseBody}, whether the flow is sync or
   * async. This is what the client drives; override it (instead of
   * `authFlow`) for a scheme that needs to do I/O around the flow.
   *
   * @param request The request about to be sent.
   * @returns An async generator of requests that receives responses.
   */
  async *asyncAuthFlow(
    request: Request,
  ): AsyncGenerator<Request, void, Response> {
    if (this.requiresRequestBody) await request.read();
    const flow = this.authFlow(request);
    let finished = false;
    try {
      let step = await flow.next(undefined as unknown as Response);
      while (!step.done) {
        const response: Response = yield step.value;
        if (this.requiresResponseBody) await response.read();
        step = await flow.next(response);
      }
      finished = true;
    } finally {
      if (!finished) await flow.return(undefined);
    }
  }
}

function* passThrough(request: Request): Generator<Request, void, Response> {
  yield request;
}

/**
 * Authentication by a function that takes the request and returns it (or a
 * promise of it) with credentials added. The client wraps a plain function
 * passed as `auth` in one of these.
 *
 * @example Add a bearer token
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const auth = new httpx.FunctionAuth((request) => {
 *   request.headers.set("Authorization", "Bearer abc");
 *   return request;
 * });
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: request.headers.get("authorization") ?? "",
 *   })
 * );
 * const client = new httpx.Client({ transport, auth });
 * const response = await client.get("https://example.org/");
 * console.assert(response.text === "Bearer abc");
 * ```
 */
export class FunctionAuth extends Auth {
  #fn: (request: Request) => Request | Promise<Request>;

  /**
   * Wrap a function as an auth scheme.
   *
   * @param fn Called once per request; returns the request to send.
   */
  constructor(fn: (request: Request) => Request | Promise<Request>) {
    super();
    this.#fn = fn;
  }

  /**
   * Yield what the function returns.
   *
   * @param request The request about to be sent.
   * @returns An async generator yielding one request.
   */
  override async *authFlow(
    request: Request,
  ): AsyncGenerator<Request, void, Response> {
    yield await this.#fn(request);
  }
}

const encoder = new TextEncoder();

function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/**
 * The value of a Basic `Authorization` (or `Proxy-Authorization`) header:
 * `Basic ` and the base64 of `username:password`, strings encoded as UTF-8.
 *
 * @param username The user name, as text or bytes.
 * @param password The password, as text or bytes.
 * @returns The header value.
 */
export function basicAuthHeader(
  username: string | Uint8Array,
  password: string | Uint8Array,
): string {
  const user = toBytes(username);
  const pass = toBytes(password);
  const joined = new Uint8Array(user.length + 1 + pass.length);
  joined.set(user, 0);
  joined[user.length] = 0x3a; // ":"
  joined.set(pass, user.length + 1);
  return `Basic ${joined.toBase64()}`;
}

/**
 * HTTP Basic authentication: every request gets
 * `Authorization: Basic base64(username:password)`, with no challenge
 * round trip. Passing `auth: [username, password]` to a client or request
 * does the same.
 *
 * @example Basic credentials on one request
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: request.headers.get("authorization") ?? "",
 *   })
 * );
 * const client = new httpx.Client({ transport });
 * const response = await client.get("https://example.org/", {
 *   auth: new httpx.BasicAuth("user", "pass"),
 * });
 * console.assert(response.text === "Basic dXNlcjpwYXNz");
 * ```
 */
export class BasicAuth extends Auth {
  #header: string;

  /**
   * Precompute the header for these credentials.
   *
   * @param username The user name (a string is encoded as UTF-8).
   * @param password The password (a string is encoded as UTF-8).
   */
  constructor(username: string | Uint8Array, password: string | Uint8Array) {
    super();
    this.#header = basicAuthHeader(username, password);
  }

  /**
   * Set the `Authorization` header and send the request once.
   *
   * @param request The request about to be sent.
   * @returns A generator yielding one request.
   */
  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("Authorization", this.#header);
    yield request;
  }
}
