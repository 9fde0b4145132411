/**
 * The HTTP response: status, headers and a body that may still be streaming.
 *
 * @module
 */

import type { ByteStream, ResponseExtensions } from "../_types.ts";
import {
  HTTPError,
  HTTPStatusError,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
} from "../errors.ts";
import {
  BytesStream,
  canReadAll,
  concatBytes,
  type ContentSource,
  rechunk,
  rechunkText,
  takeBufferedOf,
  type WholeBodyStream,
} from "../content/streams.ts";
import { decodeContent, parseContentEncoding } from "../content/decoders.ts";
import { encodeResponse } from "../content/response_body.ts";
import {
  charsetFromContentType,
  createTextDecoder,
  isKnownEncoding,
  jsonFromBytes,
} from "../content/charset.ts";
import { iterLines } from "../content/line_decoder.ts";
import { codes } from "./codes.ts";
import { Cookies } from "./cookies.ts";
import { Headers, type HeaderTypes } from "./headers.ts";
import { type Link, linksByRel } from "./_links.ts";
import type { Request } from "./request.ts";
import type { URL } from "./url.ts";

/**
 * How to pick a text encoding when the `Content-Type` names no (known)
 * charset: an encoding name, or a function that looks at the body and
 * returns one (for charset detection).
 *
 * @example Guess the charset of a body without one
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const guess: httpx.DefaultEncoding = (content) =>
 *   content.includes(0xe9) ? "iso-8859-1" : "utf-8";
 * const response = new httpx.Response(200, {
 *   content: new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
 *   defaultEncoding: guess,
 * });
 * console.assert(
 *   response.text === "café" && response.encoding === "iso-8859-1",
 * );
 * ```
 */
export type DefaultEncoding = string | ((content: Uint8Array) => string);

/**
 * Options of the {@linkcode Response} constructor.
 *
 * @example A response for a test
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const request = new httpx.Request("GET", "https://example.org/");
 * const options: httpx.ResponseOptions = {
 *   html: "<p>hi</p>",
 *   headers: { "x-id": "7" },
 *   request,
 * };
 * const response = new httpx.Response(200, options);
 * console.assert(
 *   response.headers.get("content-type") === "text/html; charset=utf-8",
 * );
 * console.assert(response.url.toString() === "https://example.org/");
 * console.assert(response.text === "<p>hi</p>");
 * ```
 */
export interface ResponseOptions {
  /** Response headers. */
  headers?: HeaderTypes;
  /**
   * The body as bytes, text (sent as UTF-8) or a stream of chunks. With a
   * `Content-Encoding` header the bytes are taken as encoded, and decoded
   * by `read()` (until then `content` throws `ResponseNotRead`).
   */
  content?: ContentSource;
  /** A text body, with `Content-Type: text/plain; charset=utf-8`. */
  text?: string;
  /** An HTML body, with `Content-Type: text/html; charset=utf-8`. */
  html?: string;
  /** A JSON body (serialised compactly), with `Content-Type: application/json`. */
  json?: unknown;
  /**
   * The raw body stream, as transports give it. No headers are added and
   * the body is left unread.
   */
  stream?: ByteStream;
  /** The request this response answers. */
  request?: Request;
  /** What the transport reports: `httpVersion`, `reasonPhrase`, … */
  extensions?: ResponseExtensions;
  /** The redirect responses that led here. */
  history?: Response[];
  /** Encoding for text when the `Content-Type` has no charset; `"utf-8"` by default. */
  defaultEncoding?: DefaultEncoding;
}

const ERROR_TYPES: Record<number, string> = {
  1: "Informational response",
  3: "Redirect response",
  4: "Client error",
  5: "Server error",
};

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

const EMPTY = new BytesStream(new Uint8Array(0));

/** Set by a static block of `Response`. */
let readSoonOf: (response: Response) => Uint8Array | Promise<Uint8Array>;

/**
 * `response.read()`, but the body itself (not a promise) when it is at
 * hand already: for the client, to skip an await on the usual small
 * response.
 *
 * @internal
 */
export function readResponseSoon(
  response: Response,
): Uint8Array | Promise<Uint8Array> {
  return readSoonOf(response);
}

