/**
 * The HPACK encoder.
 *
 * Header names and values are strings with one character per wire octet
 * (latin1); a character above U+00FF raises `CompressionError`. Callers
 * that hold UTF-8 text encode it to bytes and then to latin1 first.
 *
 * @module
 */

import { ByteWriter } from "./_byte_writer.ts";
import { CompressionError } from "./compression_error.ts";
import { DynamicTable, entrySize } from "./dynamic_table.ts";
import { encodeInteger } from "./integer.ts";
import {
  STATIC_TABLE_LENGTH,
  staticFullMatch,
  staticNameMatch,
} from "./static_table.ts";
import { encodeString } from "./string_literal.ts";

/** A header list: `[name, value]` pairs of latin1 strings, in order. */
export type HeaderList = Array<[string, string]>;

/** Options of {@linkcode HpackEncoder}. */
export interface HpackEncoderOptions {
  /** Initial dynamic table size (4096, the HTTP/2 default). */
  maxTableSize?: number;
  /** Use Huffman coding where it is shorter (default `true`). */
  huffman?: boolean;
}

/** Options of one {@linkcode HpackEncoder.encode} call. */
export interface EncodeOptions {
  /** Names (lowercase) whose values must never be indexed, on top of the defaults. */
  sensitive?: (name: string) => boolean;
}

const NOT_LATIN1 = /[\u0100-\uffff]/;

/** Never indexed, whatever the value (credentials). */
const ALWAYS_SENSITIVE = new Set(["authorization", "proxy-authorization"]);

/** Cookies shorter than this are never indexed (easy to guess, RFC 7541 §7.1.3). */
const SHORT_COOKIE = 20;

/** Values that change per message: sent as literals without indexing. */
const NOT_INDEXED = new Set([
  ":path",
  "age",
  "content-length",
  "content-range",
  "date",
  "etag",
  "if-modified-since",
  "if-none-match",
  "if-range",
  "last-modified",
  "location",
  "set-cookie",
]);

/**
 * Encodes header lists into HPACK header blocks, keeping the dynamic table
 * in step with the peer's decoder.
 *
 * Indexing policy: exact matches (static or dynamic) are sent indexed;
 * `authorization`, `proxy-authorization`, short `cookie` values and names
 * for which `sensitive` says so are sent never-indexed; per-message values
 * (`:path`, `content-length`, `date`, `etag`, …) and entries larger than
 * three quarters of the table are sent without indexing; everything else is
 * added to the dynamic table.
 */
export class HpackEncoder {
  #table: DynamicTable;
  #huffman: boolean;
  #writer = new ByteWriter(512);
  #pendingMin: number | null = null;
  #pendingFinal: number | null = null;

  /** @param options Table size and Huffman use. */
  constructor(options: HpackEncoderOptions = {}) {
    this.#table = new DynamicTable(options.maxTableSize ?? 4096, {
      lookups: true,
    });
    this.#huffman = options.huffman ?? true;
  }

  /** The dynamic table (read it; do not change it). */
  get table(): DynamicTable {
    return this.#table;
  }

  /** Current maximum dynamic table size. */
  get maxTableSize(): number {
    return this.#table.maxSize;
  }

  /**
   * Change the dynamic table size (at most the peer's
   * SETTINGS_HEADER_TABLE_SIZE). The next header block starts with the
   * size update(s): the smallest size set since the last block, then the
   * final one.
   */
  setMaxTableSize(size: number): void {
    if (size === this.#table.maxSize && this.#pendingFinal === null) return;
    this.#table.setMaxSize(size);
    this.#pendingMin = this.#pendingMin === null
      ? size
      : Math.min(this.#pendingMin, size);
    this.#pendingFinal = size;
  }

  /** Encode one header list into one header block. */
  encode(
    headers: ReadonlyArray<readonly [string, string]>,
    options: EncodeOptions = {},
  ): Uint8Array {
    // Refuse before touching the table, so a failed call leaves the
    // context in step with the peer.
    for (const [name, value] of headers) {
      if (NOT_LATIN1.test(name) || NOT_LATIN1.test(value)) {
        throw new CompressionError(
          "Header contains a character outside latin1 (one octet per character)",
        );
      }
    }
    const writer = this.#writer;
    if (this.#pendingFinal !== null) {
      if (this.#pendingMin !== null && this.#pendingMin < this.#pendingFinal) {
        encodeInteger(writer, this.#pendingMin, 5, 0x20);
      }
      encodeInteger(writer, this.#pendingFinal, 5, 0x20);
      this.#pendingMin = null;
      this.#pendingFinal = null;
    }
    const sensitive = options.sensitive;
    for (const [name, value] of headers) {
      this.#encodeField(writer, name, value, sensitive);
    }
    return writer.take();
  }

  #encodeField(
    writer: ByteWriter,
    name: string,
    value: string,
    sensitive: ((name: string) => boolean) | undefined,
  ): void {
    const neverIndex = ALWAYS_SENSITIVE.has(name) ||
      (name === "cookie" && value.length < SHORT_COOKIE) ||
      (sensitive !== undefined && sensitive(name));

    let nameIndex = 0;
    if (!neverIndex) {
      const full = staticFullMatch(name, value);
      if (full !== 0) {
        encodeInteger(writer, full, 7, 0x80);
        return;
      }
      const dynamic = this.#table.find(name, value);
      if (dynamic.full !== 0) {
        encodeInteger(writer, dynamic.full + STATIC_TABLE_LENGTH, 7, 0x80);
        return;
      }
      nameIndex = staticNameMatch(name) ||
        (dynamic.name === 0 ? 0 : dynamic.name + STATIC_TABLE_LENGTH);
    } else {
      nameIndex = staticNameMatch(name) ||
        this.#dynamicNameIndex(name);
    }

    if (neverIndex) {
      this.#literal(writer, nameIndex, name, value, 4, 0x10);
      return;
    }
    const size = entrySize(name, value);
    if (NOT_INDEXED.has(name) || size * 4 > this.#table.maxSize * 3) {
      this.#literal(writer, nameIndex, name, value, 4, 0x00);
      return;
    }
    this.#literal(writer, nameIndex, name, value, 6, 0x40);
    this.#table.add(name, value);
  }

  #dynamicNameIndex(name: string): number {
    const found = this.#table.find(name, "").name;
    return found === 0 ? 0 : found + STATIC_TABLE_LENGTH;
  }

  #literal(
    writer: ByteWriter,
    nameIndex: number,
    name: string,
    value: string,
    prefixBits: number,
    flags: number,
  ): void {
    encodeInteger(writer, nameIndex, prefixBits, flags);
    if (nameIndex === 0) encodeString(writer, name, this.#huffman);
    encodeString(writer, value, this.#huffman);
  }
}
