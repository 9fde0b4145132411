/**
 * A byte-scripted network backend for tests: each connection replays
 * scripted chunks, one per read, then end of input, and records every byte
 * written to it.
 *
 * @module
 */

import { ConnectError, ReadError, ReadTimeout, WriteError } from "../errors.ts";
import type {
  ConnectOptions,
  NetworkBackend,
  NetworkStream,
  TlsOptions,
} from "./network.ts";

/** A script item: the read that reaches it waits until the stream is closed (or its read timeout passes, raising `ReadTimeout`). */
export const HANG: unique symbol = Symbol("MockBackend.HANG");

/**
 * A script item: the read that reaches it waits until something is written
 * (unless something was written since the previous chunk was read), then
 * goes on with the next item. Puts a pause between a response and the
 * next one, as a server that answers only once asked.
 */
export const AWAIT_WRITE: unique symbol = Symbol("MockBackend.AWAIT_WRITE");

/**
 * One scripted read: bytes (strings are UTF-8), an error the read raises,
 * {@linkcode HANG} or {@linkcode AWAIT_WRITE}.
 */
export type MockReadItem =
  | Uint8Array
  | string
  | Error
  | typeof HANG
  | typeof AWAIT_WRITE;

/** A scripted connection with its own settings. */
export interface MockConnectionScript {
  /** What the reads return, in order; end of input after the last. */
  reads: MockReadItem[];
  /** The ALPN protocol this connection reports. */
  alpnProtocol?: string | null;
  /** Writes fail with this error (after `failWriteAfter` successful ones). */
  writeError?: Error;
  /** How many writes succeed before `writeError` is raised (0 by default). */
  failWriteAfter?: number;
}

/** Options of {@linkcode MockBackend} (and defaults for each {@linkcode MockStream}). */
export interface MockBackendOptions {
  /** Report ALPN `"h2"` (unless `alpnProtocol` is given). */
  http2?: boolean;
  /** The ALPN protocol the streams report (`null` by default). */
  alpnProtocol?: string | null;
  /** The n-th `connect()` call raises the n-th error (`null`: succeeds). */
  connectErrors?: Array<Error | null>;
  /** Writes fail with this error (after `failWriteAfter` successful ones). */
  writeError?: Error;
  /** How many writes succeed before `writeError` is raised (0 by default). */
  failWriteAfter?: number;
  /**
   * Return every read as a view of one buffer that the next read
   * overwrites, as the Deno backend does, to catch callers that keep views.
   */
  reuseReadBuffer?: boolean;
}

