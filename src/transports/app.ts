/**
 * {@linkcode AppTransport}: send requests to a web fetch handler in process.
 *
 * @module
 */

import type { ByteStream } from "../_types.ts";
import { abortError } from "../_abort.ts";
import { LocalProtocolError } from "../errors.ts";
import { BytesStream } from "../content/streams.ts";
import type { Request } from "../models/request.ts";
import { Response } from "../models/response.ts";
import { urlNetloc } from "../models/url.ts";
import type { BaseTransport } from "./base.ts";

/**
 * The address of the (pretend) client, as `Deno.NetAddr` has it.
 *
 * @example Read the client address in the app
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const app: httpx.AppHandler = (_request, info) => {
 *   const addr: httpx.AppRemoteAddr = info.remoteAddr;
 *   return new Response(`${addr.hostname}:${addr.port}`);
 * };
 * const transport = new httpx.AppTransport(app, {
 *   remoteAddr: { hostname: "10.1.2.3", port: 4567 },
 * });
 * await using client = new httpx.Client({ transport });
 * const response = await client.get("http://testserver/");
 * console.assert(response.text === "10.1.2.3:4567");
 * ```
 */
export interface AppRemoteAddr {
  /** Always `"tcp"`. */
  transport: "tcp";
  /** The client's IP address. */
  hostname: string;
  /** The client's port. */
  port: number;
}

/**
 * What the handler receives as its second argument: the shape of
 * `Deno.ServeHandlerInfo`, so `Deno.serve` handlers run unchanged.
 *
 * @example Know when the body was read
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const finished: Promise<void>[] = [];
 * const app = (_request: Request, info: httpx.AppHandlerInfo): Response => {
 *   finished.push(info.completed);
 *   return new Response("bye");
 * };
 * await using client = new httpx.Client({
 *   transport: new httpx.AppTransport(app),
 * });
 * const response = await client.get("http://testserver/");
 * await Promise.all(finished);
 * console.assert(response.text === "bye" && finished.length === 1);
 * ```
 */
export interface AppHandlerInfo {
  /** The client address given in the options (`127.0.0.1:123` by default). */
  remoteAddr: AppRemoteAddr;
  /** Resolves once the response body has been read to the end or closed. */
  completed: Promise<void>;
}

/**
 * A web fetch handler: a `Deno.serve` handler, Hono's `app.fetch`, Oak's
 * `app.handle` and the like.
 *
 * @example A handler written for `Deno.serve`
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const handler: httpx.AppHandler = (request) =>
 *   Response.json({ method: request.method, url: request.url });
 * await using client = new httpx.Client({
 *   transport: new httpx.AppTransport(handler),
 * });
 * const response = await client.delete("http://testserver/items/1");
 * const body = response.json<{ method: string; url: string }>();
 * console.assert(body.method === "DELETE");
 * console.assert(body.url === "http://testserver/items/1");
 * ```
 */
export type AppHandler = (
  request: globalThis.Request,
  info: AppHandlerInfo,
) => globalThis.Response | Promise<globalThis.Response>;

/**
 * Options of {@linkcode AppTransport}.
 *
 * @example Mount the app under `/api` and turn its errors into 500s
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const app = (request: Request): Response => {
 *   const path = new URL(request.url).pathname;
 *   if (path === "/boom") throw new Error("boom");
 *   return new Response(path);
 * };
 * const options: httpx.AppTransportOptions = {
 *   rootPath: "/api",
 *   raiseAppExceptions: false,
 * };
 * await using client = new httpx.Client({
 *   transport: new httpx.AppTransport(app, options),
 * });
 * console.assert(
 *   (await client.get("http://testserver/api/users")).text === "/users",
 * );
 * console.assert(
 *   (await client.get("http://testserver/api/boom")).statusCode === 500,
 * );
 * ```
 */
export interface AppTransportOptions {
  /**
   * Let an error thrown by the app reach the caller (the default). With
   * `false`, an error before the response turns into a `500` response, and
   * an error while streaming the body ends the body where it stopped.
   */
  raiseAppExceptions?: boolean;
  /** The client address the app sees; `{ hostname: "127.0.0.1", port: 123 }` by default. */
  remoteAddr?: { hostname: string; port: number };
  /**
   * The path the app is mounted at, such as `"/api"`. It is removed from the
   * start of the request path before the app sees the request (a path
   * outside it is passed unchanged), so an app written for `/` can be
   * tested behind a prefix.
   */
  rootPath?: string;
}

/**
 * A transport that calls a web fetch handler directly, with no sockets: the
 * Deno counterpart of HTTPX's `WSGITransport` and `ASGITransport`. Request
 * bodies are streamed to the app and response bodies are streamed back as
 * the app produces them, so server-sent events can be read as they come;
 * closing the response cancels the app's body stream.
 *
 * @example Test a `Deno.serve` handler without a server
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const app = async (request: Request): Promise<Response> => {
 *   const url = new URL(request.url);
 *   if (request.method === "POST") {
 *     return new Response(await request.text(), { status: 201 });
 *   }
 *   return Response.json({ path: url.pathname });
 * };
 * const client = new httpx.Client({ transport: new httpx.AppTransport(app) });
 * const got = await client.get("http://testserver/hello");
 * console.assert(got.json<{ path: string }>().path === "/hello");
 * const posted = await client.post("http://testserver/echo", {
 *   content: "ping",
 * });
 * console.assert(posted.statusCode === 201 && posted.text === "ping");
 * ```
 */