/**
 * An HTTP response. Transports build one with a streaming body; tests and
 * {@linkcode MockTransport} handlers build one with `content`, `text`,
 * `html` or `json`, which is read at once.
 *
 * A streamed body is read with `read()` or one of the `iter*()` methods,
 * and must be closed (`close()`, or `await using`) to release its
 * connection when it is not read to the end.
 *
 * @example Build a response and read it
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const response = new httpx.Response(200, { json: { hello: "world" } });
 * console.assert(response.headers.get("content-type") === "application/json");
 * console.assert(response.text === '{"hello":"world"}');
 * console.assert(response.json<{ hello: string }>().hello === "world");
 * ```
 *
 * @example Stream a response from a client
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(200, { content: "line 1\nline 2\n" })
 * );
 * const client = new httpx.Client({ transport });
 * await using response = await client.stream("GET", "https://example.org/");
 * const lines: string[] = [];
 * for await (const line of response.iterLines()) lines.push(line);
 * console.assert(lines.join("|") === "line 1|line 2");
 * ```
 */
export class Response implements AsyncDisposable {
  /** The status code, such as `200`. */
  statusCode: number;
  /** The response headers. */
  headers: Headers;
  /** The raw body stream. Clients wrap it to time and release it. */
  stream: ByteStream;
  /** What the transport reported: `httpVersion`, `reasonPhrase`, `networkStream`, … */
  extensions: ResponseExtensions;
  /** The redirect responses that were followed to get here, oldest first. */
  history: Response[];
  /** The next request of a redirect that was not followed, else `null`. */
  nextRequest: Request | null = null;
  /** Encoding used for text when the `Content-Type` names no known charset. */
  defaultEncoding: DefaultEncoding;

  #request: Request | undefined;
  #content: Uint8Array | undefined;
  #text: string | undefined;
  #encoding: string | undefined;
  #elapsed: number | undefined;
  #cookies: Cookies | undefined;
  #isClosed = false;
  #isStreamConsumed = false;
  #numBytesDownloaded = 0;

  /**
   * Build a response; an in-memory body without content coding is read
   * at once.
   *
   * @param statusCode The status code.
   * @param options Headers, a body (`content`, `text`, `html`, `json` or a
   *   raw `stream`), the request and the rest.
   */
  constructor(statusCode: number, options: ResponseOptions = {}) {
    this.statusCode = statusCode;
    this.headers = options.headers instanceof Headers
      ? options.headers
      : new Headers(options.headers);
    this.#request = options.request;
    this.extensions = options.extensions ?? {};
    this.history = options.history ? [...options.history] : [];
    this.defaultEncoding = options.defaultEncoding ?? "utf-8";

    if (options.stream !== undefined) {
      this.stream = options.stream;
      return;
    }
    const stream = this.#encodeBody(options);
    this.stream = stream;
    if (
      stream instanceof BytesStream &&
      parseContentEncoding(this.headers.get("content-encoding")).length === 0
    ) {
      // In-memory and nothing to decode: the body is read already.
      this.#content = stream.bytes;
      this.#isStreamConsumed = true;
      this.#isClosed = true;
    }
  }

