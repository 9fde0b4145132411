/**
 * The client's own cost per request, without a network: `Client.get()` over
 * `HTTPTransport` on a loopback-free backend that answers each request head
 * with a canned nginx response (head and 13-byte body in one read).
 *
 * `deno run -A bench/micro/client_loop.ts [requests] [in flight]` prints
 * µs of CPU per request and the GC count (run with
 * `--v8-flags=--trace-gc` to see the collections).
 *
 * @module
 */

import process from "node:process";
import * as httpx from "../../mod.ts";
import type {
  ConnectOptions,
  NetworkBackend,
  NetworkStream,
  TlsOptions,
} from "../../src/net/network.ts";

const RESPONSE = new TextEncoder().encode(
  "HTTP/1.1 200 OK\r\n" +
    "Server: nginx/1.22.1\r\n" +
    "Date: Tue, 01 Dec 2026 22:05:00 GMT\r\n" +
    "Content-Type: application/octet-stream\r\n" +
    "Content-Length: 13\r\n" +
    "Last-Modified: Tue, 01 Dec 2026 22:00:00 GMT\r\n" +
    "Connection: keep-alive\r\n" +
    'ETag: "674ce2e0-d"\r\n' +
    "Accept-Ranges: bytes\r\n" +
    "\r\n" +
    "Hello, world!",
);

/** Answers every request head (ending with CRLF CRLF) with `RESPONSE`. */
class CannedStream implements NetworkStream {
  readonly alpnProtocol: string | null = null;
  readonly remoteAddr: string | null = "127.0.0.1:1";
  readonly localAddr: string | null = "127.0.0.1:2";
  isClosed = false;
  #answers = 0;
  #reader: ((bytes: Uint8Array | null) => void) | null = null;
  #buffer = new Uint8Array(65536);

  read(_maxBytes: number, _timeout: number | null): Promise<Uint8Array | null> {
    if (this.#answers > 0) {
      this.#answers--;
      return Promise.resolve(this.#answer());
    }
    return new Promise((resolve) => this.#reader = resolve);
  }

  write(data: Uint8Array, _timeout: number | null): Promise<void> {
    const n = data.length;
    if (
      n >= 4 && data[n - 4] === 13 && data[n - 3] === 10 &&
      data[n - 2] === 13 && data[n - 1] === 10
    ) {
      const reader = this.#reader;
      if (reader !== null) {
        this.#reader = null;
        reader(this.#answer());
      } else {
        this.#answers++;
      }
    }
    return Promise.resolve();
  }

  #answer(): Uint8Array {
    this.#buffer.set(RESPONSE);
    return this.#buffer.subarray(0, RESPONSE.length);
  }

  close(): void {
    this.isClosed = true;
    this.#reader?.(null);
    this.#reader = null;
  }

  startTls(_options: TlsOptions, _timeout: number | null): Promise<never> {
    return Promise.reject(new Error("no TLS"));
  }
}

class CannedBackend implements NetworkBackend {
  connect(_options: ConnectOptions): Promise<NetworkStream> {
    return Promise.resolve(new CannedStream());
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

const count = Number(Deno.args[0] ?? 100000);
const inFlight = Number(Deno.args[1] ?? 64);
const transport = new httpx.HTTPTransport({
  backend: new CannedBackend(),
  limits: new httpx.Limits({
    maxConnections: inFlight,
    maxKeepaliveConnections: inFlight,
  }),
});
const client = new httpx.Client({ transport, timeout: 60 });
const url = "http://127.0.0.1:8080/13b";

async function run(n: number): Promise<void> {
  let left = n;
  const loop = async () => {
    while (left > 0) {
      left--;
      const response = await client.get(url);
      if (response.content.byteLength !== 13) throw new Error("bad body");
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
}

await run(Math.min(count, 20000)); // warm up
const usage = process.cpuUsage();
const start = performance.now();
await run(count);
const cpu = process.cpuUsage(usage);
const seconds = (performance.now() - start) / 1000;
console.log(
  `${((cpu.user + cpu.system) / count).toFixed(2)} µs CPU/request, ${
    (count / seconds).toFixed(0)
  } req/s`,
);
await client.close();
