/**
 * `multipart/form-data` request bodies, streamed part by part.
 *
 * @module
 */

import { StreamConsumed } from "../errors.ts";
import { guessMediaType } from "./_mime.ts";
import {
  concatBytes,
  type ContentSource,
  type ContentStream,
  describeType,
  fileToByteStream,
} from "./streams.ts";

/** A form value: text, or a number, boolean or `null` (sent as HTTPX does). */
import type { PrimitiveData } from "../models/query_params.ts";
export type { PrimitiveData };

/**
 * Form fields: a record of values (arrays repeat the field), or
 * `URLSearchParams`.
 *
 * @example Post a form
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const data: httpx.RequestData = {
 *   name: "Ada",
 *   tags: ["a", "b"],
 *   admin: true,
 * };
 * const request = new httpx.Request("POST", "https://example.org/form", {
 *   data,
 * });
 * console.assert(
 *   request.headers.get("content-type") ===
 *     "application/x-www-form-urlencoded",
 * );
 * const body = new TextDecoder().decode(await request.read());
 * console.assert(body === "name=Ada&tags=a&tags=b&admin=true");
 * ```
 */
export type RequestData =
  | Record<
    string,
    PrimitiveData | Uint8Array | Array<PrimitiveData | Uint8Array>
  >
  | URLSearchParams;

/**
 * Extra headers of one file part.
 *
 * @example A part with its own header
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const headers: httpx.PartHeaders = { "Content-Language": "en" };
 * const request = new httpx.Request("POST", "https://example.org/upload", {
 *   files: { doc: ["notes.txt", "hello", "text/plain", headers] },
 * });
 * const body = new TextDecoder().decode(await request.read());
 * console.assert(body.includes("Content-Language: en\r\n"));
 * ```
 */
export type PartHeaders = Record<string, string> | Array<[string, string]>;

/**
 * One file: its content alone (the file name is the `File`'s name, or
 * `"upload"`), or `[filename, content, contentType?, headers?]`. A
 * `filename` of `null` sends a plain field, with no file name and (unless
 * given) no content type.
 *
 * @example A file with a name and a content type
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const file: httpx.FileValue = ["report.csv", "a,b\n1,2\n", "text/csv"];
 * const request = new httpx.Request("POST", "https://example.org/upload", {
 *   files: { report: file },
 * });
 * const body = new TextDecoder().decode(await request.read());
 * console.assert(body.includes('name="report"; filename="report.csv"'));
 * console.assert(body.includes("Content-Type: text/csv"));
 * ```
 */
export type FileValue =
  | ContentSource
  | [filename: string | null, content: ContentSource]
  | [
    filename: string | null,
    content: ContentSource,
    contentType: string | null | undefined,
  ]
  | [
    filename: string | null,
    content: ContentSource,
    contentType: string | null | undefined,
    headers: PartHeaders,
  ];

/**
 * Files by field name, or a list of `[name, file]` pairs (names may repeat).
 *
 * @example Upload two files under one field name
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const files: httpx.RequestFiles = [
 *   ["photos", ["a.png", new Uint8Array([0x89, 0x50])]],
 *   ["photos", ["b.png", new Uint8Array([0x89, 0x50])]],
 * ];
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, {
 *     text: request.headers.get("content-type") ?? "",
 *   })
 * );
 * await using client = new httpx.Client({ transport });
 * const response = await client.post("https://example.org/upload", { files });
 * console.assert(response.text.startsWith("multipart/form-data; boundary="));
 * const sent = new TextDecoder().decode(response.request.content);
 * console.assert(sent.split('filename="').length === 3);
 * ```
 */
export type RequestFiles =
  | Record<string, FileValue>
  | Array<[string, FileValue]>;

/** Options of {@linkcode MultipartStream}. */
export interface MultipartOptions {
  /** Plain form fields, sent first. */
  data?: RequestData | null;
  /** File fields, sent after the data fields, in order. */
  files?: RequestFiles | null;
  /** The boundary; 32 random hex digits when not given. */
  boundary?: string | null;
}

const encoder = new TextEncoder();
const CRLF = encoder.encode("\r\n");
/** In-memory bodies up to this size are joined with the part headers. */
const JOIN_LIMIT = 16_384;

