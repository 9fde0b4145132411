/**
 * Conversions between our models and the web's `Request` / `Response`:
 * what `FetchTransport` hands to `fetch`, what `client.fetch()` takes in
 * and gives back, and what `AppTransport` could share.
 *
 * @module
 */

import { BytesStream } from "../content/streams.ts";
import type { Request } from "./request.ts";
import type { Response } from "./response.ts";
import { urlFetchHref, urlNetloc } from "./url.ts";

/** Header names `fetch` frames itself: never passed on to it. */
const FRAMING = new Set(["content-length", "transfer-encoding"]);

/** Statuses whose web `Response` must have a `null` body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The absolute URL of a request as `fetch` takes it: scheme, host (IPv6 in
 * brackets), port and the raw path and query, without userinfo or fragment.
 *
 * @param request The request.
 * @returns The URL text.
 */
export function webUrl(request: Request): string {
  return urlFetchHref(request.url);
}

/**
 * What {@linkcode webHeaderPairs} leaves out: `"framing"` only the framing
 * headers (`Content-Length`, `Transfer-Encoding`) that `fetch` always sets
 * itself; `"fetch"` also what any `fetch` does itself: a `Host` that equals
 * the URL's authority, and `Connection: keep-alive` (the HTTP/1.1 default,
 * a connection header HTTP/2 forbids, and a name browsers' `fetch`
 * refuses); `"runtime"` also an `Accept: *\/*`, the value the runtime's
 * own `fetch` sends when a request has no Accept (per the Fetch standard).
 */
export type LeftToFetch = "framing" | "fetch" | "runtime";

/**
 * The request headers in wire order, as `[name, value]` pairs for a
 * `fetch` init, without what `fetch` sends itself (see
 * {@linkcode LeftToFetch}).
 *
 * When nothing is left out this is the headers' own list, not a copy: hand
 * it to `fetch` or a web `Headers` and never change it.
 *
 * @param request The request.
 * @param leave What to leave to `fetch`.
 * @returns The pairs.
 */
export function webHeaderPairs(
  request: Request,
  leave: LeftToFetch = "framing",
): [string, string][] {
  const items = request.headers.wireView() as [string, string][];
  let out: [string, string][] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (skipHeader(item, request, leave)) {
      out ??= items.slice(0, i);
    } else if (out !== undefined) {
      out.push(item);
    }
  }
  return out ?? items;
}

/**
 * The request headers for the runtime's own `fetch`, leaving it what it
 * sends itself (`"runtime"`), as a record when no name repeats: `fetch`
 * takes a record in less time than a list of pairs. A name that repeats
 * (or that an object cannot hold as its own key) gives the list of
 * {@linkcode webHeaderPairs}.
 *
 * @param request The request.
 * @returns A new record, or the pairs (to hand on unchanged).
 */
export function runtimeFetchHeaders(
  request: Request,
): Record<string, string> | [string, string][] {
  const items = request.headers.wireView();
  const record: Record<string, string> = {};
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const name = item[0];
    if (skipHeader(item, request, "runtime")) continue;
    // `in` also sees Object.prototype's names (`__proto__`, `constructor`):
    // they take the list too.
    if (name in record) return webHeaderPairs(request, "runtime");
    record[name] = item[1];
  }
  return record;
}

function skipHeader(
  item: readonly [string, string],
  request: Request,
  leave: LeftToFetch,
): boolean {
  const name = item[0];
  const length = name.length;
  // Only the two framing names have these lengths.
  if (length === 14 || length === 17) return FRAMING.has(name.toLowerCase());
  if (leave === "framing") return false;
  // A Host equal to the URL's own authority is what fetch sends anyway;
  // passing it on makes an HTTP/2 request carry both `:authority` and
  // `host`, which nginx answers with 400.
  if (length === 4) {
    return name.toLowerCase() === "host" && item[1] === urlNetloc(request.url);
  }
  // Keep-alive is what fetch does anyway; `Connection: close` is kept.
  if (length === 10) {
    return name.toLowerCase() === "connection" &&
      item[1].toLowerCase() === "keep-alive";
  }
  return leave === "runtime" && length === 6 && item[1] === "*/*" &&
    name.toLowerCase() === "accept";
}

