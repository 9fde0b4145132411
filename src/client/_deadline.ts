/**
 * The `total` deadline and the user's `signal`, combined into one signal.
 *
 * @module
 */

import { abortError } from "../_abort.ts";
import { ReadTimeout } from "../errors.ts";
import type { BoundStream } from "./_bound_stream.ts";

/** Remembers which signal a combined one was made from, to avoid nesting. */
const ORIGINAL = new WeakMap<AbortSignal, AbortSignal | undefined>();

/**
 * One call's cancellation: the user's signal (if any) and a timer for the
 * `total` deadline (if any), exposed as one `signal`. `clear()` stops the
 * timer; it must be called once the call (or its streamed body) is over.
 */
export class Deadline {
  /** The combined signal, or `undefined` when there is nothing to cancel. */
  readonly signal: AbortSignal | undefined;
  /** The user's own signal, unwrapped from any earlier combination. */
  readonly userSignal: AbortSignal | undefined;
  /**
   * The body of the call's latest response while it is open (the client
   * sets it; `undefined` when the response came closed).
   */
  body: BoundStream | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | undefined;

  /**
   * @param total Seconds for the whole call, or `null` for no deadline.
   * @param signal The user's signal (or a signal an earlier call combined).
   */
  constructor(total: number | null, signal: AbortSignal | undefined) {
    const user = signal !== undefined && ORIGINAL.has(signal)
      ? ORIGINAL.get(signal)
      : signal;
    this.userSignal = user;
    if (total === null) {
      this.signal = user;
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      controller.abort(
        new ReadTimeout(`Total timeout of ${total} seconds exceeded`),
      );
    }, total * 1000);
    const combined = user === undefined
      ? controller.signal
      : AbortSignal.any([user, controller.signal]);
    ORIGINAL.set(combined, user);
    this.signal = combined;
  }

  /** Whether the deadline itself (not the user) aborted. */
  get expired(): boolean {
    return this.#controller?.signal.aborted ?? false;
  }

  /** Throw the matching `httpx` error when already aborted. */
  throwIfAborted(): void {
    if (this.signal?.aborted) throw abortError(this.signal);
  }

  /** Stop the timer. Safe to call more than once. */
  clear(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }
}

/**
 * Settle with `promise`, or reject with `abortError(signal)` as soon as the
 * signal aborts, whichever comes first.
 */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      promise.catch(() => {});
      reject(abortError(signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