  #encodeBody(options: ResponseOptions): ByteStream {
    const { content, text, html, json } = options;
    if (
      content === undefined && text === undefined && html === undefined &&
      json === undefined
    ) {
      return EMPTY;
    }
    const body = encodeResponse({ content, text, html, json });
    const hasLength = this.headers.has("content-length");
    for (const [name, value] of body.headers) {
      const lower = name.toLowerCase();
      if (lower === "transfer-encoding" && hasLength) continue;
      if (!this.headers.has(name)) this.headers.append(name, value);
    }
    return body.stream;
  }

  /**
   * The request this response answers.
   *
   * @throws {Error} When no request was attached.
   */
  get request(): Request {
    if (this.#request === undefined) {
      throw new Error(
        "The request instance has not been set on this response",
      );
    }
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  /** The URL of the request. */
  get url(): URL {
    return this.request.url;
  }

  /** `"HTTP/1.1"` (the default), `"HTTP/1.0"` or `"HTTP/2"`. */
  get httpVersion(): string {
    return extensionText(this.extensions.httpVersion) ?? "HTTP/1.1";
  }

  /** The reason phrase as received, else the standard one for the status. */
  get reasonPhrase(): string {
    return extensionText(this.extensions.reasonPhrase) ??
      codes.getReasonPhrase(this.statusCode);
  }

  /**
   * Seconds from sending the request to closing the response.
   *
   * @throws {Error} Until the response has been read or closed.
   */
  get elapsed(): number {
    if (this.#elapsed === undefined) {
      throw new Error(
        "'.elapsed' may only be accessed after the response has been read or closed",
      );
    }
    return this.#elapsed;
  }

  set elapsed(seconds: number) {
    this.#elapsed = seconds;
  }

  /** Whether the body stream was closed. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Whether the body stream was iterated (it cannot be iterated again). */
  get isStreamConsumed(): boolean {
    return this.#isStreamConsumed;
  }

  /** Raw (still encoded) body bytes received so far. */
  get numBytesDownloaded(): number {
    return this.#numBytesDownloaded;
  }

  /**
   * The decoded body.
   *
   * @throws {ResponseNotRead} For a streamed body not read yet.
   */
  get content(): Uint8Array {
    if (this.#content === undefined) throw new ResponseNotRead();
    return this.#content;
  }

  /**
   * The body decoded as text with {@linkcode Response.encoding}, malformed
   * bytes replaced with U+FFFD.
   *
   * @throws {ResponseNotRead} For a streamed body not read yet.
   */
  get text(): string {
    if (this.#text === undefined) {
      const content = this.content;
      if (content.byteLength === 0) {
        this.#text = "";
      } else {
        const decoder = createTextDecoder(this.encoding);
        this.#text = decoder.decode(content) + decoder.flush();
      }
    }
    return this.#text;
  }

  /**
   * The encoding used to decode text: the one set explicitly, else the
   * `Content-Type` charset when it is a known encoding, else
   * `defaultEncoding` (called with the body when it is a function and the
   * body has been read), else `"utf-8"`. Worked out once.
   *
   * @throws {Error} When set after `text` was accessed.
   */
  get encoding(): string {
    if (this.#encoding === undefined) {
      let encoding = this.charsetEncoding;
      if (encoding === null || !isKnownEncoding(encoding)) {
        encoding = null;
        if (typeof this.defaultEncoding === "string") {
          encoding = this.defaultEncoding;
        } else if (this.#content !== undefined) {
          encoding = this.defaultEncoding(this.#content);
        }
      }
      this.#encoding = encoding || "utf-8";
    }
    return this.#encoding;
  }

  set encoding(value: string) {
    if (this.#text !== undefined) {
      throw new Error(
        "Setting encoding after `text` has been accessed is not allowed",
      );
    }
    this.#encoding = value;
  }

  /** The `charset` parameter of the `Content-Type` header, lower-cased, or `null`. */
  get charsetEncoding(): string | null {
    return charsetFromContentType(this.headers.get("content-type"));
  }

  /**
   * The body parsed as JSON. Without a charset the UTF-8/16/32 flavour is
   * detected from the bytes, as Python's `json.loads` does.
   *
   * @throws {ResponseNotRead} For a streamed body not read yet.
   * @throws {SyntaxError} When the body is not JSON.
   */
  json<T = unknown>(): T {
    // As HTTPX: the body's own UTF-8/16/32 encoding decides (RFC 8259),
    // whatever charset Content-Type names.
    return jsonFromBytes(this.content) as T;
  }

  /** The cookies set by this response's `Set-Cookie` headers. */
  get cookies(): Cookies {
    if (this.#cookies === undefined) {
      const cookies = new Cookies();
      if (this.headers.has("set-cookie")) cookies.extractCookies(this);
      this.#cookies = cookies;
    }
    return this.#cookies;
  }

  /**
   * The `Link` header parsed, keyed by `rel` (or by `url` when a link has no
   * `rel`); each value has the `url` and the link's parameters.
   */
  get links(): Record<string, Link> {
    return linksByRel(this.headers.get("link"));
  }

  /** `true` for 1xx statuses. */
  get isInformational(): boolean {
    return codes.isInformational(this.statusCode);
  }

  /** `true` for 2xx statuses. */
  get isSuccess(): boolean {
    return codes.isSuccess(this.statusCode);
  }

  /** `true` for 3xx statuses (see also {@linkcode Response.hasRedirectLocation}). */
  get isRedirect(): boolean {
    return codes.isRedirect(this.statusCode);
  }

  /** `true` for 4xx statuses. */
  get isClientError(): boolean {
    return codes.isClientError(this.statusCode);
  }

  /** `true` for 5xx statuses. */
  get isServerError(): boolean {
    return codes.isServerError(this.statusCode);
  }

  /** `true` for 4xx and 5xx statuses. */
  get isError(): boolean {
    return codes.isError(this.statusCode);
  }

  /** `true` for a 301, 302, 303, 307 or 308 with a `Location` header. */
  get hasRedirectLocation(): boolean {
    return REDIRECT_CODES.has(this.statusCode) && this.headers.has("location");
  }

  /**
   * Throw {@linkcode HTTPStatusError} unless the status is 2xx.
   *
   * @returns The response itself, so calls can be chained.
   * @throws {HTTPStatusError} For any status outside 2xx.
   * @throws {Error} When no request is attached.
   */
  raiseForStatus(): this {
    const request = this.#request;
    if (request === undefined) {
      throw new Error(
        "Cannot call `raiseForStatus` as the request instance has not been set on this response",
      );
    }
    if (this.isSuccess) return this;
    const type = ERROR_TYPES[Math.floor(this.statusCode / 100)] ??
      "Invalid status code";
    let message =
      `${type} '${this.statusCode} ${this.reasonPhrase}' for url '${request.url}'\n`;
    if (this.hasRedirectLocation) {
      message += `Redirect location: '${this.headers.get("location")}'\n`;
    }
    message +=
      `For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/${this.statusCode}`;
    throw new HTTPStatusError(message, { request, response: this });
  }

  /**
   * Read the whole body (decoded) and keep it as `content`.
   *
   * @returns The body.
   */
  read(): Promise<Uint8Array> {
    const content = this.#readSoon();
    return content instanceof Uint8Array ? Promise.resolve(content) : content;
  }

  static {
    readSoonOf = (response) => response.#readSoon();
  }

  /**
   * What `read()` does, with the body itself rather than a promise when no
   * waiting is needed: read already, or all of it buffered (a small body
   * read with its head), which is then taken and the stream closed.
   */
  #readSoon(): Uint8Array | Promise<Uint8Array> {
    const content = this.#content;
    if (content !== undefined) return content;
    const stream = this.stream;
    if (
      !canReadAll(stream) || this.#isStreamConsumed || this.#isClosed ||
      parseContentEncoding(this.headers.get("content-encoding")).length > 0
    ) {
      return this.#readChunks();
    }
    let buffered: Uint8Array | undefined;
    try {
      buffered = takeBufferedOf(stream);
    } catch (error) {
      this.#isStreamConsumed = true;
      return this.#readFailed(error);
    }
    if (buffered === undefined) return this.#readWhole(stream);
    this.#isStreamConsumed = true;
    this.#isClosed = true;
    this.#numBytesDownloaded = buffered.byteLength;
    this.#content = buffered;
    return buffered;
  }

  async #readFailed(error: unknown): Promise<never> {
    await this.close().catch(() => {});
    throw this.#withRequest(error);
  }

  /**
   * The body in one call: what iterRaw() would do, without a round trip
   * per chunk through every wrapping layer.
   */
  async #readWhole(stream: WholeBodyStream): Promise<Uint8Array> {
    this.#isStreamConsumed = true;
    this.#numBytesDownloaded = 0;
    let content: Uint8Array;
    try {
      content = await stream.readAll();
    } catch (error) {
      return this.#readFailed(error);
    }
    this.#numBytesDownloaded = content.byteLength;
    await this.close();
    this.#content = content;
    return content;
  }

  async #readChunks(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of this.iterBytes()) {
      chunks.push(chunk);
      total += chunk.byteLength;
    }
    const content = chunks.length === 0
      ? new Uint8Array(0)
      : concatBytes(chunks, total);
    this.#content = content;
    return content;
  }

  /**
   * The decoded body (gzip, deflate, br, zstd undone), chunk by chunk.
   *
   * @param chunkSize Bytes per chunk (the last may be shorter); as received
   *   when not given.
   */
  async *iterBytes(chunkSize?: number | null): AsyncGenerator<Uint8Array> {
    const content = this.#content;
    if (content !== undefined) {
      const size = chunkSize ?? content.byteLength;
      rechunkCheck(size, chunkSize);
      for (let i = 0; i < content.byteLength; i += Math.max(size, 1)) {
        yield content.subarray(i, i + size);
      }
      return;
    }
    const contentEncoding = this.headers.get("content-encoding");
    let source: AsyncIterable<Uint8Array> = this.iterRaw();
    if (parseContentEncoding(contentEncoding).length > 0) {
      source = decodeContent(source, contentEncoding);
    }
    if (chunkSize !== undefined && chunkSize !== null) {
      source = rechunk(source, chunkSize);
    }
    try {
      yield* source;
    } catch (error) {
      await this.close().catch(() => {});
      throw this.#withRequest(error);
    } finally {
      // A decoder stopped early may leave the raw stream suspended.
      await this.close();
    }
  }

  /**
   * The decoded body as text, decoded with {@linkcode Response.encoding}.
   *
   * @param chunkSize Characters per piece (the last may be shorter).
   */
  async *iterText(chunkSize?: number | null): AsyncGenerator<string> {
    const decoder = createTextDecoder(this.encoding);
    const bytes = this.iterBytes();
    async function* decode(): AsyncGenerator<string> {
      for await (const chunk of bytes) {
        const text = decoder.decode(chunk);
        if (text.length > 0) yield text;
      }
      const rest = decoder.flush();
      if (rest.length > 0) yield rest;
    }
    yield* rechunkText(decode(), chunkSize);
  }

  /**
   * The body as text, line by line, without the line endings (`\n`, `\r`,
   * `\r\n` and the other breaks Python's `str.splitlines()` knows).
   */
  async *iterLines(): AsyncGenerator<string> {
    yield* iterLines(this.iterText());
  }

  /**
   * The body exactly as received, still compressed. Counts
   * `numBytesDownloaded` and closes the response at the end.
   *
   * @param chunkSize Bytes per chunk (the last may be shorter).
   * @throws {StreamConsumed} When the body was already iterated.
   * @throws {StreamClosed} When the response was closed before being read.
   */
  async *iterRaw(chunkSize?: number | null): AsyncGenerator<Uint8Array> {
    if (this.#isStreamConsumed) throw new StreamConsumed();
    if (this.#isClosed) throw new StreamClosed();
    this.#isStreamConsumed = true;
    this.#numBytesDownloaded = 0;
    const stream = this.stream;
    const counted = countBytes(stream, (n) => {
      this.#numBytesDownloaded += n;
    });
    const source = chunkSize === undefined || chunkSize === null
      ? counted
      : rechunk(counted, chunkSize);
    try {
      yield* source;
    } catch (error) {
      await this.close().catch(() => {});
      throw this.#withRequest(error);
    } finally {
      // At the end, and when the caller stops early: nothing can read the
      // rest of this body any more, so release its connection now.
      await this.close();
    }
  }

  /** Close the body stream, releasing the connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    try {
      await this.stream.close?.();
    } catch (error) {
      throw this.#withRequest(error);
    }
  }

  /** The same as {@linkcode Response.close}. */
  aclose(): Promise<void> {
    return this.close();
  }

  /** Closes the response, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** `<Response [200 OK]>`. */
  toString(): string {
    return `<Response [${this.statusCode} ${this.reasonPhrase}]>`;
  }

  /** Shown by `console.log` and `Deno.inspect`: the same as `toString()`. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  #withRequest(error: unknown): unknown {
    if (
      error instanceof HTTPError && !error.hasRequest &&
      this.#request !== undefined
    ) {
      error.request = this.#request;
    }
    return error;
  }
}

function extensionText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) {
    let out = "";
    for (const byte of value) if (byte < 0x80) out += String.fromCharCode(byte);
    return out;
  }
  return undefined;
}

function rechunkCheck(size: number, chunkSize: number | null | undefined) {
  if (chunkSize !== undefined && chunkSize !== null) {
    if (!Number.isInteger(size) || size <= 0) {
      throw new RangeError(
        `Chunk size must be a positive integer, got ${chunkSize}`,
      );
    }
  }
}

async function* countBytes(
  stream: ByteStream,
  count: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    count(chunk.byteLength);
    if (chunk.byteLength > 0) yield chunk;
  }
}
