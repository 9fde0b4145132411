/**
 * The response body as the client hands it out: it honours the call's
 * signal between chunks and reports when it is closed.
 *
 * @module
 */

import type { ByteStream } from "../_types.ts";
import type { Response } from "../models/response.ts";
import { raceSignal } from "./_deadline.ts";
import {
  type BufferedBodyStream,
  readAllOf,
  takeBufferedOf,
} from "../content/streams.ts";

/**
 * Wraps a transport's response stream. Each chunk is raced against the
 * call's signal (the user's `signal` and the `total` deadline), so a server
 * that drips bytes cannot outlive the deadline even when the transport does
 * not watch the signal itself. `close()` closes the inner stream once and
 * then runs the callbacks given to {@linkcode BoundStream.onClose} and
 * {@linkcode BoundStream.addCloseCallback}.
 */
export class BoundStream implements BufferedBodyStream {
  #inner: ByteStream;
  #signal: AbortSignal | undefined;
  #closed = false;
  // Set by `track()`: the response to time, and the client's open list.
  #response: Response | null = null;
  #start = 0;
  #list: OpenBodies | null = null;
  #prev: BoundStream | null = null;
  #next: BoundStream | null = null;
  #callbacks: Array<() => void | Promise<void>> | null = null;
  // Whether a callback may be asynchronous (then closing must be awaited).
  #asyncCallbacks = false;

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

  /** The response given to `track()`, or `null`. */
  get response(): Response | null {
    return this.#response;
  }

  /**
   * Keep the body in `list` until it closes, and then set the response's
   * `elapsed` from `start` (a `performance.now()` time), before any close
   * callback runs.
   */
  track(response: Response, start: number, list: OpenBodies): void {
    this.#response = response;
    this.#start = start;
    this.#list = list;
    const last = list.last;
    this.#prev = last;
    if (last === null) list.first = this;
    else last.#next = this;
    list.last = this;
  }

  /** Closed: time the response and leave the open list. */
  #finish(): void {
    const list = this.#list;
    if (list === null) return;
    this.#list = null;
    this.#response!.elapsed = (performance.now() - this.#start) / 1000;
    const prev = this.#prev;
    const next = this.#next;
    if (prev === null) list.first = next;
    else prev.#next = next;
    if (next === null) list.last = prev;
    else next.#prev = prev;
    this.#prev = null;
    this.#next = null;
  }

  /** The next body in the open list it is in. */
  static nextOf(bound: BoundStream): BoundStream | null {
    return bound.#next;
  }

  /**
   * Run the synchronous `callback` when the stream closes; `false` (and
   * nothing is kept) when it is closed already.
   */
  addCloseCallback(callback: () => void): boolean {
    if (this.#closed) return false;
    (this.#callbacks ??= []).push(callback);
    return true;
  }

  /** Run `callback` when the stream closes (at once if it already is). */
  async onClose(callback: () => void | Promise<void>): Promise<void> {
    if (this.#closed) {
      await callback();
      return;
    }
    (this.#callbacks ??= []).push(callback);
    this.#asyncCallbacks = true;
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

  /**
   * The rest of the body when it is all buffered (see
   * `BufferedBodyStream`): the stream is then closed and the callbacks
   * have run. `undefined` when the signal has aborted or a close callback
   * may be asynchronous.
   */
  takeBuffered(): Uint8Array | undefined {
    if (this.#closed || this.#asyncCallbacks || this.#signal?.aborted) {
      return undefined;
    }
    let bytes: Uint8Array | undefined;
    try {
      bytes = takeBufferedOf(this.#inner);
    } catch (error) {
      this.#closeNow();
      throw error;
    }
    if (bytes !== undefined) this.#closeNow();
    return bytes;
  }

  /** Mark closed (the inner stream is) and run the synchronous callbacks. */
  #closeNow(): void {
    this.#closed = true;
    this.#finish();
    const callbacks = this.#callbacks;
    if (callbacks === null) return;
    this.#callbacks = null;
    for (const callback of callbacks) callback();
  }

  /** Close the inner stream, then run the close callbacks. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#inner.close?.();
    } finally {
      this.#finish();
      const callbacks = this.#callbacks;
      this.#callbacks = null;
      if (callbacks !== null) {
        for (const callback of callbacks) await callback();
      }
    }
  }
}

/**
 * A client's response bodies still open, oldest first: a linked list
 * through the bodies themselves, so that opening and closing one allocates
 * nothing (a `Map` churned once per request leaves its old tables holding
 * dead responses, which then survive young-generation collections).
 */
export class OpenBodies {
  /** The oldest open body. */
  first: BoundStream | null = null;
  /** The newest open body. */
  last: BoundStream | null = null;

  /** The responses of the open bodies, oldest first. */
  responses(): Response[] {
    const out: Response[] = [];
    for (let b = this.first; b !== null; b = BoundStream.nextOf(b)) {
      out.push(b.response!);
    }
    return out;
  }
}
