import assert from "node:assert/strict";
import {
  AsyncHTTPTransport,
  HTTPTransport,
} from "../../src/transports/http.ts";
import { Limits } from "../../src/config/limits.ts";
import {
  ConnectError,
  ReadError,
  TransportError,
  UnsupportedProtocol,
} from "../../src/errors.ts";
import { Request } from "../../src/models/request.ts";
import type { Response as HttpxResponse } from "../../src/models/response.ts";
import type { NetworkBackend, NetworkStream } from "../../src/net/network.ts";
import type { TimeoutConfig } from "../../src/_types.ts";

const TLS_DIR = new URL("../testdata/tls/", import.meta.url);
const CA = Deno.readTextFileSync(new URL("ca.pem", TLS_DIR));
const SERVER_CERT = Deno.readTextFileSync(new URL("server.pem", TLS_DIR));
const SERVER_KEY = Deno.readTextFileSync(new URL("server-key.pem", TLS_DIR));
const TIMEOUT: TimeoutConfig = { connect: 5, read: 5, write: 5, pool: 5 };

interface TestServer {
  port: number;
  clientPorts: Set<number>;
  close(): Promise<void>;
}

function serve(tls = false): TestServer {
  const clientPorts = new Set<number>();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    ...(tls ? { cert: SERVER_CERT, key: SERVER_KEY } : {}),
  }, async (request, info) => {
    clientPorts.add(info.remoteAddr.port);
    const url = new URL(request.url);
    const body = new Uint8Array(await request.arrayBuffer());
    return new globalThis.Response(
      JSON.stringify({
        method: request.method,
        path: url.pathname + url.search,
        length: body.length,
        sum: body.reduce((a, b) => (a + b) % 65536, 0),
        host: request.headers.get("host"),
      }),
      { headers: { "content-type": "application/json" } },
    );
  });
  return {
    port: server.addr.port,
    clientPorts,
    close: () => server.shutdown(),
  };
}

function request(
  method: string,
  url: string,
  content?: Uint8Array,
): Request {
  const headers: Record<string, string> = { Host: new URL(url).host };
  if (content !== undefined) headers["Content-Length"] = `${content.length}`;
  return new Request(method, url, {
    headers,
    content,
    extensions: { timeout: TIMEOUT },
  });
}

async function json(response: HttpxResponse): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.stream) chunks.push(chunk.slice());
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return JSON.parse(new TextDecoder().decode(all));
}

Deno.test("GET and POST over plain HTTP, on one kept-alive connection", async () => {
  const server = serve();
  const transport = new HTTPTransport();
  const base = `http://127.0.0.1:${server.port}`;
  const got = await transport.handleRequest(request("GET", `${base}/a?x=1`));
  assert.equal(got.statusCode, 200);
  assert.equal(got.extensions.httpVersion, "HTTP/1.1");
  assert.deepEqual(await json(got), {
    method: "GET",
    path: "/a?x=1",
    length: 0,
    sum: 0,
    host: `127.0.0.1:${server.port}`,
  });
  const body = new Uint8Array(200_000).map((_, i) => i % 251);
  const posted = await transport.handleRequest(
    request("POST", `${base}/upload`, body),
  );
  const echo = await json(posted);
  assert.equal(echo.method, "POST");
  assert.equal(echo.length, body.length);
  assert.equal(echo.sum, body.reduce((a, b) => (a + b) % 65536, 0));
  assert.equal(server.clientPorts.size, 1);
  assert.equal(transport.pool.connectionCount, 1);
  assert.equal(
    String(transport),
    "<HTTPTransport [Requests: 0 active, 0 queued | Connections: 0 active, 1 idle]>",
  );
  await transport.close();
  await server.close();
});

