/**
 * Byte streams: {@linkcode BytesStream} for a body held in memory, adapters
 * from every kind of content a user may pass, and re-chunking helpers for
 * `iterBytes(chunkSize)` / `iterText(chunkSize)`.
 *
 * @module
 */

import type { ByteStream } from "../_types.ts";
import { StreamConsumed } from "../errors.ts";

/** Size of the chunks read from files and other sources we pull from. */
export const CHUNK_SIZE = 65_536;

/**
 * Every kind of content accepted as a body: text (sent as UTF-8), bytes,
 * blobs, web streams, (async) iterables of byte chunks and open Deno files.
 *
 * @example The same body from different sources
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const bytes = new TextEncoder().encode("hi");
 * async function* chunks() {
 *   yield bytes.subarray(0, 1);
 *   yield bytes.subarray(1);
 * }
 * const sources: httpx.ContentSource[] = [
 *   "hi",
 *   bytes,
 *   new Blob([bytes]),
 *   ReadableStream.from([bytes]),
 *   chunks(),
 * ];
 * for (const content of sources) {
 *   const request = new httpx.Request("POST", "https://example.org/", {
 *     content,
 *   });
 *   console.assert(new TextDecoder().decode(await request.read()) === "hi");
 * }
 * ```
 */
export type ContentSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | ReadableStream<Uint8Array>
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Deno.FsFile;

/**
 * An {@linkcode AsyncByteStream} that knows its length when it can,
 * without reading.
 *
 * @example Know a body's length before sending it
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const request = new httpx.Request("POST", "https://example.org/", {
 *   content: "abc",
 * });
 * const stream = request.stream as httpx.ContentStream;
 * console.assert(stream.size === 3 && stream.replayable);
 * console.assert(request.headers.get("content-length") === "3");
 * ```
 */
export interface ContentStream extends ByteStream {
  /** Total number of bytes, or `null` when it is only known by reading. */
  readonly size: number | null;
  /** Whether the stream yields the same bytes when iterated again. */
  readonly replayable: boolean;
}

const encoder = new TextEncoder();

/**
 * A body held in memory as one `Uint8Array`. It can be iterated any number of
 * times and yields its bytes as a single chunk (nothing when empty).
 * Transports check `instanceof BytesStream` to write small bodies together
 * with the request head.
 *
 * @example A body in memory, read twice
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const stream = new httpx.ByteStream(new TextEncoder().encode("hello"));
 * console.assert(stream.size === 5 && stream.replayable);
 * const chunks: Uint8Array[] = [];
 * for await (const chunk of stream) chunks.push(chunk);
 * for await (const chunk of stream) chunks.push(chunk);
 * console.assert(chunks.length === 2);
 * const response = new httpx.Response(200, { stream });
 * await response.read();
 * console.assert(response.text === "hello");
 * ```
 */
export class BytesStream implements ContentStream {
  /** The whole body. */
  readonly bytes: Uint8Array;

  /**
   * Wrap bytes as a stream.
   *
   * @param bytes The body (kept as given, not copied).
   */
  constructor(bytes: Uint8Array = new Uint8Array(0)) {
    this.bytes = bytes;
  }

  /** The body's length in bytes. */
  get size(): number {
    return this.bytes.byteLength;
  }

  /** Always `true`: the bytes are held in memory. */
  get replayable(): boolean {
    return true;
  }

  /** Yields the bytes once, or nothing for an empty body. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.bytes.byteLength > 0) yield this.bytes;
  }

  /** Nothing to release. */
  close(): void {}
}

/** A Blob (or File), read through `blob.stream()` afresh on each iteration. */
class BlobStream implements ContentStream {
  readonly size: number;
  readonly replayable: boolean = true;
  #blob: Blob;

  constructor(blob: Blob) {
    this.#blob = blob;
    this.size = blob.size;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    yield* iterateReadable(this.#blob.stream());
  }
}

/** An open Deno file, read in 64 KiB chunks from where it stood at the start. */
class FileStream implements ContentStream {
  readonly size: number | null;
  readonly replayable: boolean;
  #file: Deno.FsFile;
  #start: number | null;

  constructor(file: Deno.FsFile, fromStart: boolean) {
    this.#file = file;
    let start: number | null = null;
    let size: number | null = null;
    try {
      start = fromStart ? 0 : file.seekSync(0, 1 /* SeekMode.Current */);
    } catch {
      // Not seekable (a pipe, a character device): read it as it comes.
    }
    try {
      const info = file.statSync();
      if (info.isFile && start !== null) size = Math.max(info.size - start, 0);
    } catch {
      // No size: it is sent chunked.
    }
    this.#start = start;
    this.size = size;
    this.replayable = start !== null;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#start !== null) {
      await this.#file.seek(this.#start, 0 /* SeekMode.Start */);
    }
    while (true) {
      const buffer = new Uint8Array(CHUNK_SIZE);
      const n = await this.#file.read(buffer);
      if (n === null) return;
      if (n > 0) yield buffer.subarray(0, n);
    }
  }
}

