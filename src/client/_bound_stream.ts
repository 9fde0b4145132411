/**
 * The response body as the client hands it out: it honours the call's
 * signal between chunks and reports when it is closed.
 *
 * @module
 */

import type { ByteStream } from "../_types.ts";
import { raceSignal } from "./_deadline.ts";
import { readAllOf } from "../content/streams.ts";

/**
 * Wraps a transport's response stream. Each chunk is raced against the
 * call's signal (the user's `signal` and the `total` deadline), so a server
 * that drips bytes cannot outlive the deadline even when the transport does
 * not watch the signal itself. `close()` closes the inner stream once and
 * then runs the callbacks given to {@linkcode BoundStream.onClose}.
 */
export class BoundStream implements ByteStream {
  #inner: ByteStream;
  #signal: AbortSignal | undefined;
  #closed = false;
  #callbacks: Array<() => void | Promise<void>> = [];

  /**
   * @param inner The transport's stream.
   * @param signal The call's combined signal.
   */
  constructor(inner: ByteStream, signal: AbortSignal | undefined) {
    this.#inner = inner;
    this.#signal = signal;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Run `callback` when the stream closes; `false` (and nothing is kept)
   * when it is closed already.
   */
  addCloseCallback(callback: () => void | Promise<void>): boolean {
    if (this.#closed) return false;
    this.#callbacks.push(callback);
    return true;
  }

  /** Run `callback` when the stream closes (at once if it already is). */
  async onClose(callback: () => void | Promise<void>): Promise<void> {
    if (this.#closed) {
      await callback();
      return;
    }
    this.#callbacks.push(callback);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    const iterator = this.#inner[Symbol.asyncIterator]();
    let done = false;
    try {
      while (true) {
        const step = await raceSignal(iterator.next(), this.#signal);
        if (step.done) {
          done = true;
          return;
        }
        yield step.value;
      }
    } catch (error) {
      done = true;
      await this.close();
      throw error;
    } finally {
      if (!done) await iterator.return?.();
    }
  }

  /**
   * The rest of the body at once (see `WholeBodyStream`), raced against
   * the call's signal; a failure closes the stream.
   */
  async readAll(): Promise<Uint8Array> {
    try {
      return await raceSignal(readAllOf(this.#inner), this.#signal);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** Close the inner stream, then run the close callbacks. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#inner.close?.();
    } finally {
      const callbacks = this.#callbacks;
      this.#callbacks = [];
      for (const callback of callbacks) await callback();
    }
  }
}