interface Part {
  /** `--boundary\r\n` and the part's headers, up to the blank line. */
  head: Uint8Array;
  /** The body, in memory (data fields) or as a stream (files). */
  body: Uint8Array | ContentStream;
}

/**
 * A multipart body. Data fields come first, then files, each file streamed
 * in chunks (never read whole into memory). The total length is known, and
 * sent as `Content-Length`, when every part's size is; otherwise the body is
 * sent chunked. It can be sent again (redirects, auth retries) when every
 * file can be re-read: bytes, text, `Blob`s and `Deno.FsFile`s (re-read
 * from the start); one-shot sources raise `StreamConsumed` on a second pass.
 */
export class MultipartStream implements ContentStream {
  /** The boundary between parts. */
  readonly boundary: string;
  /** `multipart/form-data; boundary=…`. */
  readonly contentType: string;
  /** Total length in bytes, or `null` when a file's size is unknown. */
  readonly size: number | null;
  /** Whether every part can be read again. */
  readonly replayable: boolean;
  #parts: Part[];
  #closing: Uint8Array;
  #iterated = false;

  /**
   * Prepare the parts; files are not read until the body is iterated.
   *
   * @param options The fields, files and boundary.
   */
  constructor(options: MultipartOptions = {}) {
    const boundary = options.boundary ?? randomBoundary();
    this.boundary = boundary;
    this.contentType = `multipart/form-data; boundary=${boundary}`;
    this.#parts = [
      ...dataParts(options.data ?? {}, boundary),
      ...fileParts(options.files ?? {}, boundary),
    ];
    this.#closing = encoder.encode(`--${boundary}--\r\n`);
    let size: number | null = this.#closing.byteLength;
    let replayable = true;
    for (const part of this.#parts) {
      const body = part.body;
      const bodySize = body instanceof Uint8Array ? body.byteLength : body.size;
      if (!(body instanceof Uint8Array) && !body.replayable) replayable = false;
      size = size === null || bodySize === null
        ? null
        : size + part.head.byteLength + bodySize + CRLF.byteLength;
    }
    this.size = size;
    this.replayable = replayable;
  }

  /**
   * The body headers: `Content-Length` (or `Transfer-Encoding: chunked`)
   * and `Content-Type`.
   *
   * @returns Header pairs.
   */
  headers(): Array<[string, string]> {
    return [
      this.size === null
        ? ["Transfer-Encoding", "chunked"]
        : ["Content-Length", String(this.size)],
      ["Content-Type", this.contentType],
    ];
  }

  /**
   * Yields the encoded body. Headers and small fields are joined into few
   * chunks; file contents pass through in the chunks their source gives
   * (64 KiB for files).
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#iterated && !this.replayable) throw new StreamConsumed();
    this.#iterated = true;
    let pending: Uint8Array[] = [];
    for (const part of this.#parts) {
      pending.push(part.head);
      if (part.body instanceof Uint8Array) {
        if (part.body.byteLength <= JOIN_LIMIT) {
          pending.push(part.body);
        } else {
          // Large bodies are passed on as they are, not copied.
          yield concatBytes(pending);
          pending = [];
          yield part.body;
        }
      } else {
        for await (const chunk of part.body) {
          if (pending.length > 0) {
            yield concatBytes(pending);
            pending = [];
          }
          yield chunk;
        }
      }
      pending.push(CRLF);
    }
    pending.push(this.#closing);
    yield concatBytes(pending);
  }
}

/**
 * The boundary of a `multipart/form-data` `Content-Type` header, unquoted,
 * so a request sends its body with the boundary the user declared.
 *
 * @param contentType The header value.
 * @returns The boundary, or `null` for another type or when it has none.
 */
export function boundaryFromContentType(
  contentType: string | null | undefined,
): string | null {
  if (!contentType || !contentType.startsWith("multipart/form-data")) {
    return null;
  }
  for (const section of contentType.split(";").slice(1)) {
    const param = section.trim();
    if (param.toLowerCase().startsWith("boundary=")) {
      return param.slice("boundary=".length).replace(/^"+|"+$/g, "");
    }
  }
  return null;
}

