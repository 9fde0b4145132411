/**
 * The chunked transfer coding for request bodies (RFC 9112 §7.1).
 *
 * @module
 */

/** The last chunk and the empty trailer section: `0\r\n\r\n`. */
export const LAST_CHUNK: Uint8Array = Uint8Array.of(0x30, 13, 10, 13, 10);

const CRLF = Uint8Array.of(13, 10);

/** Chunks up to this size are copied into one buffer with their framing. */
const COALESCE_LIMIT = 64 * 1024;

/**
 * `data` framed as one chunk: `size-in-hex CRLF data CRLF`. Small chunks come
 * back as one new array; large ones as three pieces (size line, `data`
 * itself, CRLF) so the data is not copied. Empty data gives no pieces: an
 * empty chunk would end the body.
 *
 * @param data The chunk's bytes.
 * @returns The pieces to write, in order.
 */
export function encodeChunk(data: Uint8Array): Uint8Array[] {
  const size = data.length;
  if (size === 0) return [];
  const line = size.toString(16) + "\r\n";
  if (size > COALESCE_LIMIT) {
    return [asciiBytes(line), data, CRLF];
  }
  const out = new Uint8Array(line.length + size + 2);
  for (let i = 0; i < line.length; i++) out[i] = line.charCodeAt(i);
  out.set(data, line.length);
  out[out.length - 2] = 13;
  out[out.length - 1] = 10;
  return [out];
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * `data` framed as one chunk, written into `out` from its start: the number
 * of bytes written, or -1 when `out` is too small (nothing is written
 * then). Empty data writes nothing (0).
 *
 * @param data The chunk's bytes.
 * @param out Where to write `size-in-hex CRLF data CRLF`.
 * @returns The framed length, or -1.
 */
export function encodeChunkInto(data: Uint8Array, out: Uint8Array): number {
  const size = data.length;
  if (size === 0) return 0;
  const line = size.toString(16);
  const total = line.length + size + 4;
  if (total > out.length) return -1;
  let o = 0;
  for (let i = 0; i < line.length; i++) out[o++] = line.charCodeAt(i);
  out[o++] = 13;
  out[o++] = 10;
  out.set(data, o);
  o += size;
  out[o++] = 13;
  out[o++] = 10;
  return o;
}