/**
 * A pull-based web stream over a {@linkcode ByteStream}: each chunk is read
 * from the source only when the consumer asks for one (back-pressure), and
 * cancelling the web stream closes the source.
 *
 * @param source The chunks.
 * @param onError Told about an error the source raised, before the web
 *   stream errors with it.
 * @returns The web stream.
 */
export function toReadableStream(
  source: AsyncIterable<Uint8Array> & { close?(): void | Promise<void> },
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array<ArrayBuffer>> {
  let iterator: AsyncIterator<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller): Promise<void> {
      iterator ??= source[Symbol.asyncIterator]();
      try {
        while (true) {
          const step = await iterator.next();
          if (step.done) {
            controller.close();
            return;
          }
          if (step.value.byteLength > 0) {
            controller.enqueue(step.value as Uint8Array<ArrayBuffer>);
            return;
          }
        }
      } catch (error) {
        onError?.(error);
        controller.error(error);
      }
    },
    async cancel(): Promise<void> {
      try {
        await iterator?.return?.();
      } finally {
        await source.close?.();
      }
    },
  }, { highWaterMark: 0 });
}

/** What {@linkcode webRequestBody} decided. */
export interface WebRequestBody {
  /** The body for the `fetch` init, or `undefined` for none. */
  body?: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>>;
  /** `"half"` when `body` is a stream (the fetch standard requires it). */
  duplex?: "half";
}

/**
 * The body of a request for a `fetch` init: the bytes for a body held in
 * memory (so `fetch` sends a `Content-Length`), a web stream otherwise
 * (sent chunked), or nothing for a `GET`/`HEAD` without a body.
 *
 * @param request The request.
 * @param onError Told about an error the body stream raised.
 * @returns The body and the `duplex` flag.
 */
export function webRequestBody(
  request: Request,
  onError?: (error: unknown) => void,
): WebRequestBody {
  const stream = request.stream;
  if (stream instanceof BytesStream) {
    const bytes = stream.bytes;
    if (
      bytes.byteLength === 0 &&
      (request.method === "GET" || request.method === "HEAD")
    ) {
      return {};
    }
    return { body: bytes as Uint8Array<ArrayBuffer> };
  }
  return { body: toReadableStream(stream, onError), duplex: "half" };
}

/**
 * A web `Request` for one of ours, with the headers in order (less the
 * framing headers) and the body streamed (or as bytes when in memory).
 *
 * @param request Our request.
 * @param signal Aborts the web request.
 * @returns The web request.
 */
export function toWebRequest(
  request: Request,
  signal?: AbortSignal,
): globalThis.Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: webHeaderPairs(request),
    ...webRequestBody(request),
  };
  if (signal !== undefined) init.signal = signal;
  return new globalThis.Request(webUrl(request), init);
}

/** Options of {@linkcode toWebResponse}. */
export interface ToWebResponseOptions {
  /** The `url` the web response reports (the final URL after redirects). */
  url?: string;
  /** Whether redirects were followed to get it (`response.redirected`). */
  redirected?: boolean;
  /** Maps an error raised while the body is read to the one the web stream reports. */
  mapError?: (error: unknown) => unknown;
}

/**
 * A web `Response` for one of ours. The body is our *decoded* body
 * (`iterBytes()`), streamed with back-pressure: nothing is read until the
 * web body is, and cancelling it closes our response. The headers are kept
 * as received, `Content-Encoding` and `Content-Length` included, as `fetch`
 * keeps them for the body it has decoded.
 *
 * @param response Our response, read or still streaming.
 * @param options The URL and redirect flag to report, and error mapping.
 * @returns The web response.
 * @throws {RangeError} For a status a web `Response` cannot carry (1xx).
 */
