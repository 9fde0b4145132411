/**
 * HTTP/2 against real servers: nginx (TLS, ALPN h2) and nghttpd (TLS, and
 * cleartext with prior knowledge), and `Deno.serve` over TLS (h2 by ALPN)
 * for uploads and a graceful shutdown (GOAWAY) under load. Needs
 * `bash scripts/interop_servers.sh start` and `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  connectCounter,
  INTEROP,
  NGHTTPD_H2C_URL,
  NGHTTPD_URL,
  NGINX_TLS_URL,
  sha256Hex,
  STATE_DIR,
  testCa,
} from "./_env.ts";

const ignore = !INTEROP;
const WWW = `${STATE_DIR}/www`;

for (
  const [name, base] of [["nginx", NGINX_TLS_URL], ["nghttpd", NGHTTPD_URL]]
) {
  Deno.test({
    name:
      `http2 ${name}: ALPN picks h2, files match, streams share one connection`,
    ignore,
    async fn() {
      await using http = new httpx.Client({
        baseUrl: base,
        http2: true,
        verify: { caCerts: [testCa()] },
      });
      const counter = connectCounter();
      const first = await http.get("/small.txt", {
        extensions: counter.extensions,
      });
      assert.equal(first.httpVersion, "HTTP/2");
      assert.equal(first.text, "Hello, world!");
      assert.equal(first.reasonPhrase, "OK");

      const expected = await sha256Hex(await Deno.readFile(`${WWW}/1m.bin`));
      const many = await Promise.all(
        Array.from(
          { length: 10 },
          () => http.get("/1m.bin", { extensions: counter.extensions }),
        ),
      );
      for (const response of many) {
        assert.equal(response.httpVersion, "HTTP/2");
        assert.equal(await sha256Hex(response.content), expected);
      }
      assert.equal(counter.count, 1, "one connection multiplexes all streams");
    },
  });
}

Deno.test({
  name: "http2 nghttpd: h2c with prior knowledge (http1: false)",
  ignore,
  async fn() {
    await using http = new httpx.Client({ http1: false, http2: true });
    const response = await http.get(`${NGHTTPD_H2C_URL}/small.txt`);
    assert.equal(response.httpVersion, "HTTP/2");
    assert.equal(response.text, "Hello, world!");
  },
});

Deno.test({
  name: "http2 nginx: http2 without http1 still works over TLS; 404 over h2",
  ignore,
  async fn() {
    await using http = new httpx.Client({
      http1: false,
      http2: true,
      verify: { caCerts: [testCa()] },
    });
    const missing = await http.get(`${NGINX_TLS_URL}/missing`);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.httpVersion, "HTTP/2");
  },
});

for (
  const [name, base] of [["nginx", NGINX_TLS_URL], ["nghttpd", NGHTTPD_URL]]
) {
  Deno.test({
    name: `http2 ${name}: 1,000 concurrent GETs over one connection`,
    ignore,
    async fn() {
      await using http = new httpx.Client({
        baseUrl: base,
        http2: true,
        verify: { caCerts: [testCa()] },
        limits: new httpx.Limits({ maxConnections: 1 }),
        timeout: new httpx.Timeout(30),
      });
      const counter = connectCounter();
      const streamIds = new Set<unknown>();
      const responses = await Promise.all(
        Array.from({ length: 1000 }, async () => {
          const response = await http.get("/small.txt", {
            extensions: counter.extensions,
          });
          streamIds.add(response.extensions.streamId);
          return response;
        }),
      );
      assert.equal(counter.count, 1, "one connect_tcp for all");
      assert.equal(streamIds.size, 1000, "a stream each");
      for (const response of responses) {
        assert.equal(response.statusCode, 200);
        assert.equal(response.httpVersion, "HTTP/2");
        assert.equal(response.text, "Hello, world!");
      }
    },
  });
}

const TLS_DIR = new URL("../testdata/tls/", import.meta.url);

/** `Deno.serve` over TLS with the test certificate (it offers h2 by ALPN). */
function serveTls(
  handler: Deno.ServeHandler<Deno.NetAddr>,
  port = 0,
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen() {},
    cert: Deno.readTextFileSync(new URL("server.pem", TLS_DIR)),
    key: Deno.readTextFileSync(new URL("server-key.pem", TLS_DIR)),
  }, handler);
}