Deno.test("1,000 sequential requests over one connection", async () => {
  const server = serve();
  const transport = new HTTPTransport();
  const url = `http://127.0.0.1:${server.port}/n`;
  for (let i = 0; i < 1000; i++) {
    const response = await transport.handleRequest(request("GET", url));
    assert.equal(response.statusCode, 200);
    await json(response);
  }
  assert.equal(server.clientPorts.size, 1);
  assert.equal(transport.pool.connectionCount, 1);
  await transport.close();
  await server.close();
});

Deno.test("concurrent requests open up to maxConnections connections", async () => {
  const server = serve();
  const transport = new HTTPTransport({
    limits: new Limits({ maxConnections: 3 }),
  });
  const url = `http://127.0.0.1:${server.port}/c`;
  const results = await Promise.all(
    Array.from(
      { length: 12 },
      async () =>
        await json(await transport.handleRequest(request("GET", url))),
    ),
  );
  assert.equal(results.length, 12);
  assert.ok(server.clientPorts.size <= 3);
  assert.ok(transport.pool.connectionCount <= 3);
  await transport.close();
  await server.close();
});

Deno.test("HTTPS with caCerts, keep-alive over TLS", async () => {
  const server = serve(true);
  const transport = new HTTPTransport({ verify: { caCerts: [CA] } });
  const url = `https://localhost:${server.port}/secure`;
  for (let i = 0; i < 3; i++) {
    const response = await transport.handleRequest(request("GET", url));
    assert.equal((await json(response)).path, "/secure");
  }
  assert.equal(server.clientPorts.size, 1);
  await transport.close();
  await server.close();
});

Deno.test("HTTPS without the CA fails with ConnectError", async () => {
  const server = serve(true);
  const transport = new HTTPTransport({ trustEnv: false });
  await assert.rejects(
    transport.handleRequest(
      request("GET", `https://localhost:${server.port}/`),
    ),
    (e: unknown) =>
      e instanceof ConnectError && /UnknownIssuer/.test(e.message),
  );
  assert.equal(transport.pool.connectionCount, 0);
  await transport.close();
  await server.close();
});

/**
 * Run a child Deno with `env` and `permissions` that sends one request to
 * `url` through a new `HTTPTransport(options)` and prints what happened.
 * (A child process, because the environment is shared by every test.)
 */
async function childRequest(
  url: string,
  env: Record<string, string>,
  permissions: string[],
  options = "{}",
): Promise<string> {
  const transportUrl = new URL("../../src/transports/http.ts", import.meta.url);
  const requestUrl = new URL("../../src/models/request.ts", import.meta.url);
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      script,
      `import { HTTPTransport } from ${JSON.stringify(transportUrl.href)};
import { Request } from ${JSON.stringify(requestUrl.href)};
let transport;
try {
  transport = new HTTPTransport(${options});
} catch (error) {
  console.log("constructor: " + error.message);
  Deno.exit(0);
}
try {
  const response = await transport.handleRequest(
    new Request("GET", ${
        JSON.stringify(url)
      }, { headers: { Host: "localhost" } }),
  );
  for await (const _ of response.stream) { /* drain */ }
  console.log("status " + response.statusCode);
} catch (error) {
  console.log(error.constructor.name);
}
await transport.close();
`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-check", "--quiet", ...permissions, script],
      env: { SSL_CERT_FILE: "", SSL_CERT_DIR: "", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.ok(output.success, stderr);
    return new TextDecoder().decode(output.stdout).trim();
  } finally {
    await Deno.remove(script);
  }
}

Deno.test("SSL_CERT_FILE and SSL_CERT_DIR are trusted under trustEnv, where permitted", async () => {
  const server = serve(true);
  const url = `https://localhost:${server.port}/env`;
  const caFile = new URL("ca.pem", TLS_DIR).pathname;
  const caDir = new URL(".", TLS_DIR).pathname;
  const all = ["--allow-env", "--allow-read", "--allow-net"];
  try {
    assert.equal(
      await childRequest(url, { SSL_CERT_FILE: caFile }, all),
      "status 200",
    );
    assert.equal(
      await childRequest(url, { SSL_CERT_DIR: caDir }, all),
      "status 200",
    );
    // Not without trustEnv, nor without the permission to read the variable.
    assert.equal(
      await childRequest(
        url,
        { SSL_CERT_FILE: caFile },
        all,
        "{ trustEnv: false }",
      ),
      "ConnectError",
    );
    assert.equal(
      await childRequest(
        url,
        { SSL_CERT_FILE: caFile },
        ["--allow-read", "--allow-net"],
      ),
      "ConnectError",
    );
    assert.match(
      await childRequest(url, { SSL_CERT_FILE: "/nonexistent/ca.pem" }, all),
      /^constructor: Cannot read the CA certificates in SSL_CERT_FILE/,
    );
  } finally {
    await server.close();
  }
});

