/**
 * The HPACK dynamic table (RFC 7541 §2.3.2, §4): a ring buffer, newest
 * entry first, evicted oldest-first by size.
 *
 * @module
 */

/** Per-entry overhead counted in the table size (RFC 7541 §4.1). */
export const ENTRY_OVERHEAD = 32;

/** Size of one entry in octets: name + value + 32 (strings are latin1). */
export function entrySize(name: string, value: string): number {
  return name.length + value.length + ENTRY_OVERHEAD;
}

/** Options of {@linkcode DynamicTable}. */
export interface DynamicTableOptions {
  /** Keep name and name+value maps so {@linkcode DynamicTable.find} is O(1) (for encoders). */
  lookups?: boolean;
}

/**
 * A dynamic table with O(1) insertion, eviction, size bookkeeping and
 * lookup by position. Entries are addressed 1-based from the newest.
 */
export class DynamicTable {
  #names: string[] = new Array(16);
  #values: string[] = new Array(16);
  #mask = 15;
  /** Entries ever inserted; the newest has sequence number `#inserted - 1`. */
  #inserted = 0;
  #count = 0;
  #size = 0;
  #maxSize: number;
  #fullIndex: Map<string, number> | null;
  #nameIndex: Map<string, number> | null;

  /**
   * @param maxSize Maximum size in octets (4096 by default).
   * @param options Whether to keep lookup maps.
   */
  constructor(maxSize = 4096, options: DynamicTableOptions = {}) {
    this.#maxSize = maxSize;
    this.#fullIndex = options.lookups ? new Map() : null;
    this.#nameIndex = options.lookups ? new Map() : null;
  }

  /** Number of entries. */
  get length(): number {
    return this.#count;
  }

  /** Current size in octets. */
  get size(): number {
    return this.#size;
  }

  /** Maximum size in octets. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** Change the maximum size, evicting entries that no longer fit. */
  setMaxSize(maxSize: number): void {
    this.#maxSize = maxSize;
    this.#evictUntil(maxSize);
  }

  /** The entry at 1-based position `index` (1 = newest), or `undefined`. */
  get(index: number): [string, string] | undefined {
    if (index < 1 || index > this.#count) return undefined;
    const slot = (this.#inserted - index) & this.#mask;
    return [this.#names[slot], this.#values[slot]];
  }

  /** The name at 1-based position `index`, or `undefined`. */
  getName(index: number): string | undefined {
    if (index < 1 || index > this.#count) return undefined;
    return this.#names[(this.#inserted - index) & this.#mask];
  }

  /**
   * Insert an entry, evicting old ones to make room; an entry larger than
   * the maximum size empties the table and is not stored.
   */
  add(name: string, value: string): void {
    const size = entrySize(name, value);
    if (size > this.#maxSize) {
      this.#evictUntil(0);
      return;
    }
    this.#evictUntil(this.#maxSize - size);
    if (this.#count === this.#names.length) this.#grow();
    const seq = this.#inserted++;
    const slot = seq & this.#mask;
    this.#names[slot] = name;
    this.#values[slot] = value;
    this.#count++;
    this.#size += size;
    if (this.#fullIndex !== null && this.#nameIndex !== null) {
      this.#fullIndex.set(`${name}\0${value}`, seq);
      this.#nameIndex.set(name, seq);
    }
  }

  /**
   * 1-based positions of the newest entry equal to `name: value` and of
   * the newest entry named `name` (0 when absent). Needs `lookups`.
   */
  find(name: string, value: string): { full: number; name: number } {
    const fullSeq = this.#fullIndex?.get(`${name}\0${value}`);
    const nameSeq = this.#nameIndex?.get(name);
    return {
      full: fullSeq === undefined ? 0 : this.#inserted - fullSeq,
      name: nameSeq === undefined ? 0 : this.#inserted - nameSeq,
    };
  }

  /** Entries newest first, as `[name, value]` (for tests and debugging). */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = 1; i <= this.#count; i++) out.push(this.get(i)!);
    return out;
  }

  #evictUntil(limit: number): void {
    while (this.#size > limit && this.#count > 0) {
      const seq = this.#inserted - this.#count;
      const slot = seq & this.#mask;
      const name = this.#names[slot];
      const value = this.#values[slot];
      this.#size -= entrySize(name, value);
      this.#count--;
      this.#names[slot] = "";
      this.#values[slot] = "";
      if (this.#fullIndex !== null && this.#nameIndex !== null) {
        const key = `${name}\0${value}`;
        if (this.#fullIndex.get(key) === seq) this.#fullIndex.delete(key);
        if (this.#nameIndex.get(name) === seq) this.#nameIndex.delete(name);
      }
    }
  }

  #grow(): void {
    const capacity = this.#names.length * 2;
    const names: string[] = new Array(capacity);
    const values: string[] = new Array(capacity);
    const mask = capacity - 1;
    for (let i = this.#count; i >= 1; i--) {
      const seq = this.#inserted - i;
      names[seq & mask] = this.#names[seq & this.#mask];
      values[seq & mask] = this.#values[seq & this.#mask];
    }
    this.#names = names;
    this.#values = values;
    this.#mask = mask;
  }
}
