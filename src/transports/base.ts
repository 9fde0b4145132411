/**
 * The one contract every layer that sends implements.
 *
 * @module
 */

import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";

/**
 * A transport sends a {@linkcode Request} and returns a {@linkcode Response}
 * whose body may still be streaming. `Client` calls `handleRequest`; so do the
 * layers beneath it.
 *
 * @example A transport that answers every request itself
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * class Hello implements httpx.BaseTransport {
 *   handleRequest(request: httpx.Request): Promise<httpx.Response> {
 *     return Promise.resolve(
 *       new httpx.Response(200, { text: `hello ${request.url.host}` }),
 *     );
 *   }
 *   close(): Promise<void> {
 *     return Promise.resolve();
 *   }
 * }
 * const client = new httpx.Client({ transport: new Hello() });
 * const response = await client.get("https://example.org/");
 * console.assert(response.text === "hello example.org");
 * ```
 */
export interface BaseTransport {
  /** Send one request; the response body may be unread. */
  handleRequest(request: Request): Promise<Response>;
  /** Release everything the transport holds (connections, timers). */
  close(): Promise<void>;
}

/**
 * HTTPX's name for the async transport interface; the same as {@linkcode BaseTransport}.
 *
 * @example Wrap another transport
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * class Counting implements httpx.AsyncBaseTransport {
 *   count = 0;
 *   constructor(readonly inner: httpx.AsyncBaseTransport) {}
 *   handleRequest(request: httpx.Request): Promise<httpx.Response> {
 *     this.count++;
 *     return this.inner.handleRequest(request);
 *   }
 *   close(): Promise<void> {
 *     return this.inner.close();
 *   }
 * }
 * const transport = new Counting(
 *   new httpx.MockTransport(() => new httpx.Response(204)),
 * );
 * await using client = new httpx.Client({ transport });
 * await client.get("https://example.org/");
 * console.assert(transport.count === 1);
 * ```
 */
export type AsyncBaseTransport = BaseTransport;
