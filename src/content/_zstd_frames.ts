/**
 * Follows the frame structure of a Zstandard stream (RFC 8878) without
 * decompressing it, to tell whether the input ended on a frame boundary:
 * the decompressor we use does not report truncated input.
 *
 * @module
 */

const ZSTD_MAGIC = 0xfd2fb528;
const DICT_ID_SIZES = [0, 1, 2, 4];
const FCS_SIZES = [0, 2, 4, 8];

type State = "magic" | "skippableSize" | "descriptor" | "blockHeader";

/** Feed it the compressed bytes; ask {@linkcode complete} at the end. */
export class ZstdFrameTracker {
  #state: State = "magic";
  #header: number[] = [];
  #skip = 0;
  #afterSkip: State = "magic";
  #checksum = false;
  #lost = false;
  #frames = 0;

  /** Follow the next compressed bytes. */
  feed(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length && !this.#lost) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, bytes.length - i);
        this.#skip -= n;
        i += n;
        if (this.#skip === 0) this.#state = this.#afterSkip;
        continue;
      }
      this.#header.push(bytes[i++]);
      this.#step();
    }
  }

  /**
   * Whether the bytes so far end exactly after a whole frame. Also `true`
   * when the structure was not recognised (the decompressor reports that).
   */
  complete(): boolean {
    if (this.#lost) return true;
    return this.#frames > 0 && this.#state === "magic" &&
      this.#skip === 0 && this.#header.length === 0;
  }

  #skipThen(count: number, next: State): void {
    this.#header = [];
    this.#afterSkip = next;
    this.#skip = count;
    this.#state = next;
  }

  #step(): void {
    const h = this.#header;
    switch (this.#state) {
      case "magic": {
        if (h.length < 4) return;
        const magic = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
        this.#header = [];
        if (magic === ZSTD_MAGIC) this.#state = "descriptor";
        else if ((magic & 0xfffffff0) >>> 0 === 0x184d2a50) {
          this.#state = "skippableSize";
        } else this.#lost = true;
        return;
      }
      case "skippableSize": {
        if (h.length < 4) return;
        const size = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
        this.#frames++;
        this.#skipThen(size, "magic");
        return;
      }
      case "descriptor": {
        const d = h[0];
        const single = (d & 0x20) !== 0;
        this.#checksum = (d & 0x04) !== 0;
        const fcsFlag = d >> 6;
        const fcs = fcsFlag === 0 && single ? 1 : FCS_SIZES[fcsFlag];
        this.#skipThen(
          (single ? 0 : 1) + DICT_ID_SIZES[d & 3] + fcs,
          "blockHeader",
        );
        return;
      }
      case "blockHeader": {
        if (h.length < 3) return;
        const header = h[0] | (h[1] << 8) | (h[2] << 16);
        const last = (header & 1) === 1;
        const type = (header >> 1) & 3;
        if (type === 3) {
          this.#lost = true;
          return;
        }
        const size = type === 1 ? 1 : header >>> 3;
        if (last) this.#frames++;
        this.#skipThen(
          size + (last && this.#checksum ? 4 : 0),
          last ? "magic" : "blockHeader",
        );
        return;
      }
    }
  }
}