/** A web ReadableStream: one pass only. */
class ReadableByteStream implements ContentStream {
  readonly size: number | null = null;
  readonly replayable: boolean = false;
  #stream: ReadableStream<Uint8Array>;
  #used = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#stream = stream;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#used) throw new StreamConsumed();
    this.#used = true;
    return iterateReadable(this.#stream);
  }

  async close(): Promise<void> {
    if (!this.#used) {
      this.#used = true;
      await this.#stream.cancel().catch(() => {});
    }
  }
}

/** A sync or async iterable of chunks. Iterators (generators) are one-shot. */
class IterableStream implements ContentStream {
  readonly size: number | null = null;
  readonly replayable: boolean;
  #source: Iterable<unknown> | AsyncIterable<unknown>;
  #used = false;

  constructor(source: Iterable<unknown> | AsyncIterable<unknown>) {
    this.#source = source;
    this.replayable = !isIterator(source);
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#used && !this.replayable) throw new StreamConsumed();
    this.#used = true;
    return iterateChunks(this.#source);
  }
}

/**
 * Adapt any accepted content to a {@linkcode ContentStream}. Text is encoded
 * as UTF-8; bytes, strings and blobs can be iterated again; an open
 * `Deno.FsFile` is streamed in 64 KiB chunks from its current position (and
 * seeks back there when iterated again); web streams, generators and other
 * iterators are one-shot and raise `StreamConsumed` the second time.
 *
 * @param content The content to send.
 * @returns A stream over its bytes, with the size when known.
 * @throws {TypeError} For a value that is not one of the accepted kinds.
 */
export function toByteStream(content: ContentSource): ContentStream {
  if (typeof content === "string") {
    return new BytesStream(encoder.encode(content));
  }
  if (content instanceof Uint8Array) return new BytesStream(content);
  if (content instanceof ArrayBuffer) {
    return new BytesStream(new Uint8Array(content));
  }
  if (ArrayBuffer.isView(content)) {
    return new BytesStream(
      new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
    );
  }
  if (content instanceof Blob) return new BlobStream(content);
  if (content instanceof ReadableStream) {
    return new ReadableByteStream(content);
  }
  if (isFsFile(content)) return new FileStream(content, false);
  if (
    content !== null && typeof content === "object" &&
    (Symbol.asyncIterator in content || Symbol.iterator in content)
  ) {
    return new IterableStream(content);
  }
  throw new TypeError(
    `Unexpected type for 'content', ${describeType(content)}`,
  );
}

/**
 * Like {@linkcode toByteStream}, for a multipart file: an open
 * `Deno.FsFile` is read from its start, and re-read from its start on each
 * iteration, as HTTPX rewinds files before rendering a part.
 *
 * @param content The file content.
 * @returns A stream over its bytes, with the size when known.
 */
export function fileToByteStream(content: ContentSource): ContentStream {
  if (isFsFile(content)) return new FileStream(content, true);
  return toByteStream(content);
}

/**
 * Whether a value is an open `Deno.FsFile`, checked without touching `Deno`
 * where it does not exist.
 *
 * @param value Any value.
 * @returns `true` for a `Deno.FsFile`.
 */
export function isFsFile(value: unknown): value is Deno.FsFile {
  const deno = (globalThis as { Deno?: { FsFile?: unknown } }).Deno;
  return typeof deno?.FsFile === "function" &&
    value instanceof (deno.FsFile as new () => unknown);
}

/**
 * Re-chunk a byte stream, as HTTPX's `ByteChunker` does: without a size,
 * every non-empty chunk is passed through as it is; with a size, chunks are
 * exactly `chunkSize` bytes long except the last. Empty chunks are never
 * yielded.
 *
 * @param source The byte chunks.
 * @param chunkSize The size of each output chunk, or `null`/`undefined`.
 * @returns The re-chunked stream.
 */
export async function* rechunk(
  source: AsyncIterable<Uint8Array>,
  chunkSize?: number | null,
): AsyncIterable<Uint8Array> {
  if (chunkSize === undefined || chunkSize === null) {
    for await (const chunk of source) if (chunk.byteLength > 0) yield chunk;
    return;
  }
  checkChunkSize(chunkSize);
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  for await (let chunk of source) {
    if (chunk.byteLength === 0) continue;
    if (pendingSize > 0) {
      const need = chunkSize - pendingSize;
      if (chunk.byteLength < need) {
        pending.push(chunk.slice());
        pendingSize += chunk.byteLength;
        continue;
      }
      pending.push(chunk.subarray(0, need));
      yield concatBytes(pending, chunkSize);
      pending = [];
      pendingSize = 0;
      chunk = chunk.subarray(need);
    }
    let offset = 0;
    while (chunk.byteLength - offset >= chunkSize) {
      yield chunk.subarray(offset, offset + chunkSize);
      offset += chunkSize;
    }
    if (offset < chunk.byteLength) {
      // Copied: the source may reuse its buffer once we ask for more.
      pending.push(chunk.slice(offset));
      pendingSize = chunk.byteLength - offset;
    }
  }
  if (pendingSize > 0) yield concatBytes(pending, pendingSize);
}

/**
 * Re-chunk text, as HTTPX's `TextChunker` does: without a size, non-empty
 * pieces pass through; with one, pieces are exactly `chunkSize` characters
 * (code points, so a surrogate pair is never split) except the last.
 *
 * @param source The text pieces.
 * @param chunkSize The number of characters per output piece.
 * @returns The re-chunked text.
 */
export async function* rechunkText(
  source: AsyncIterable<string>,
  chunkSize?: number | null,
): AsyncIterable<string> {
  if (chunkSize === undefined || chunkSize === null) {
    for await (const text of source) if (text.length > 0) yield text;
    return;
  }
  checkChunkSize(chunkSize);
  let pending = "";
  for await (const text of source) {
    if (text.length === 0) continue;
    pending += text;
    let offset = 0;
    while (true) {
      const end = advanceCodePoints(pending, offset, chunkSize);
      if (end < 0) break;
      yield pending.slice(offset, end);
      offset = end;
    }
    pending = pending.slice(offset);
  }
  if (pending.length > 0) yield pending;
}

/**
 * The index `count` code points after `start`, or -1 when the text ends first.
 */
function advanceCodePoints(text: string, start: number, count: number): number {
  let index = start;
  for (let i = 0; i < count; i++) {
    if (index >= text.length) return -1;
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length &&
        isLowSurrogate(text.charCodeAt(index + 1))
      ? 2
      : 1;
  }
  // A high surrogate at the very end may still get its pair.
  const last = text.charCodeAt(index - 1);
  if (index === text.length && last >= 0xd800 && last <= 0xdbff) return -1;
  return index;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError(
      `Chunk size must be a positive integer, got ${chunkSize}`,
    );
  }
}

