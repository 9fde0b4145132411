/**
 * The HPACK decoder.
 *
 * Decoded names and values are strings with one character per wire octet
 * (latin1), exactly as received: no case folding, no validation (that is
 * the HTTP/2 layer's job).
 *
 * @module
 */

import {
  CompressionError,
  OversizedHeaderListError,
} from "./compression_error.ts";
import { DynamicTable, ENTRY_OVERHEAD } from "./dynamic_table.ts";
import type { HeaderList } from "./encoder.ts";
import { type Cursor, decodeInteger } from "./integer.ts";
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from "./static_table.ts";
import { decodeString } from "./string_literal.ts";

/** Options of {@linkcode HpackDecoder}. */
export interface HpackDecoderOptions {
  /**
   * The SETTINGS_HEADER_TABLE_SIZE we advertise: the largest size a
   * dynamic table size update may ask for (4096 by default).
   */
  maxAllowedTableSize?: number;
  /**
   * Largest decoded header list (sum of name + value + 32 per field;
   * 65536 by default).
   */
  maxHeaderListSize?: number;
}

/**
 * Decodes HPACK header blocks. Malformed input raises
 * {@linkcode CompressionError}; after that the context is out of step and
 * the connection must end. An {@linkcode OversizedHeaderListError} is raised
 * only after the whole block was decoded, so the context stays usable.
 */
export class HpackDecoder {
  #table: DynamicTable;
  #maxAllowedTableSize: number;
  #mustSeeSizeUpdate = false;
  /** Largest decoded header list; see {@linkcode HpackDecoderOptions}. */
  maxHeaderListSize: number;

  /** @param options Limits. */
  constructor(options: HpackDecoderOptions = {}) {
    this.#maxAllowedTableSize = options.maxAllowedTableSize ?? 4096;
    this.#table = new DynamicTable(this.#maxAllowedTableSize);
    this.maxHeaderListSize = options.maxHeaderListSize ?? 65536;
  }

  /** The dynamic table (read it; do not change it). */
  get table(): DynamicTable {
    return this.#table;
  }

  /** The table size bound updates are checked against. */
  get maxAllowedTableSize(): number {
    return this.#maxAllowedTableSize;
  }

  /**
   * Apply a new SETTINGS_HEADER_TABLE_SIZE of ours (once the peer has
   * acknowledged it). When it is below the current table size, the next
   * block must start with a size update.
   */
  setMaxAllowedTableSize(size: number): void {
    this.#maxAllowedTableSize = size;
    if (size < this.#table.maxSize) this.#mustSeeSizeUpdate = true;
  }

  /** Decode one complete header block. */
  decode(block: Uint8Array): HeaderList {
    const headers: HeaderList = [];
    const cursor: Cursor = { pos: 0 };
    const table = this.#table;
    let listSize = 0;
    let oversized = false;
    let sawField = false;
    const end = block.length;
    while (cursor.pos < end) {
      const first = block[cursor.pos];
      let name: string;
      let value: string;
      if (first & 0x80) {
        // Indexed header field.
        const index = decodeInteger(block, cursor, 7);
        const entry = this.#lookup(index);
        name = entry[0];
        value = entry[1];
      } else if (first & 0x40) {
        // Literal with incremental indexing.
        const index = decodeInteger(block, cursor, 6);
        name = index === 0
          ? decodeString(block, cursor)
          : this.#lookup(index)[0];
        value = decodeString(block, cursor);
        table.add(name, value);
      } else if (first & 0x20) {
        // Dynamic table size update.
        if (sawField) {
          throw new CompressionError(
            "Dynamic table size update after the start of a header block",
          );
        }
        const size = decodeInteger(block, cursor, 5);
        if (size > this.#maxAllowedTableSize) {
          throw new CompressionError(
            `Dynamic table size update to ${size} exceeds the limit of ${this.#maxAllowedTableSize}`,
          );
        }
        table.setMaxSize(size);
        this.#mustSeeSizeUpdate = false;
        continue;
      } else {
        // Literal without indexing (0000) or never indexed (0001).
        const index = decodeInteger(block, cursor, 4);
        name = index === 0
          ? decodeString(block, cursor)
          : this.#lookup(index)[0];
        value = decodeString(block, cursor);
      }
      if (!sawField) {
        sawField = true;
        if (this.#mustSeeSizeUpdate) {
          throw new CompressionError(
            "Expected a dynamic table size update at the start of the header block",
          );
        }
      }
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize > this.maxHeaderListSize) oversized = true;
      if (!oversized) headers.push([name, value]);
    }
    if (oversized) {
      throw new OversizedHeaderListError(
        `Header list exceeds ${this.maxHeaderListSize} octets`,
      );
    }
    return headers;
  }

  #lookup(index: number): readonly [string, string] {
    if (index === 0) throw new CompressionError("Header index 0 is invalid");
    if (index <= STATIC_TABLE_LENGTH) return STATIC_TABLE[index - 1];
    const entry = this.#table.get(index - STATIC_TABLE_LENGTH);
    if (entry === undefined) {
      throw new CompressionError(`Header index ${index} is out of range`);
    }
    return entry;
  }
}