export function toWebResponse(
  response: Response,
  options: ToWebResponseOptions = {},
): globalThis.Response {
  const status = response.statusCode;
  const headers = new globalThis.Headers();
  for (const [name, value] of response.headers.multiItems()) {
    headers.append(name, value);
  }
  let body: ReadableStream<Uint8Array<ArrayBuffer>> | null = null;
  if (NULL_BODY_STATUSES.has(status)) {
    // Nothing may be read: release the connection now.
    void response.close().catch(() => {});
  } else {
    const mapError = options.mapError;
    const bytes = response.iterBytes();
    body = toReadableStream({
      [Symbol.asyncIterator]: () => ({
        async next(): Promise<IteratorResult<Uint8Array>> {
          try {
            return await bytes.next();
          } catch (error) {
            throw mapError === undefined ? error : mapError(error);
          }
        },
        async return(): Promise<IteratorResult<Uint8Array>> {
          return await bytes.return(undefined);
        },
      }),
      close: () => response.close(),
    });
  }
  const web = new globalThis.Response(body, {
    status,
    statusText: response.reasonPhrase,
    headers,
  });
  if (options.url !== undefined) {
    Object.defineProperty(web, "url", { value: options.url });
  }
  if (options.redirected !== undefined) {
    Object.defineProperty(web, "redirected", { value: options.redirected });
  }
  return web;
}

/** A web request taken apart, as {@linkcode fromWebRequest} gives it. */
export interface WebRequestParts {
  /** The method, upper-cased for the standard ones as `fetch` does. */
  method: string;
  /** The URL as given (it may be relative to a client's `baseUrl`). */
  url: string;
  /** The headers, in order, names lower-cased (the web's `Headers` keeps no case). */
  headers: [string, string][];
  /** The body: bytes when it was given in memory, else the web stream. */
  content?: Uint8Array | ReadableStream<Uint8Array>;
  /** The request's abort signal, when one was given. */
  signal?: AbortSignal;
  /** `"follow"` (the fetch default), `"manual"` or `"error"`. */
  redirect: RequestRedirect;
}

const PLACEHOLDER_ORIGIN = "http://httpx.invalid";
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * Take apart the arguments of a `fetch(input, init)` call: the web
 * platform encodes the body (`FormData`, `URLSearchParams`, `Blob`, text)
 * and adds its `Content-Type`, exactly as `fetch` would. A body given as
 * a `ReadableStream` stays a stream; every other body, and the body of a
 * `Request` passed as `input`, is read into bytes so it is sent with a
 * `Content-Length` and can be resent on a redirect.
 *
 * A relative URL (`"/users"`) is kept as it is, for a client's `baseUrl`.
 *
 * @param input A URL (text or web `URL`) or a web `Request`.
 * @param init The `fetch` options.
 * @returns The parts.
 */
export async function fromWebRequest(
  input: string | globalThis.URL | globalThis.Request,
  init?: RequestInit,
): Promise<WebRequestParts> {
  let url: string;
  let relative = false;
  if (input instanceof globalThis.Request) {
    url = input.url;
  } else {
    url = String(input);
    relative = !ABSOLUTE.test(url);
  }
  // The web Request needs an absolute URL; a relative one is parked on a
  // placeholder origin only to let the platform encode the body.
  const web = new globalThis.Request(
    relative ? PLACEHOLDER_ORIGIN : input,
    init,
  );
  const headers: [string, string][] = [...web.headers];
  const parts: WebRequestParts = {
    method: web.method,
    url,
    headers,
    redirect: init?.redirect ??
      (input instanceof globalThis.Request ? input.redirect : "follow"),
  };
  const signal = init?.signal ??
    (input instanceof globalThis.Request ? input.signal : undefined);
  if (signal !== undefined && signal !== null) parts.signal = signal;
  if (web.body !== null) {
    const given = init?.body;
    if (given instanceof ReadableStream) {
      parts.content = web.body;
    } else {
      parts.content = new Uint8Array(await web.arrayBuffer());
    }
  }
  return parts;
}
