/**
 * One suite, run against both real transports: `HTTPTransport` (our own
 * HTTP/1.1 over Deno's sockets) and `FetchTransport` (the runtime's
 * `fetch`), against the same local `Deno.serve` servers. Where `fetch`
 * cannot do what HTTPX does, the expectation says so (`fetchException`).
 */
import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { Client } from "../../src/client/client.ts";
import {
  ConnectError,
  ReadTimeout,
  RequestError,
  StreamError,
  TimeoutException,
} from "../../src/errors.ts";
import type { BaseTransport } from "../../src/transports/base.ts";
import { FetchTransport } from "../../src/transports/fetch.ts";
import { HTTPTransport } from "../../src/transports/http.ts";

const TLS_DIR = new URL("../testdata/tls/", import.meta.url);
const CA = Deno.readTextFileSync(new URL("ca.pem", TLS_DIR));
const CERT = Deno.readTextFileSync(new URL("server.pem", TLS_DIR));
const KEY = Deno.readTextFileSync(new URL("server-key.pem", TLS_DIR));

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(40);
const GZIPPED = new Uint8Array(zlib.gzipSync(encoder.encode(TEXT)));
const DEFLATED = new Uint8Array(zlib.deflateSync(encoder.encode(TEXT)));
const BROTLI = new Uint8Array(zlib.brotliCompressSync(encoder.encode(TEXT)));

interface Kind {
  name: "HTTPTransport" | "FetchTransport";
  make(options?: { caCerts?: string[] }): BaseTransport;
}

const KINDS: Kind[] = [
  {
    name: "HTTPTransport",
    make: (options = {}) =>
      new HTTPTransport(
        options.caCerts ? { verify: { caCerts: options.caCerts } } : {},
      ),
  },
  {
    name: "FetchTransport",
    make: (options = {}) =>
      new FetchTransport(
        options.caCerts ? { verify: { caCerts: options.caCerts } } : {},
      ),
  },
];

/** Hanging handlers wait on this; released when the server closes. */
interface Server extends AsyncDisposable {
  url: string;
  stall: Promise<void>;
}

function app(stall: Promise<void>) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case "/echo":
        return Response.json({
          method: request.method,
          body: await request.text(),
          contentLength: request.headers.get("content-length"),
          chunked: request.headers.get("transfer-encoding") === "chunked",
          cookie: request.headers.get("cookie"),
          custom: request.headers.get("x-custom"),
        });
      case "/gzip":
        return new Response(GZIPPED, {
          headers: { "content-encoding": "gzip" },
        });
      case "/deflate":
        return new Response(DEFLATED, {
          headers: { "content-encoding": "deflate" },
        });
      case "/br":
        return new Response(BROTLI, { headers: { "content-encoding": "br" } });
      case "/redirect":
        return new Response(null, {
          status: 303,
          headers: { location: "/echo", "set-cookie": "hop=1; Path=/" },
        });
      case "/lines":
        return new Response(ReadableStream.from(
          ["one\n", "two\n", "three"].map((line) => encoder.encode(line)),
        ));
      case "/no-content":
        return new Response(null, { status: 204 });
      case "/stall-head":
        await stall;
        return new Response("late");
      case "/stall-body":
        return new Response(
          new ReadableStream<Uint8Array>({
            async pull(controller) {
              controller.enqueue(encoder.encode("first"));
              await stall;
              controller.close();
            },
          }),
        );
      default:
        return new Response("not found", { status: 404 });
    }
  };
}

function serve(tls = false): Server {
  const controller = new AbortController();
  let release!: () => void;
  const stall = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
    ...(tls ? { cert: CERT, key: KEY } : {}),
  }, app(stall));
  return {
    url: `${
      tls ? "https://localhost" : "http://127.0.0.1"
    }:${server.addr.port}`,
    stall,
    async [Symbol.asyncDispose]() {
      release();
      controller.abort();
      await server.finished;
    },
  };
}

interface Case {
  name: string;
  tls?: boolean;
  fn(client: Client, server: Server, kind: Kind): Promise<void>;
}