function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A `name="value"` parameter with HTML5 form escaping: `"` → `%22`,
 * `\` → `\\`, control characters other than ESC → `%XX`.
 */
function formParam(name: string, value: string): string {
  // deno-lint-ignore no-control-regex
  const escaped = value.replace(/["\\\x00-\x1a\x1c-\x1f]/g, (c) => {
    if (c === '"') return "%22";
    if (c === "\\") return "\\\\";
    return "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
  });
  return `${name}="${escaped}"`;
}

function primitiveToString(value: unknown): string {
  if (value === true) return "true";
  if (value === false) return "false";
  if (value === null || value === undefined) return "";
  return String(value);
}

function checkName(name: unknown): string {
  if (typeof name !== "string") {
    throw new TypeError(
      `Invalid type for name. Expected str, got ${describeType(name)}: ${
        String(name)
      }`,
    );
  }
  return name;
}

function dataPart(name: string, value: unknown, boundary: string): Part {
  if (
    value !== null && value !== undefined && typeof value !== "string" &&
    typeof value !== "number" && typeof value !== "boolean" &&
    !(value instanceof Uint8Array)
  ) {
    throw new TypeError(
      `Invalid type for value. Expected primitive type, got ${
        describeType(value)
      }: ${String(value)}`,
    );
  }
  const head = `--${boundary}\r\nContent-Disposition: form-data; ${
    formParam("name", checkName(name))
  }\r\n\r\n`;
  return {
    head: encoder.encode(head),
    body: value instanceof Uint8Array
      ? value
      : encoder.encode(primitiveToString(value)),
  };
}

function dataParts(data: RequestData, boundary: string): Part[] {
  const parts: Part[] = [];
  const entries = data instanceof URLSearchParams
    ? data.entries()
    : Object.entries(data);
  for (const [name, value] of entries) {
    if (Array.isArray(value)) {
      for (const item of value) parts.push(dataPart(name, item, boundary));
    } else {
      parts.push(dataPart(name, value, boundary));
    }
  }
  return parts;
}

function fileParts(files: RequestFiles, boundary: string): Part[] {
  const entries = Array.isArray(files) ? files : Object.entries(files);
  return entries.map(([name, value]) => filePart(name, value, boundary));
}

function filePart(name: unknown, value: FileValue, boundary: string): Part {
  let filename: string | null;
  let content: ContentSource;
  let contentType: string | null | undefined = undefined;
  let extra: Array<[string, string]> = [];
  if (Array.isArray(value)) {
    const tuple = value as unknown[];
    filename = tuple[0] as string | null;
    content = tuple[1] as ContentSource;
    contentType = tuple[2] as string | null | undefined;
    const headers = tuple[3] as PartHeaders | undefined;
    if (headers !== undefined) {
      extra = Array.isArray(headers) ? [...headers] : Object.entries(headers);
    }
  } else {
    content = value;
    filename = defaultFilename(value);
  }
  if (contentType === null || contentType === undefined) {
    contentType = filename
      ? guessMediaType(filename) ?? "application/octet-stream"
      : null;
  }
  // As HTTPX (and unlike requests): a Content-Type among the part headers
  // wins over the tuple's third element.
  const hasContentType = extra.some(([key]) =>
    key.toLowerCase().includes("content-type")
  );
  if (contentType !== null && !hasContentType) {
    extra.push(["Content-Type", contentType]);
  }
  let head = `--${boundary}\r\nContent-Disposition: form-data; ${
    formParam("name", checkName(name))
  }`;
  if (filename) head += `; ${formParam("filename", filename)}`;
  for (const [key, val] of extra) head += `\r\n${key}: ${val}`;
  head += "\r\n\r\n";
  const stream = fileToByteStream(content);
  return {
    head: encoder.encode(head),
    body: "bytes" in stream && stream.bytes instanceof Uint8Array
      ? stream.bytes
      : stream,
  };
}

function defaultFilename(value: unknown): string {
  const name = value instanceof Blob && "name" in value
    ? (value as File).name
    : undefined;
  if (typeof name === "string" && name !== "") {
    return name.slice(name.lastIndexOf("/") + 1) || "upload";
  }
  return "upload";
}