export class AppTransport implements BaseTransport {
  #app: AppHandler;
  #raiseAppExceptions: boolean;
  #remoteAddr: AppRemoteAddr;
  #rootPath: string;

  /**
   * Wrap a fetch handler.
   *
   * @param app The fetch handler.
   * @param options How app errors are reported, the client address and
   *   the mount path.
   */
  constructor(app: AppHandler, options: AppTransportOptions = {}) {
    this.#app = app;
    this.#raiseAppExceptions = options.raiseAppExceptions ?? true;
    const remote = options.remoteAddr ?? { hostname: "127.0.0.1", port: 123 };
    this.#remoteAddr = {
      transport: "tcp",
      hostname: remote.hostname,
      port: remote.port,
    };
    this.#rootPath = (options.rootPath ?? "").replace(/\/+$/, "");
  }

  /**
   * Build a web `Request`, call the app and wrap its web `Response`.
   *
   * @param request The request.
   * @returns The response, with the body still streaming from the app.
   */
  async handleRequest(request: Request): Promise<Response> {
    const signal = request.extensions.signal;
    if (signal?.aborted) throw abortError(signal);

    const webRequest = this.#webRequest(request, signal);
    let settle!: () => void;
    const completed = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const info: AppHandlerInfo = {
      remoteAddr: { ...this.#remoteAddr },
      completed,
    };

    let webResponse: globalThis.Response;
    try {
      webResponse = await raceSignal(
        (async () => await this.#app(webRequest, info))(),
        signal,
      );
    } catch (error) {
      if (signal?.aborted || this.#raiseAppExceptions) {
        settle();
        throw error;
      }
      settle();
      return new Response(500);
    }
    if (!(webResponse instanceof globalThis.Response)) {
      settle();
      throw new TypeError(
        "The app must return a Response, got " +
          (webResponse === null ? "null" : typeof webResponse),
      );
    }

    let body = webResponse.body;
    if (request.method === "HEAD" && body !== null) {
      await body.cancel().catch(() => {});
      body = null;
    }
    const stream = new AppBodyStream(
      body,
      signal,
      this.#raiseAppExceptions,
      settle,
    );
    const extensions: Record<string, unknown> = { httpVersion: "HTTP/1.1" };
    if (webResponse.statusText !== "") {
      extensions.reasonPhrase = webResponse.statusText;
    }
    return new Response(webResponse.status, {
      headers: [...webResponse.headers],
      stream,
      extensions,
    });
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #webRequest(
    request: Request,
    signal: AbortSignal | undefined,
  ): globalThis.Request {
    const url = request.url;
    let path = url.rawPath;
    const root = this.#rootPath;
    if (
      root !== "" && path.startsWith(root) &&
      (path.length === root.length || path[root.length] === "/" ||
        path[root.length] === "?")
    ) {
      path = path.slice(root.length);
      if (path === "" || path.startsWith("?")) path = "/" + path;
    }
    const href = `${url.scheme}://${urlNetloc(url)}${path}`;

    const init: RequestInit & { duplex?: "half" } = {
      method: request.method,
    };
    try {
      const headers = new globalThis.Headers();
      for (const [name, value] of request.headers.wireItems()) {
        headers.append(name, value);
      }
      init.headers = headers;
    } catch (error) {
      throw new LocalProtocolError("Invalid header for the app request", {
        cause: error,
        request,
      });
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      const stream = request.stream;
      if (stream instanceof BytesStream) {
        if (stream.bytes.byteLength > 0) {
          init.body = stream.bytes as Uint8Array<ArrayBuffer>;
        }
      } else {
        init.body = ReadableStream.from(stream);
        init.duplex = "half";
      }
    }
    if (signal !== undefined) init.signal = signal;
    return new globalThis.Request(href, init);
  }
}

/** The app's response body as a {@linkcode ByteStream}. */
class AppBodyStream implements ByteStream {
  #body: ReadableStream<Uint8Array> | null;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #signal: AbortSignal | undefined;
  #raise: boolean;
  #settle: () => void;
  #finished = false;
  #closed = false;

  constructor(
    body: ReadableStream<Uint8Array> | null,
    signal: AbortSignal | undefined,
    raise: boolean,
    settle: () => void,
  ) {
    this.#body = body;
    this.#signal = signal;
    this.#raise = raise;
    this.#settle = settle;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    if (this.#body === null || this.#closed) {
      this.#finished = true;
      await this.close();
      return;
    }
    const reader = this.#reader ??= this.#body.getReader();
    try {
      while (true) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await raceSignal(reader.read(), this.#signal);
        } catch (error) {
          if (this.#signal?.aborted) throw error;
          this.#finished = true;
          if (this.#raise) throw error;
          return;
        }
        if (result.done) {
          this.#finished = true;
          return;
        }
        const chunk = result.value as unknown;
        if (!(chunk instanceof Uint8Array)) {
          throw new TypeError(
            "The app's response body must yield Uint8Array chunks",
          );
        }
        if (chunk.byteLength > 0) yield chunk;
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (!this.#finished) {
        if (this.#reader !== undefined) {
          await this.#reader.cancel().catch(() => {});
        } else if (this.#body !== null) {
          await this.#body.cancel().catch(() => {});
        }
      }
      this.#reader?.releaseLock();
    } finally {
      this.#settle();
    }
  }
}

/** `promise`, or the abort error as soon as `signal` aborts. */
function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
