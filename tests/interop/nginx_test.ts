/**
 * Our `HTTPTransport` against a real nginx: static files (1 MiB checked by
 * SHA-256 against the file on disk), gzip, ranges, keep-alive, and TLS with
 * the test CA. Needs `bash scripts/interop_servers.sh start` and
 * `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  connectCounter,
  INTEROP,
  NGINX_TLS_URL,
  NGINX_URL,
  sha256Hex,
  STATE_DIR,
  testCa,
} from "./_env.ts";

const ignore = !INTEROP;
const WWW = `${STATE_DIR}/www`;

Deno.test({
  name: "nginx: small file, HEAD, 404",
  ignore,
  async fn() {
    await using http = new httpx.Client({ baseUrl: NGINX_URL });
    const small = await http.get("/small.txt");
    assert.equal(small.statusCode, 200);
    assert.equal(small.text, await Deno.readTextFile(`${WWW}/small.txt`));
    assert.equal(small.headers.get("content-type"), "text/plain");
    assert.match(small.headers.get("server") ?? "", /^nginx/);

    const head = await http.head("/1m.bin");
    assert.equal(head.headers.get("content-length"), "1048576");
    assert.equal(head.content.length, 0);

    const missing = await http.get("/missing.txt");
    assert.equal(missing.statusCode, 404);
    assert.throws(() => missing.raiseForStatus(), httpx.HTTPStatusError);
  },
});

Deno.test({
  name: "nginx: 1 MiB and 64 KiB files match the files on disk (SHA-256)",
  ignore,
  async fn() {
    await using http = new httpx.Client({ baseUrl: NGINX_URL });
    for (const name of ["1m.bin", "64k.bin"]) {
      const expected = await sha256Hex(await Deno.readFile(`${WWW}/${name}`));
      const response = await http.get(`/${name}`);
      assert.equal(await sha256Hex(response.content), expected, name);

      // Streamed in small pieces, the same bytes.
      await using streamed = await http.stream("GET", `/${name}`);
      const parts: Uint8Array[] = [];
      for await (const chunk of streamed.iterBytes(10_000)) {
        assert.ok(chunk.length <= 10_000);
        parts.push(chunk.slice());
      }
      const joined = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.length;
      }
      assert.equal(await sha256Hex(joined), expected, `${name} streamed`);
    }
  },
});

Deno.test({
  name: "nginx: gzip-encoded text decodes to the file, iterRaw is compressed",
  ignore,
  async fn() {
    const expected = await Deno.readTextFile(`${WWW}/text.txt`);
    await using http = new httpx.Client({
      baseUrl: NGINX_URL,
      headers: { "Accept-Encoding": "gzip" },
    });
    const response = await http.get("/text.txt");
    assert.equal(response.headers.get("content-encoding"), "gzip");
    assert.equal(response.text, expected);
    assert.ok(response.numBytesDownloaded < expected.length / 4);

    await using raw = await http.stream("GET", "/text.txt");
    let rawBytes = 0;
    let first: number[] | undefined;
    for await (const chunk of raw.iterRaw()) {
      first ??= [...chunk.subarray(0, 2)];
      rawBytes += chunk.length;
    }
    assert.deepEqual(first, [0x1f, 0x8b]);
    assert.equal(rawBytes, response.numBytesDownloaded);

    // Lines of the decoded text, streamed.
    await using lines = await http.stream("GET", "/text.txt");
    let count = 0;
    for await (const line of lines.iterLines()) {
      assert.equal(line, `line ${count} of a compressible text file`);
      count++;
    }
    assert.equal(count, 20000);
  },
});

Deno.test({
  name: "nginx: a Range request returns the slice",
  ignore,
  async fn() {
    const file = await Deno.readFile(`${WWW}/64k.bin`);
    await using http = new httpx.Client({ baseUrl: NGINX_URL });
    const response = await http.get("/64k.bin", {
      headers: { Range: "bytes=1000-1999" },
    });
    assert.equal(response.statusCode, 206);
    assert.equal(
      response.headers.get("content-range"),
      "bytes 1000-1999/65536",
    );
    assert.deepEqual(response.content, file.subarray(1000, 2000));
  },
});

Deno.test({
  name: "nginx: keep-alive over 200 requests, and a concurrent burst",
  ignore,
  async fn() {
    const transport = new httpx.HTTPTransport({
      limits: new httpx.Limits({
        maxConnections: 10,
        maxKeepaliveConnections: 5,
      }),
    });
    await using http = new httpx.Client({ baseUrl: NGINX_URL, transport });
    const counter = connectCounter();
    for (let i = 0; i < 200; i++) {
      const response = await http.get("/small.txt", {
        extensions: counter.extensions,
      });
      assert.equal(response.text, "Hello, world!");
    }
    assert.equal(counter.count, 1);

    // At most 10 connections at any moment (more may be opened over the
    // burst: only 5 are kept idle, so finished ones beyond that close).
    let most = 0;
    const trace = (): void => {
      most = Math.max(most, transport.pool.connectionCount);
    };
    const burst = await Promise.all(
      Array.from(
        { length: 40 },
        () => http.get("/64k.bin", { extensions: { trace } }),
      ),
    );
    assert.ok(burst.every((r) => r.content.length === 65536));
    assert.ok(most > 1 && most <= 10, `${most} connections at once (max 10)`);
    assert.equal(transport.pool.activeCount, 0);
    assert.ok(
      transport.pool.idleCount <= 5,
      `${transport.pool.idleCount} idle`,
    );
  },
});

Deno.test({
  name: "nginx TLS: verified with the test CA, keep-alive over TLS",
  ignore,
  async fn() {
    await using http = new httpx.Client({
      baseUrl: NGINX_TLS_URL,
      verify: { caCerts: [testCa()] },
    });
    const counter = connectCounter();
    const expected = await sha256Hex(await Deno.readFile(`${WWW}/1m.bin`));
    for (let i = 0; i < 3; i++) {
      const response = await http.get("/1m.bin", {
        extensions: counter.extensions,
      });
      assert.equal(response.httpVersion, "HTTP/1.1");
      assert.equal(await sha256Hex(response.content), expected);
    }
    const small = await http.get("/small.txt");
    assert.equal(small.text, "Hello, world!");
    assert.equal(small.url.scheme, "https");
    assert.equal(counter.count, 1);
  },
});

Deno.test({
  name: "nginx TLS: the start_tls trace event is reported",
  ignore,
  async fn() {
    const events: string[] = [];
    await using http = new httpx.Client({
      verify: { caCerts: [testCa()] },
    });
    await http.get(`${NGINX_TLS_URL}/small.txt`, {
      extensions: { trace: (event: string) => void events.push(event) },
    });
    assert.ok(
      events.includes("connection.connect_tcp.started"),
      String(events),
    );
    assert.ok(events.includes("connection.start_tls.complete"), String(events));
    assert.ok(events.includes("http11.send_request_headers.started"));
    assert.ok(events.includes("http11.receive_response_body.complete"));
  },
});

Deno.test({
  name: "nginx TLS: without the test CA the handshake fails with ConnectError",
  ignore,
  async fn() {
    await using http = new httpx.Client({ trustEnv: false });
    await assert.rejects(
      http.get(`${NGINX_TLS_URL}/small.txt`),
      (error: unknown) => {
        assert.ok(error instanceof httpx.ConnectError, String(error));
        assert.ok(error.hasRequest);
        return true;
      },
    );
  },
});
