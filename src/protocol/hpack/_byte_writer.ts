/**
 * A growable byte buffer for building wire output without intermediate
 * arrays.
 *
 * @module
 */

import { CompressionError } from "./compression_error.ts";

/** Appends bytes to a buffer that doubles when full. */
export class ByteWriter {
  #buffer: Uint8Array;
  #length = 0;

  /** @param initialCapacity Starting size of the buffer in octets. */
  constructor(initialCapacity = 256) {
    this.#buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Octets written so far. */
  get length(): number {
    return this.#length;
  }

  /** Make room for `extra` more octets. */
  reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }

  /** Append one octet. */
  byte(value: number): void {
    if (this.#length === this.#buffer.length) this.reserve(1);
    this.#buffer[this.#length++] = value;
  }

  /** Append all of `data`. */
  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.#buffer.set(data, this.#length);
    this.#length += data.length;
  }

  /**
   * Append a latin1 string, one octet per character; a character above
   * U+00FF raises {@linkcode CompressionError}.
   */
  latin1(text: string): void {
    const n = text.length;
    this.reserve(n);
    const buffer = this.#buffer;
    let at = this.#length;
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      if (code > 0xff) {
        throw new CompressionError(
          "Header contains a character outside latin1 (one octet per character)",
        );
      }
      buffer[at++] = code;
    }
    this.#length = at;
  }

  /** Overwrite the octet at `offset` (already written). */
  setByte(offset: number, value: number): void {
    this.#buffer[offset] = value;
  }

  /** The raw buffer; valid up to {@linkcode ByteWriter.length} until the next write. */
  get buffer(): Uint8Array {
    return this.#buffer;
  }

  /** Move the write position (after writing into {@linkcode ByteWriter.buffer} directly). */
  setLength(length: number): void {
    this.#length = length;
  }

  /** A copy of what was written, and an empty writer. */
  take(): Uint8Array {
    const out = this.#buffer.slice(0, this.#length);
    this.#length = 0;
    return out;
  }
}
