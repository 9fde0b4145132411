/**
 * Request body encoding: `content`, `data`, `files` and `json`, with the
 * precedence and body headers HTTPX uses.
 *
 * @module
 */

import type { ByteStream } from "../_types.ts";
import {
  type FileValue,
  MultipartStream,
  type PrimitiveData,
  type RequestData,
  type RequestFiles,
} from "./multipart.ts";
import {
  BytesStream,
  type ContentSource,
  type ContentStream,
  toByteStream,
} from "./streams.ts";

export type { FileValue, PrimitiveData, RequestData, RequestFiles };

/**
 * Raw request content: text (sent as UTF-8), bytes, a `Blob`, a web
 * `ReadableStream`, an (async) iterable of byte chunks or an open
 * `Deno.FsFile`.
 *
 * @example Stream an upload from a generator
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * async function* lines() {
 *   yield new TextEncoder().encode("one\n");
 *   yield new TextEncoder().encode("two\n");
 * }
 * const content: httpx.RequestContent = lines();
 * const transport = new httpx.MockTransport((request) => {
 *   const framing = request.headers.get("transfer-encoding");
 *   return new httpx.Response(200, {
 *     text: `${framing} ${request.content.length}`,
 *   });
 * });
 * await using client = new httpx.Client({ transport });
 * const response = await client.post("https://example.org/upload", {
 *   content,
 * });
 * console.assert(response.text === "chunked 8");
 * ```
 */
export type RequestContent = ContentSource;

/** What {@linkcode encodeRequest} encodes; the first one given wins. */
export interface EncodeRequestOptions {
  /** Raw body. */
  content?: RequestContent | null;
  /** Form fields: url-encoded, or multipart fields when `files` is given. */
  data?: RequestData | null;
  /** Files, sent as `multipart/form-data`. */
  files?: RequestFiles | null;
  /** Any JSON value (`undefined` means none). */
  json?: unknown;
  /** Multipart boundary (from the user's `Content-Type` header). */
  boundary?: string | null;
}

/** An encoded body and the headers that describe it. */
export interface EncodedBody {
  /** `Content-Length` or `Transfer-Encoding`, and `Content-Type` when known. */
  headers: Array<[string, string]>;
  /** The body. */
  stream: ByteStream;
}

const encoder = new TextEncoder();

/**
 * Encode a request body. Precedence, as HTTPX: `content`, then `files`
 * (multipart, with `data` as fields), then `data` (url-encoded), then
 * `json`, else an empty body with no headers. (A `data` value that is not
 * form fields, such as a string or bytes, is taken as `content`.)
 *
 * Headers: in-memory content gets `Content-Length` (none when empty);
 * streams of unknown length get `Transfer-Encoding: chunked`; blobs and
 * files get their size as `Content-Length`. Adding `Content-Length: 0` for
 * an empty POST/PUT/PATCH is left to the request, as in HTTPX.
 *
 * @param options The body options.
 * @returns The body headers and the stream.
 * @throws {TypeError} For content of an unexpected type, or invalid form
 *   or multipart values.
 */
export function encodeRequest(options: EncodeRequestOptions = {}): EncodedBody {
  const { content, data, files, json, boundary } = options;
  if (data !== null && data !== undefined && !isFormData(data)) {
    return encodeContent(data as unknown as RequestContent);
  }
  if (content !== null && content !== undefined) return encodeContent(content);
  if (files && hasEntries(files)) {
    const multipart = new MultipartStream({ data, files, boundary });
    return { headers: multipart.headers(), stream: multipart };
  }
  if (data && hasEntries(data)) return encodeUrlencoded(data);
  if (json !== undefined) return encodeJson(json);
  return { headers: [], stream: new BytesStream() };
}

/**
 * Encode raw content with its length header.
 *
 * @param content The content.
 * @returns The body headers and the stream.
 */
export function encodeContent(content: RequestContent): EncodedBody {
  const stream: ContentStream = toByteStream(content);
  if (stream instanceof BytesStream) {
    const headers: Array<[string, string]> = stream.size > 0
      ? [["Content-Length", String(stream.size)]]
      : [];
    return { headers, stream };
  }
  return {
    headers: [
      stream.size === null
        ? ["Transfer-Encoding", "chunked"]
        : ["Content-Length", String(stream.size)],
    ],
    stream,
  };
}

