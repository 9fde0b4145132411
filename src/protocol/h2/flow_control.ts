/**
 * HTTP/2 flow-control windows (RFC 9113 §5.2, §6.9).
 *
 * @module
 */

import { MAX_31_BIT } from "./frames.ts";

/**
 * A window for what we may send: consumed by our DATA, grown by the peer's
 * WINDOW_UPDATE and by SETTINGS_INITIAL_WINDOW_SIZE changes (which may make
 * it negative).
 */
export class SendWindow {
  #size: number;

  /** @param initial Starting size. */
  constructor(initial: number) {
    this.#size = initial;
  }

  /** Octets that may be sent now (never below 0). */
  get available(): number {
    return Math.max(0, this.#size);
  }

  /** The window itself (negative after a shrinking SETTINGS). */
  get size(): number {
    return this.#size;
  }

  /** Spend `n` octets; the caller checked {@linkcode SendWindow.available}. */
  consume(n: number): void {
    this.#size -= n;
  }

  /** Grow (or shrink, with a negative delta); `false` when that would exceed 2^31 − 1. */
  adjust(delta: number): boolean {
    const next = this.#size + delta;
    if (next > MAX_31_BIT) return false;
    this.#size = next;
    return true;
  }
}

/**
 * A window for what we receive: consumed by the peer's DATA, and given
 * back with WINDOW_UPDATE once the application has processed the data.
 *
 * Updates are sent when at least half of the window's maximum has been
 * processed, so the peer is never more than half a window behind and we do
 * not answer every small frame.
 */
export class ReceiveWindow {
  #size: number;
  #max: number;
  #processed = 0;

  /** @param initial Starting size (also the maximum). */
  constructor(initial: number) {
    this.#size = initial;
    this.#max = initial;
  }

  /** Octets the peer may still send. */
  get size(): number {
    return this.#size;
  }

  /** The size the window returns to once everything is processed. */
  get max(): number {
    return this.#max;
  }

  /** Received data the application has not acknowledged yet. */
  get unacknowledged(): number {
    return this.#max - this.#size - this.#processed;
  }

  /** Count received octets; `false` when they exceed the window (FLOW_CONTROL_ERROR). */
  receive(n: number): boolean {
    if (n > this.#size) return false;
    this.#size -= n;
    return true;
  }

  /**
   * Mark `n` received octets as processed; returns the WINDOW_UPDATE
   * increment to send now, or 0.
   */
  acknowledge(n: number): number {
    this.#processed += n;
    const inFlight = this.#max - this.#size;
    if (this.#processed > inFlight) this.#processed = inFlight;
    if (this.#processed === 0) return 0;
    if (this.#processed >= this.#max / 2 || this.#size === 0) {
      const increment = this.#processed;
      this.#size += increment;
      this.#processed = 0;
      return increment;
    }
    return 0;
  }

  /**
   * Raise the maximum by `n` and return the increment to announce now
   * (our own WINDOW_UPDATE beyond the initial window). `null` when it
   * would exceed 2^31 − 1.
   */
  grow(n: number): number | null {
    if (this.#max + n > MAX_31_BIT || this.#size + n > MAX_31_BIT) return null;
    this.#max += n;
    this.#size += n;
    return n;
  }

  /** Apply a change of our SETTINGS_INITIAL_WINDOW_SIZE (once acknowledged). */
  adjustInitial(delta: number): void {
    this.#max += delta;
    this.#size += delta;
  }
}