/**
 * A body stream that can hand over the rest of its bytes in one call,
 * with the same effect as iterating it to the end (errors, release).
 * Transports' response bodies implement it so `Response.read()` costs no
 * round trip per chunk and per wrapping layer.
 *
 * @internal
 */
export interface WholeBodyStream extends ByteStream {
  /** The rest of the body, joined. */
  readAll(): Promise<Uint8Array>;
}

/**
 * Whether `stream` implements {@linkcode WholeBodyStream.readAll}.
 *
 * @internal
 */
export function canReadAll(stream: ByteStream): stream is WholeBodyStream {
  return typeof (stream as Partial<WholeBodyStream>).readAll === "function";
}

/**
 * A whole-body stream that can also hand over the rest of its body with no
 * I/O and no promise, when all of it is buffered already.
 *
 * @internal
 */
export interface BufferedBodyStream extends WholeBodyStream {
  /**
   * The rest of the body when it is all at hand: the stream is then read to
   * the end and closed, as after `readAll()` (a later `close()` does
   * nothing). `undefined` when I/O (or anything asynchronous) is needed;
   * nothing has changed then, and `readAll()` is the way on.
   */
  takeBuffered(): Uint8Array | undefined;
}

/**
 * The rest of `stream` when it is all buffered (see
 * {@linkcode BufferedBodyStream.takeBuffered}), else `undefined`.
 *
 * @internal
 */
export function takeBufferedOf(stream: ByteStream): Uint8Array | undefined {
  const take = (stream as Partial<BufferedBodyStream>).takeBuffered;
  return typeof take === "function" ? take.call(stream) : undefined;
}

/**
 * The rest of `stream` in one array: through its `readAll()` when it has
 * one, else by iterating it to the end.
 *
 * @internal
 */
export function readAllOf(stream: ByteStream): Promise<Uint8Array> {
  if (canReadAll(stream)) {
    try {
      return stream.readAll();
    } catch (error) {
      return Promise.reject(error);
    }
  }
  return iterateAll(stream);
}

async function iterateAll(stream: ByteStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    if (chunk.byteLength === 0) continue;
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return chunks.length === 0 ? new Uint8Array(0) : concatBytes(chunks, total);
}

/**
 * Join byte chunks into one array.
 *
 * @param chunks The pieces.
 * @param total Their total length, when the caller knows it.
 * @returns A new array (or the only piece, when there is just one).
 */
export function concatBytes(chunks: Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const size = total ?? chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

async function* iterateReadable(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    while (true) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      const chunk = toChunk(result.value);
      if (chunk.byteLength > 0) yield chunk;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

async function* iterateChunks(
  source: Iterable<unknown> | AsyncIterable<unknown>,
): AsyncGenerator<Uint8Array> {
  for await (const item of source as AsyncIterable<unknown>) {
    const chunk = toChunk(item);
    if (chunk.byteLength > 0) yield chunk;
  }
}

function toChunk(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new TypeError(
    `Expected a stream of Uint8Array chunks, got ${describeType(value)}`,
  );
}

function isIterator(value: object): boolean {
  return typeof (value as { next?: unknown }).next === "function";
}

/**
 * A short name for a value's type, for error messages.
 *
 * @param value Any value.
 * @returns `null`, `undefined`, a primitive type name or a class name.
 */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== "Object" ? name : "object";
}
