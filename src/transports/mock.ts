/**
 * {@linkcode MockTransport}: answer requests with a function, for tests.
 *
 * @module
 */

import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import type { BaseTransport } from "./base.ts";

/**
 * The function a {@linkcode MockTransport} calls for every request.
 *
 * @example Echo the request body
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const echo: httpx.MockHandler = (request) =>
 *   new httpx.Response(200, { content: request.content });
 * await using client = new httpx.Client({
 *   transport: new httpx.MockTransport(echo),
 * });
 * const response = await client.post("https://example.org/", {
 *   json: { a: 1 },
 * });
 * console.assert(response.text === '{"a":1}');
 * ```
 */
export type MockHandler = (request: Request) => Response | Promise<Response>;

/**
 * A transport that calls a function instead of using the network. The
 * request body is read before the handler runs, so `request.content` is
 * always available inside it. Errors thrown by the handler reach the caller
 * unchanged.
 *
 * @example Route requests in a test
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) => {
 *   if (request.url.path === "/users/1") {
 *     return new httpx.Response(200, { json: { id: 1, name: "Ada" } });
 *   }
 *   return new httpx.Response(404);
 * });
 * const client = new httpx.Client({ transport });
 * const found = await client.get("https://api.example/users/1");
 * console.assert(found.json<{ name: string }>().name === "Ada");
 * const missing = await client.get("https://api.example/users/2");
 * console.assert(missing.statusCode === 404);
 * ```
 */
export class MockTransport implements BaseTransport {
  #handler: MockHandler;

  /**
   * Wrap a handler function.
   *
   * @param handler Called with each request; returns the response.
   */
  constructor(handler: MockHandler) {
    this.#handler = handler;
  }

  /**
   * Read the request body, then let the handler answer.
   *
   * @param request The request.
   * @returns The handler's response.
   */
  async handleRequest(request: Request): Promise<Response> {
    await request.read();
    return await this.#handler(request);
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