/** Options of a {@linkcode MockStream}. */
export interface MockStreamOptions {
  /** The ALPN protocol to report. */
  alpnProtocol?: string | null;
  /** Writes fail with this error (after `failWriteAfter` successful ones). */
  writeError?: Error;
  /** How many writes succeed before `writeError` is raised. */
  failWriteAfter?: number;
  /** Return reads as views of one reused buffer. */
  reuseReadBuffer?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Waiter {
  kind: "hang" | "write";
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * A scripted {@linkcode NetworkStream}.
 *
 * @example
 * ```ts ignore
 * const stream = new MockStream(["HTTP/1.1 204 No Content\r\n\r\n"]);
 * await stream.write(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"), null);
 * await stream.read(65536, null); // the response bytes
 * await stream.read(65536, null); // null: end of input
 * ```
 */
export class MockStream implements NetworkStream {
  /** Copies of everything written, one entry per `write()`. */
  readonly written: Uint8Array[] = [];
  /** The options of every `startTls()` call. */
  readonly tlsUpgrades: TlsOptions[] = [];
  /** Every `read()` call's `timeout` argument, in order. */
  readonly readTimeouts: Array<number | null> = [];
  /** Every `write()` call's `timeout` argument, in order. */
  readonly writeTimeouts: Array<number | null> = [];
  readonly alpnProtocol: string | null;
  readonly remoteAddr: string | null = "127.0.0.1:80";
  readonly localAddr: string | null = "127.0.0.1:50000";
  #reads: MockReadItem[];
  #closed = false;
  #writeError: Error | undefined;
  #failWriteAfter: number;
  #reuse: boolean;
  #readBuffer: Uint8Array = new Uint8Array(0);
  #writesAtLastChunk = 0;
  #waiter: Waiter | null = null;
  #pendingReads = 0;

  /**
   * Script a stream.
   *
   * @param reads What the reads return, in order.
   * @param options ALPN, write failures and buffer reuse.
   */
  constructor(reads: MockReadItem[], options: MockStreamOptions = {}) {
    this.#reads = [...reads];
    this.alpnProtocol = options.alpnProtocol ?? null;
    this.#writeError = options.writeError;
    this.#failWriteAfter = options.failWriteAfter ?? 0;
    this.#reuse = options.reuseReadBuffer ?? false;
  }

  /** Whether `close()` was called. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** How many reads are waiting (on {@linkcode HANG} or {@linkcode AWAIT_WRITE}). */
  get pendingReads(): number {
    return this.#pendingReads;
  }

  /** Whether every scripted item has been read. */
  get exhausted(): boolean {
    return this.#reads.length === 0;
  }

  /** Everything written, as one array. */
  writtenBytes(): Uint8Array {
    let total = 0;
    for (const chunk of this.written) total += chunk.length;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.written) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  /** Everything written, decoded as UTF-8. */
  writtenText(): string {
    return decoder.decode(this.writtenBytes());
  }

  /** The next scripted chunk (at most `maxBytes` of it), or `null` at the end. */
  async read(
    maxBytes: number,
    timeout: number | null,
  ): Promise<Uint8Array | null> {
    this.readTimeouts.push(timeout);
    for (;;) {
      if (this.#closed) throw new ReadError("Connection closed");
      const item = this.#reads[0];
      if (item === undefined) return null;
      if (item === HANG) {
        await this.#wait("hang", timeout);
        continue;
      }
      if (item === AWAIT_WRITE) {
        if (this.written.length <= this.#writesAtLastChunk) {
          await this.#wait("write", timeout);
        }
        if (this.#reads[0] === AWAIT_WRITE) this.#reads.shift();
        continue;
      }
      if (item instanceof Error) {
        this.#reads.shift();
        throw item;
      }
      let bytes = typeof item === "string" ? encoder.encode(item) : item;
      if (bytes.length > maxBytes) {
        this.#reads[0] = bytes.subarray(maxBytes);
        bytes = bytes.subarray(0, maxBytes);
      } else {
        this.#reads.shift();
      }
      this.#writesAtLastChunk = this.written.length;
      if (bytes.length === 0) continue;
      if (!this.#reuse) return bytes.slice();
      if (this.#readBuffer.length < bytes.length) {
        this.#readBuffer = new Uint8Array(Math.max(bytes.length, 65536));
      }
      this.#readBuffer.set(bytes);
      return this.#readBuffer.subarray(0, bytes.length);
    }
  }

  /** Record `data` (copied), or raise the scripted write error. */
  write(data: Uint8Array, timeout: number | null): Promise<void> {
    this.writeTimeouts.push(timeout);
    if (this.#closed) {
      return Promise.reject(new WriteError("Connection closed"));
    }
    if (this.#writeError !== undefined) {
      if (this.#failWriteAfter <= 0) return Promise.reject(this.#writeError);
      this.#failWriteAfter--;
    }
    this.written.push(data.slice());
    const waiter = this.#waiter;
    if (waiter !== null && waiter.kind === "write") {
      this.#settle(waiter);
      waiter.resolve();
    }
    return Promise.resolve();
  }

  /** Close; a waiting read fails with `ReadError`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#settle(waiter);
      waiter.reject(new ReadError("Connection closed"));
    }
  }

  /** Record the options and go on with the same script (TLS is not simulated). */
  startTls(
    options: TlsOptions,
    _timeout: number | null,
  ): Promise<NetworkStream> {
    if (this.#closed) {
      return Promise.reject(new ConnectError("Connection closed"));
    }
    this.tlsUpgrades.push(options);
    return Promise.resolve(this);
  }

  #wait(kind: "hang" | "write", timeout: number | null): Promise<void> {
    if (this.#waiter !== null) {
      return Promise.reject(new ReadError("Concurrent reads on a MockStream"));
    }
    this.#pendingReads++;
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { kind, resolve, reject, timer: undefined };
      if (timeout !== null) {
        waiter.timer = setTimeout(() => {
          this.#settle(waiter);
          reject(new ReadTimeout(`Timed out after ${timeout} seconds`));
        }, timeout * 1000);
      }
      this.#waiter = waiter;
    });
  }

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    if (this.#waiter === waiter) {
      this.#waiter = null;
      this.#pendingReads--;
    }
  }
}

function isScriptList(
  script: ReadonlyArray<unknown>,
): script is Array<MockReadItem[] | MockConnectionScript> {
  return script.length > 0 &&
    script.every((item) =>
      Array.isArray(item) ||
      (typeof item === "object" && item !== null &&
        !(item instanceof Uint8Array) && !(item instanceof Error))
    );
}

/**
 * A scripted {@linkcode NetworkBackend}.
 *
 * Given a flat list of chunks, every connection replays the same chunks (as
 * httpcore's mock does). Given a list of lists (or of
 * {@linkcode MockConnectionScript}s), the n-th connection replays the n-th
 * script, and connecting once more than scripted raises `ConnectError`.
 *
 * @example
 * ```ts ignore
 * const backend = new MockBackend([
 *   "HTTP/1.1 200 OK\r\n",
 *   "Content-Length: 2\r\n\r\nhi",
 * ]);
 * const stream = await backend.connect({ host: "example.org", port: 80, timeout: null });
 * ```
 */
export class MockBackend implements NetworkBackend {
  /** Every stream handed out, in order. */
  readonly connections: MockStream[] = [];
  /** The options of every `connect()` call, failed ones included. */
  readonly connectCalls: ConnectOptions[] = [];
  /** Every `sleep()` delay, in seconds (sleeps return at once). */
  readonly sleeps: number[] = [];
  #shared: MockReadItem[] | null;
  #scripts: MockConnectionScript[];
  #options: MockBackendOptions;

  /**
   * Script a backend.
   *
   * @param script The chunks every connection replays, or one script per
   * connection.
   * @param options ALPN, connect and write failures, buffer reuse.
   */
  constructor(
    script: MockReadItem[] | Array<MockReadItem[] | MockConnectionScript>,
    options: MockBackendOptions = {},
  ) {
    this.#options = options;
    if (isScriptList(script)) {
      this.#shared = null;
      this.#scripts = script.map((item) =>
        Array.isArray(item) ? { reads: item } : item
      );
    } else {
      this.#shared = script as MockReadItem[];
      this.#scripts = [];
    }
  }

  /** Open the next scripted connection. */
  connect(options: ConnectOptions): Promise<NetworkStream> {
    const attempt = this.connectCalls.length;
    this.connectCalls.push(options);
    const error = this.#options.connectErrors?.[attempt] ?? null;
    if (error !== null) return Promise.reject(error);
    if (options.signal?.aborted) {
      return Promise.reject(new ConnectError("Connect aborted"));
    }
    let script: MockConnectionScript;
    if (this.#shared !== null) {
      script = { reads: this.#shared };
    } else {
      const next = this.#scripts[this.connections.length];
      if (next === undefined) {
        return Promise.reject(
          new ConnectError("No more scripted connections"),
        );
      }
      script = next;
    }
    const o = this.#options;
    const stream = new MockStream(script.reads, {
      alpnProtocol: script.alpnProtocol !== undefined
        ? script.alpnProtocol
        : o.alpnProtocol !== undefined
        ? o.alpnProtocol
        : o.http2
        ? "h2"
        : null,
      writeError: script.writeError ?? o.writeError,
      failWriteAfter: script.failWriteAfter ?? o.failWriteAfter,
      reuseReadBuffer: o.reuseReadBuffer,
    });
    this.connections.push(stream);
    return Promise.resolve(stream);
  }

  /** Record the delay and return at once. */
  sleep(seconds: number): Promise<void> {
    this.sleeps.push(seconds);
    return Promise.resolve();
  }
}
