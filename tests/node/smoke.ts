/**
 * Node smoke test of the fetch path: bundled by `deno bundle` into an
 * `.mjs` and run with `node` by `node_smoke_test.ts`. It starts a local
 * `node:http` server and sends requests through the default transport,
 * which must be `FetchTransport` (there is no `Deno.connect` on Node).
 * It prints one JSON line with what it saw, and exits non-zero on failure.
 *
 * @module
 */

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import * as httpx from "../../mod.ts";

async function* parts(): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode("streamed ");
  yield new TextEncoder().encode("body");
}

const server = http.createServer(
  async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = new TextDecoder().decode(
      await new Blob(chunks as BlobPart[]).arrayBuffer(),
    );
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname === "/redirect") {
      response.writeHead(302, {
        location: "/echo",
        "set-cookie": "visited=yes; Path=/",
      });
      response.end();
      return;
    }
    if (url.pathname === "/gzip") {
      response.writeHead(200, {
        "content-type": "text/plain",
        "content-encoding": "gzip",
      });
      response.end(zlib.gzipSync("gzipped hello"));
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({
      method: request.method,
      path: url.pathname,
      body,
      cookie: request.headers.cookie ?? null,
      transferEncoding: request.headers["transfer-encoding"] ?? null,
    }));
  },
);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// Node 20 has no `await using`: close by hand.
const client = new httpx.Client({ followRedirects: true });
try {
  const redirected = await client.get(base + "/redirect");
  const posted = await client.post(base + "/echo", {
    json: { runtime: "node" },
  });
  const streamed = await client.put(base + "/echo", { content: parts() });
  const gzipped = await client.get(base + "/gzip");
  const viaFetch = await client.fetch(base + "/echo", {
    method: "POST",
    body: "from client.fetch",
  });
  console.log(JSON.stringify({
    node: (globalThis as { process?: { version?: string } }).process?.version,
    transport: client.transport.constructor.name,
    redirected: {
      status: redirected.statusCode,
      history: redirected.history.map((r) => r.statusCode),
      echo: redirected.json(),
    },
    posted: posted.json(),
    streamed: streamed.json(),
    gzipped: gzipped.text,
    viaFetch: await viaFetch.json(),
  }));
} finally {
  await client.close();
  server.close();
}