Deno.test({
  name:
    "http2 Deno.serve: a 256 MiB upload streams under flow control, never buffered",
  ignore,
  async fn() {
    // The server is in this process, so it can tell how much has arrived
    // while the client's body generator runs: the gap between produced and
    // received bytes is what is held in flight. (RSS is process-wide and
    // noisy under --parallel, so it is not used.)
    let received = 0;
    const server = serveTls(async (request) => {
      for await (const chunk of request.body!) received += chunk.byteLength;
      return new Response(String(received));
    });
    try {
      await using http = new httpx.Client({
        http2: true,
        verify: { caCerts: [testCa()] },
        timeout: new httpx.Timeout(120),
      });
      const size = 256 * 1024 * 1024;
      const chunk = new Uint8Array(64 * 1024);
      let sent = 0;
      let maxInFlight = 0;
      const body = async function* (): AsyncGenerator<Uint8Array> {
        while (sent < size) {
          maxInFlight = Math.max(maxInFlight, sent - received);
          sent += chunk.length;
          yield chunk;
        }
      };
      const response = await http.post(
        `https://localhost:${server.addr.port}/upload`,
        { content: body() },
      );
      assert.equal(response.httpVersion, "HTTP/2");
      assert.equal(response.text, String(size));
      // Flow control bounds what is in flight: nowhere near the 256 MiB the
      // body would take if it were buffered.
      assert.ok(
        maxInFlight < 32 * 1024 * 1024,
        `${Math.round(maxInFlight / 1024 / 1024)} MiB were in flight`,
      );
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name: "http2 Deno.serve: a large download and an echoed upload match",
  ignore,
  async fn() {
    const big = crypto.getRandomValues(new Uint8Array(65536));
    const server = serveTls(async (request) => {
      if (request.method === "POST") {
        return new Response(await request.arrayBuffer());
      }
      // 32 MiB in 64 KiB chunks.
      let left = 512;
      return new Response(
        new ReadableStream({
          pull(controller) {
            if (left-- === 0) controller.close();
            else controller.enqueue(big);
          },
        }),
      );
    });
    try {
      await using http = new httpx.Client({
        http2: true,
        verify: { caCerts: [testCa()] },
        timeout: new httpx.Timeout(60),
      });
      const url = `https://localhost:${server.addr.port}/`;
      const download = await http.get(url);
      assert.equal(download.httpVersion, "HTTP/2");
      assert.equal(download.content.byteLength, 512 * 65536);
      assert.deepEqual(download.content.subarray(65536, 131072), big);

      const upload = new Uint8Array(3 * 1024 * 1024);
      for (let at = 0; at < upload.length; at += 65536) {
        crypto.getRandomValues(upload.subarray(at, at + 65536));
      }
      const echoed = await http.post(url, { content: upload });
      assert.equal(echoed.httpVersion, "HTTP/2");
      assert.equal(await sha256Hex(echoed.content), await sha256Hex(upload));
    } finally {
      await server.shutdown();
    }
  },
});

Deno.test({
  name:
    "http2 Deno.serve: a graceful shutdown (GOAWAY) under load loses no request",
  ignore,
  async fn() {
    let handled = 0;
    let shuttingDown: Promise<void> | null = null;
    let second: Deno.HttpServer<Deno.NetAddr> | null = null;
    const handler = async (request: Request): Promise<Response> => {
      handled++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return new Response(new URL(request.url).pathname);
    };
    const first = serveTls((request) => {
      if (handled === 50 && shuttingDown === null) {
        // GOAWAY to the client, then a new server on the same port for
        // the requests the first one did not take.
        shuttingDown = first.shutdown().then(() => {
          second = serveTls(handler, first.addr.port);
        });
      }
      return handler(request);
    });
    try {
      const verify = { caCerts: [testCa()] };
      await using http = new httpx.Client({
        // Connects fail until the second server listens: retry them.
        transport: new httpx.HTTPTransport({ http2: true, verify, retries: 5 }),
        timeout: new httpx.Timeout(30),
      });
      const counter = connectCounter();
      const url = `https://localhost:${first.addr.port}`;
      let next = 0;
      const results: string[] = [];
      await Promise.all(Array.from({ length: 20 }, async () => {
        while (next < 400) {
          const path = `/${next++}`;
          const response = await http.get(`${url}${path}`, {
            extensions: counter.extensions,
          });
          assert.equal(response.statusCode, 200);
          assert.equal(response.httpVersion, "HTTP/2");
          assert.equal(response.text, path);
          results.push(path);
        }
      }));
      assert.equal(results.length, 400, "every request answered");
      assert.ok(shuttingDown !== null, "the server went away mid-load");
      assert.ok(counter.count >= 2, "retried on a new connection");
    } finally {
      await shuttingDown;
      await first.finished;
      await (second as Deno.HttpServer<Deno.NetAddr> | null)?.shutdown();
    }
  },
});
