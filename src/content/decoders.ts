/**
 * Response `Content-Encoding` decoders: gzip, deflate, br and zstd, stacked
 * in reverse order of application, as streams.
 *
 * @module
 */

import { DecodingError } from "../errors.ts";
import { ZstdFrameTracker } from "./_zstd_frames.ts";

/**
 * The content codings this module decodes, in the order HTTPX lists them in
 * its default `Accept-Encoding`. (`identity` is understood too.)
 */
export const SUPPORTED_ENCODINGS: readonly string[] = Object.freeze([
  "gzip",
  "deflate",
  "br",
  "zstd",
]);

/** The default `Accept-Encoding` request header value: `"gzip, deflate, br, zstd"`. */
export const ACCEPT_ENCODING: string = SUPPORTED_ENCODINGS.join(", ");

type Coding = "gzip" | "deflate" | "br" | "zstd";

const CODINGS: Record<string, Coding> = {
  gzip: "gzip",
  "x-gzip": "gzip",
  deflate: "deflate",
  br: "br",
  zstd: "zstd",
};

/**
 * The codings named by a `Content-Encoding` value that can be decoded, in
 * the order they were applied. `identity` and unknown names are skipped.
 *
 * @param contentEncoding The header value (comma-separated), if any.
 * @returns The known codings, first-applied first.
 */
export function parseContentEncoding(
  contentEncoding: string | null | undefined,
): string[] {
  if (!contentEncoding) return [];
  const codings: string[] = [];
  for (const token of contentEncoding.split(",")) {
    const coding = CODINGS[token.trim().toLowerCase()];
    if (coding !== undefined) codings.push(coding);
  }
  return codings;
}

/**
 * Decode a response body according to its `Content-Encoding`.
 *
 * With no coding (or only `identity` / unknown ones, which are passed
 * through untouched, as HTTPX does) the source itself is returned. Several
 * codings (`"gzip, br"`) are undone in reverse order. An empty body decodes
 * to nothing, whatever the coding. Corrupt or truncated data raises
 * {@linkcode DecodingError} with the underlying error as `cause`; errors
 * raised by the source itself pass through unchanged.
 *
 * @param source The body as received.
 * @param contentEncoding The `Content-Encoding` header value.
 * @returns The decoded body.
 */
export function decodeContent(
  source: AsyncIterable<Uint8Array>,
  contentEncoding: string | null | undefined,
): AsyncIterable<Uint8Array> {
  const codings = parseContentEncoding(contentEncoding);
  let stream = source;
  for (let i = codings.length - 1; i >= 0; i--) {
    stream = decodeOne(stream, codings[i] as Coding);
  }
  return stream;
}

interface Pipe {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}

async function* decodeOne(
  source: AsyncIterable<Uint8Array>,
  coding: Coding,
): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let first: Uint8Array | null = null;
  let sourceDone = false;
  try {
    // Find the first bytes: an empty body decodes to nothing, and deflate
    // needs a look at the first two bytes to tell zlib from raw.
    while (first === null || (coding === "deflate" && first.byteLength < 2)) {
      const result = await iterator.next();
      if (result.done) {
        sourceDone = true;
        break;
      }
      const chunk = result.value;
      if (chunk.byteLength === 0) continue;
      first = first === null ? chunk.slice() : join(first, chunk);
    }
  } catch (error) {
    sourceDone = true;
    throw error;
  } finally {
    if (!sourceDone && first === null) await iterator.return?.();
  }
  if (first === null) return;

  let pipe: Pipe;
  try {
    pipe = await createPipe(coding, first);
  } catch (error) {
    if (!sourceDone) await iterator.return?.();
    throw new DecodingError(`Unable to decode ${coding} content`, {
      cause: error,
    });
  }

  // Errors from the source are remembered so they are not mistaken for
  // (and wrapped as) decoding errors when they come out of the pipe.
  let sourceError: { error: unknown } | null = null;
  // The zstd decompressor does not notice a truncated stream; this does.
  const frames = coding === "zstd" ? new ZstdFrameTracker() : null;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (frames !== null && !frames.complete()) {
      controller.error(new Error("Zstandard data is incomplete"));
    } else controller.close();
  };
  const head = first;
  frames?.feed(head);
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head);
      if (sourceDone) finish(controller);
    },
    async pull(controller) {
      try {
        const result = await iterator.next();
        if (result.done) finish(controller);
        else if (result.value.byteLength > 0) {
          frames?.feed(result.value);
          controller.enqueue(result.value);
        }
      } catch (error) {
        sourceError = { error };
        controller.error(error);
      }
    },
    async cancel() {
      await closeSource();
    },
  }, { highWaterMark: 0 });

  let sourceClosed = false;
  const closeSource = async () => {
    if (sourceClosed) return;
    sourceClosed = true;
    await iterator.return?.();
  };
  const abort = new AbortController();
  const reader = input.pipeThrough(pipe, { signal: abort.signal }).getReader();
  let finished = false;
  try {
    while (true) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        finished = true;
        if (sourceError !== null) {
          throw (sourceError as { error: unknown }).error;
        }
        throw new DecodingError(describeError(coding, error), {
          cause: error,
        });
      }
      if (result.done) {
        finished = true;
        return;
      }
      if (result.value.byteLength > 0) yield result.value;
    }
  } finally {
    if (!finished) {
      // Stopped early: tear the pipe down and close the source now, not
      // whenever the decompressor notices.
      abort.abort();
      await reader.cancel().catch(() => {});
      await closeSource().catch(() => {});
    }
    reader.releaseLock();
  }
}

async function createPipe(coding: Coding, first: Uint8Array): Promise<Pipe> {
  switch (coding) {
    case "gzip":
      return webPipe("gzip");
    case "deflate":
      return webPipe(isZlibHeader(first) ? "deflate" : "deflate-raw");
    case "br":
      return webPipe("brotli");
    case "zstd": {
      const [zlib, stream] = await Promise.all([
        import("node:zlib"),
        import("node:stream"),
      ]);
      const create = (zlib as unknown as {
        createZstdDecompress?: () => import("node:stream").Duplex;
      }).createZstdDecompress;
      if (create === undefined) {
        throw new TypeError("Zstandard decoding is not available here");
      }
      return stream.Duplex.toWeb(create()) as unknown as Pipe;
    }
  }
}

function webPipe(format: string): Pipe {
  return new DecompressionStream(
    format as CompressionFormat,
  ) as unknown as Pipe;
}

/** RFC 1950: method 8 (deflate), window ≤ 32 KiB, header check bits. */
function isZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 2) return false;
  const cmf = bytes[0];
  const flg = bytes[1];
  return (cmf & 0x0f) === 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

function describeError(coding: Coding, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return detail
    ? `Unable to decode ${coding} content: ${detail}`
    : `Unable to decode ${coding} content`;
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
