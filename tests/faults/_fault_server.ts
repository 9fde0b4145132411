/**
 * In-process fault servers: a raw `Deno.listen` socket on 127.0.0.1 whose
 * connection handler scripts the exact bytes a misbehaving server sends.
 * Everything it opens is closed by `close()`, so Deno's sanitizers stay on.
 *
 * @module
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One accepted connection, with helpers to read the request and answer. */
export class FaultConn {
  /** The raw connection. */
  readonly conn: Deno.Conn;
  /** Zero-based index of this connection on its server. */
  readonly index: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #closed = false;

  /**
   * @param conn The accepted connection.
   * @param index Its index on the server.
   */
  constructor(conn: Deno.Conn, index: number) {
    this.conn = conn;
    this.index = index;
  }

  async #fill(): Promise<boolean> {
    const chunk = new Uint8Array(16384);
    const n = await this.conn.read(chunk);
    if (n === null) return false;
    const joined = new Uint8Array(this.#buffer.length + n);
    joined.set(this.#buffer);
    joined.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = joined;
    return true;
  }

  /**
   * Read one request: the head and (unless `readBody` is false) a
   * `Content-Length` body. Returns `null` when the client closed before
   * sending a whole request.
   */
  async readRequest(readBody = true): Promise<ParsedRequest | null> {
    let end = -1;
    while ((end = findHeadEnd(this.#buffer)) === -1) {
      if (!await this.#fill()) return null;
    }
    const head = decoder.decode(this.#buffer.subarray(0, end));
    this.#buffer = this.#buffer.subarray(end + 4);
    const [requestLine, ...lines] = head.split("\r\n");
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        line.slice(colon + 1).trim(),
      );
    }
    const [method, target] = requestLine.split(" ");
    if (!readBody) return { method, target, headers, body: new Uint8Array(0) };
    const length = Number(headers.get("content-length") ?? "0");
    while (this.#buffer.length < length) {
      if (!await this.#fill()) return null;
    }
    const body = this.#buffer.slice(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return { method, target, headers, body };
  }

  /** Write bytes or text; errors (the client went away) are returned, not thrown. */
  async write(data: string | Uint8Array): Promise<boolean> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    try {
      let offset = 0;
      while (offset < bytes.length) {
        offset += await this.conn.write(bytes.subarray(offset));
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Read and discard until the client closes its side (or resets). */
  async waitForEof(): Promise<void> {
    try {
      while (await this.#fill()) {
        // discard
      }
    } catch {
      // reset by the client: also an end
    }
  }

  /** Close the connection; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

/** What `FaultConn.readRequest()` parsed. */
export interface ParsedRequest {
  /** The request method. */
  method: string;
  /** The request-target. */
  target: string;
  /** Lower-cased header names (a repeated name keeps the last value). */
  headers: Map<string, string>;
  /** The `Content-Length` body. */
  body: Uint8Array;
}

function findHeadEnd(buffer: Uint8Array): number {
  for (let i = 0; i + 3 < buffer.length; i++) {
    if (
      buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 &&
      buffer[i + 3] === 10
    ) return i;
  }
  return -1;
}

/** A running fault server. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** How many connections were accepted so far. */
  readonly accepted: number;
  /** Stop listening, close every connection, wait for the handlers. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Listen on an ephemeral port; run `handler` for each connection. The
 * handler's errors are swallowed (a client closing mid-script is normal
 * here) and its connection is closed when it returns.
 */
export function faultServer(
  handler: (conn: FaultConn) => Promise<void> | void,
): FaultServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const open = new Set<FaultConn>();
  const tasks = new Set<Promise<void>>();
  let accepted = 0;
  let closing = false;

  const loop = (async () => {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return; // listener closed
      }
      if (closing) {
        conn.close();
        return;
      }
      const faultConn = new FaultConn(conn, accepted++);
      open.add(faultConn);
      const task = (async () => {
        try {
          await handler(faultConn);
        } catch {
          // the client went away mid-script
        } finally {
          faultConn.close();
          open.delete(faultConn);
        }
      })();
      tasks.add(task);
      task.finally(() => tasks.delete(task));
    }
  })();

  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    try {
      listener.close();
    } catch {
      // already closed
    }
    await loop;
    for (const conn of open) conn.close();
    await Promise.allSettled([...tasks]);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get accepted() {
      return accepted;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * A fault server that reads each request, writes `chunks` one after the
 * other, then closes.
 */
export function replyServer(
  ...chunks: Array<string | Uint8Array>
): FaultServer {
  return faultServer(async (conn) => {
    await conn.readRequest();
    for (const chunk of chunks) await conn.write(chunk);
  });
}

/** A client over our own `HTTPTransport`, `timeout` 5 s unless given. */
export function faultClient(timeout: httpx.TimeoutTypes = 5): httpx.Client {
  return new httpx.Client({ transport: new httpx.HTTPTransport(), timeout });
}

/** The error `pending` rejects with; fails the test if it resolves. */
export function errorOf(pending: Promise<unknown>): Promise<unknown> {
  return pending.then(
    () => assert.fail("expected an error"),
    (e: unknown) => e,
  );
}

/** A `Content-Length` response with a text body. */
export function okResponse(
  body: string,
  extraHeaders: string[] = [],
): string {
  const bytes = encoder.encode(body);
  return [
    "HTTP/1.1 200 OK",
    `Content-Length: ${bytes.length}`,
    ...extraHeaders,
    "",
    body,
  ].join("\r\n");
}

/** A promise and its resolver. */
export function signal<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
} {
  const { promise, resolve } = Promise.withResolvers<T>();
  return { promise, resolve };
}