Deno.test("verify: false is refused with a clear message", () => {
  assert.throws(
    () => new HTTPTransport({ verify: false }),
    (e: unknown) =>
      e instanceof TypeError && /caCerts/.test(e.message) &&
      /--unsafely-ignore-certificate-errors/.test(e.message),
  );
});

Deno.test("unsupported protocols and proxies", async () => {
  const transport = new HTTPTransport();
  await assert.rejects(
    transport.handleRequest(request("GET", "ftp://example.org/")),
    (e: unknown) =>
      e instanceof UnsupportedProtocol &&
      e.message === "Request URL has an unsupported protocol 'ftp://'",
  );
  await transport.close();
  const proxied = new HTTPTransport({ proxy: "http://127.0.0.1:3128" });
  assert.equal(proxied.proxy, "http://127.0.0.1:3128");
  await assert.rejects(
    proxied.handleRequest(request("GET", "http://example.org/")),
    // [proxies, issue 5] Sent to the proxy now: nothing listens there.
    (e: unknown) => e instanceof TransportError,
  );
  await proxied.close();
  assert.equal(AsyncHTTPTransport, HTTPTransport);
});

Deno.test("a connection refused is a ConnectError, retried with retries", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const sleeps: number[] = [];
  const real = new (await import("../../src/net/deno_backend.ts"))
    .DenoBackend();
  const backend: NetworkBackend = {
    connect: (options) => real.connect(options),
    sleep: (seconds) => {
      sleeps.push(seconds);
      return Promise.resolve();
    },
  };
  const transport = new HTTPTransport({ retries: 2, backend });
  await assert.rejects(
    transport.handleRequest(request("GET", `http://127.0.0.1:${port}/`)),
    (e: unknown) => e instanceof ConnectError && e.message.includes(`${port}`),
  );
  assert.deepEqual(sleeps, [0, 0.5]);
  await transport.close();
});

Deno.test("non-httpx errors from below become httpx errors with the cause", async () => {
  const reset = new Deno.errors.ConnectionReset("reset by peer");
  let reads = 0;
  const stream: NetworkStream = {
    alpnProtocol: null,
    remoteAddr: "127.0.0.1:80",
    localAddr: "127.0.0.1:5000",
    isClosed: false,
    read() {
      reads++;
      if (reads === 1) {
        return Promise.resolve(
          new TextEncoder().encode(
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
          ),
        );
      }
      return Promise.reject(reset);
    },
    write: () => Promise.resolve(),
    close() {},
    startTls: () => Promise.reject(new Error("no")),
  };
  const transport = new HTTPTransport({
    backend: {
      connect: () => Promise.resolve(stream),
      sleep: () => Promise.resolve(),
    },
  });
  const response = await transport.handleRequest(
    request("GET", "http://example.org/"),
  );
  await assert.rejects(
    (async () => {
      for await (const _ of response.stream) { /* read */ }
    })(),
    (e: unknown) => e instanceof ReadError && e.cause === reset,
  );
  assert.equal(transport.pool.connectionCount, 0);
  // Failing before the response head: mapped the same way.
  reads = 1;
  await assert.rejects(
    transport.handleRequest(request("GET", "http://example.org/")),
    (e: unknown) => e instanceof ReadError && e.cause === reset,
  );
  await transport.close();
});