/**
 * Encode form fields as `application/x-www-form-urlencoded`, as Python's
 * `urlencode(doseq=True)`: arrays repeat the key, `true`/`false` are sent
 * as `true`/`false`, `null` as an empty value, spaces as `+`, and every
 * byte but `A-Z a-z 0-9 _ . - ~` percent-encoded.
 *
 * @param data The fields.
 * @returns The body headers and the stream.
 */
export function encodeUrlencoded(data: RequestData): EncodedBody {
  const pairs: string[] = [];
  const entries = data instanceof URLSearchParams
    ? data.entries()
    : Object.entries(data);
  for (const [key, value] of entries) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      pairs.push(`${quotePlus(key)}=${quotePlus(primitiveToString(item))}`);
    }
  }
  const body = encoder.encode(pairs.join("&"));
  return {
    headers: [
      ["Content-Length", String(body.byteLength)],
      ["Content-Type", "application/x-www-form-urlencoded"],
    ],
    stream: new BytesStream(body),
  };
}

/**
 * Encode a JSON value compactly (no spaces, non-ASCII kept as UTF-8), as
 * HTTPX 0.28 does, with `Content-Type: application/json`.
 *
 * @param json The value.
 * @returns The body headers and the stream.
 * @throws {TypeError} For `NaN` or an infinite number, which JSON cannot
 *   represent (HTTPX refuses them too), or a value `JSON.stringify` rejects.
 */
export function encodeJson(json: unknown): EncodedBody {
  // Numbers JSON.stringify writes differently from Python's json.dumps
  // (`1e-05`, not `0.00001`) go through a marker string, swapped back after.
  let marker: string | undefined;
  const floats: string[] = [];
  let text = JSON.stringify(json, (_key, value) => {
    if (typeof value !== "number") return value;
    if (!Number.isFinite(value)) {
      throw new TypeError("Out of range float values are not JSON compliant");
    }
    const python = pythonFloat(value);
    if (python === undefined) return value;
    marker ??= `\u0000float-${crypto.randomUUID()}-`;
    floats.push(python);
    return `${marker}${floats.length - 1}`;
  });
  if (text !== undefined && marker !== undefined) {
    const quoted = JSON.stringify(marker).slice(0, -1);
    text = text.replace(
      new RegExp(`${escapeRegExp(quoted)}(\\d+)"`, "g"),
      (_match, index: string) => floats[Number(index)],
    );
  }
  if (text === undefined) {
    throw new TypeError(`Value is not JSON serializable: ${String(json)}`);
  }
  const body = encoder.encode(text);
  return {
    headers: [
      ["Content-Length", String(body.byteLength)],
      ["Content-Type", "application/json"],
    ],
    stream: new BytesStream(body),
  };
}

/**
 * How Python's `json.dumps` writes a float, where that differs from
 * `JSON.stringify`: below 1e-4 in an exponent form with at least two
 * exponent digits (`1e-05`, `1.5e-07`), and `-0.0`. `undefined` otherwise
 * (integers cannot be told from floats, so they stay as JavaScript writes
 * them).
 */
function pythonFloat(value: number): string | undefined {
  if (Object.is(value, -0)) return "-0.0";
  if (value === 0 || Number.isInteger(value) || Math.abs(value) >= 1e-4) {
    return undefined;
  }
  return value.toExponential().replace(
    /e([+-])(\d)$/,
    (_match, sign: string, digit: string) => `e${sign}0${digit}`,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function isFormData(value: unknown): boolean {
  if (value instanceof URLSearchParams) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasEntries(value: RequestData | RequestFiles): boolean {
  if (value instanceof URLSearchParams) return value.size > 0;
  if (Array.isArray(value)) return value.length > 0;
  for (const _ in value) return true;
  return false;
}

function primitiveToString(value: unknown): string {
  if (value === true) return "true";
  if (value === false) return "false";
  if (value === null || value === undefined) return "";
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

const UNRESERVED = new Uint8Array(128);
for (
  const c
    of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
) {
  UNRESERVED[c.charCodeAt(0)] = 1;
}
const HEX = "0123456789ABCDEF";

/** Python's `quote_plus` on the UTF-8 bytes of `text`. */
function quotePlus(text: string): string {
  let out = "";
  for (const byte of encoder.encode(text)) {
    if (byte < 128 && UNRESERVED[byte] === 1) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += "+";
    else out += "%" + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}