const CASES: Case[] = [
  {
    name: "GET with custom headers",
    async fn(client, server) {
      const response = await client.get(server.url + "/echo", {
        headers: { "X-Custom": "value" },
      });
      assert.equal(response.statusCode, 200);
      assert.equal(response.httpVersion, "HTTP/1.1");
      assert.equal(response.json<{ custom: string }>().custom, "value");
      assert.ok(response.elapsed >= 0);
    },
  },
  {
    name: "POST JSON from memory (Content-Length)",
    async fn(client, server) {
      const response = await client.post(server.url + "/echo", {
        json: { a: [1, 2] },
      });
      const echoed = response.json<Record<string, unknown>>();
      assert.equal(echoed.body, '{"a":[1,2]}');
      assert.equal(echoed.contentLength, "11");
      assert.equal(echoed.chunked, false);
    },
  },
  {
    name: "PUT a streamed body (chunked)",
    async fn(client, server) {
      async function* body(): AsyncGenerator<Uint8Array> {
        yield encoder.encode("part one, ");
        yield encoder.encode("part two");
      }
      const response = await client.put(server.url + "/echo", {
        content: body(),
      });
      const echoed = response.json<Record<string, unknown>>();
      assert.equal(echoed.body, "part one, part two");
      assert.equal(echoed.chunked, true);
    },
  },
  {
    name: "redirect followed, with history and cookies",
    async fn(client, server) {
      const response = await client.post(server.url + "/redirect", {
        content: "dropped on 303",
        followRedirects: true,
      });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.history.map((r) => r.statusCode), [303]);
      const echoed = response.json<Record<string, unknown>>();
      assert.equal(echoed.method, "GET");
      assert.equal(echoed.body, "");
      assert.equal(echoed.cookie, "hop=1");
    },
  },
  {
    name: "gzip, deflate and br bodies are decoded",
    async fn(client, server) {
      for (const path of ["/gzip", "/deflate", "/br"]) {
        const response = await client.get(server.url + path);
        assert.equal(response.text, TEXT, path);
      }
    },
  },
  {
    name:
      "iterRaw gives the bytes as received (fetch exception: decoded codings)",
    async fn(client, server, kind) {
      await using response = await client.stream("GET", server.url + "/gzip");
      const raw = response.iterRaw();
      if (kind.name === "FetchTransport") {
        // fetchException: fetch has decoded the gzip body already.
        await assert.rejects(raw.next(), StreamError);
        return;
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of raw) chunks.push(chunk);
      assert.deepEqual(await new Blob(chunks as BlobPart[]).bytes(), GZIPPED);
      assert.equal(response.numBytesDownloaded, GZIPPED.byteLength);
    },
  },
  {
    name: "a streamed body, line by line",
    async fn(client, server) {
      await using response = await client.stream("GET", server.url + "/lines");
      const lines: string[] = [];
      for await (const line of response.iterLines()) lines.push(line);
      assert.deepEqual(lines, ["one", "two", "three"]);
    },
  },
  {
    name: "HEAD and 204 carry no body",
    async fn(client, server) {
      const head = await client.head(server.url + "/echo");
      assert.equal(head.content.byteLength, 0);
      const empty = await client.get(server.url + "/no-content");
      assert.equal(empty.statusCode, 204);
      assert.equal(empty.content.byteLength, 0);
    },
  },
  {
    name: "a stalled body raises ReadTimeout",
    async fn(client, server) {
      await using response = await client.stream(
        "GET",
        server.url + "/stall-body",
        { timeout: { connect: 5, read: 0.2 } },
      );
      const iterator = response.iterBytes();
      assert.equal(
        decoder.decode((await iterator.next()).value as Uint8Array),
        "first",
      );
      await assert.rejects(iterator.next(), ReadTimeout);
    },
  },
  {
    name: "a stalled head raises ReadTimeout",
    async fn(client, server) {
      await assert.rejects(
        client.get(server.url + "/stall-head", {
          timeout: { connect: 0.1, read: 0.1 },
        }),
        (error: Error) =>
          error instanceof ReadTimeout && error instanceof TimeoutException,
      );
    },
  },
  {
    name: "aborting the signal cancels the request",
    async fn(client, server) {
      const controller = new AbortController();
      const reason = new Error("stop");
      const pending = client.get(server.url + "/stall-head", {
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(reason), 20);
      await assert.rejects(
        pending,
        (error: Error) =>
          error instanceof RequestError && error.cause === reason,
      );
    },
  },
  {
    name: "a refused connection raises ConnectError",
    async fn(client) {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = listener.addr.port;
      listener.close();
      await assert.rejects(
        client.get(`http://127.0.0.1:${port}/`),
        ConnectError,
      );
    },
  },
  {
    name: "TLS with the test CA",
    tls: true,
    async fn(client, server) {
      const response = await client.post(server.url + "/echo", {
        content: "secret",
      });
      assert.equal(response.json<{ body: string }>().body, "secret");
      assert.equal(response.url.scheme, "https");
    },
  },
];

for (const kind of KINDS) {
  for (const test of CASES) {
    Deno.test(`${kind.name}: ${test.name}`, async () => {
      await using server = serve(test.tls ?? false);
      await using client = new Client({
        transport: kind.make(test.tls ? { caCerts: [CA] } : {}),
      });
      await test.fn(client, server, kind);
    });
  }
}
