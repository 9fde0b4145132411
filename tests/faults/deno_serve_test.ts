/**
 * End to end against `Deno.serve` (Deno's own HTTP server, hyper-based): plain
 * TCP and TLS with the test CA.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";

const TLS_DIR = new URL("../testdata/tls/", import.meta.url);
const CA = Deno.readTextFileSync(new URL("ca.pem", TLS_DIR));
const CERT = Deno.readTextFileSync(new URL("server.pem", TLS_DIR));
const KEY = Deno.readTextFileSync(new URL("server-key.pem", TLS_DIR));

async function handler(request: Request): Promise<Response> {
  const url = new globalThis.URL(request.url);
  switch (url.pathname) {
    case "/echo": {
      const body = new Uint8Array(await request.arrayBuffer());
      return new Response(body, {
        headers: {
          "x-method": request.method,
          "x-query": url.search,
          "x-content-type": request.headers.get("content-type") ?? "",
          "x-header": request.headers.get("x-header") ?? "",
        },
      });
    }
    case "/stream": {
      let i = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === 10) return controller.close();
          controller.enqueue(new TextEncoder().encode(`line ${i++}\n`));
        },
      });
      return new Response(stream, {
        headers: { "content-type": "text/plain" },
      });
    }
    case "/redirect":
      return new Response(null, {
        status: 302,
        headers: { location: "/echo?from=redirect" },
      });
    case "/cookie":
      return new Response("set", {
        headers: { "set-cookie": "session=abc; Path=/" },
      });
    case "/whoami":
      return new Response(request.headers.get("cookie") ?? "");
    default:
      return new Response("not found", { status: 404 });
  }
}

function serve(tls: boolean): {
  server: Deno.HttpServer<Deno.NetAddr>;
  url: string;
} {
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
    ...(tls ? { cert: CERT, key: KEY } : {}),
  }, handler);
  const port = server.addr.port;
  return {
    server,
    url: tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
  };
}

for (const tls of [false, true]) {
  const kind = tls ? "TLS" : "TCP";
  const verify = { caCerts: [CA] };

  Deno.test(`Deno.serve over ${kind}: methods, bodies, params and headers`, async () => {
    const { server, url } = serve(tls);
    try {
      await using http = new httpx.Client({ verify, baseUrl: url });
      const get = await http.get("/echo", {
        params: { a: ["1", "2"], b: "c d" },
        headers: { "X-Header": "value" },
      });
      assert.equal(get.statusCode, 200);
      assert.equal(get.headers.get("x-method"), "GET");
      assert.equal(get.headers.get("x-query"), "?a=1&a=2&b=c+d");
      assert.equal(get.headers.get("x-header"), "value");
      assert.equal(get.httpVersion, "HTTP/1.1");

      const post = await http.post("/echo", { json: { hello: "wörld" } });
      assert.equal(post.headers.get("x-content-type"), "application/json");
      assert.deepEqual(post.json(), { hello: "wörld" });

      const form = await http.put("/echo", { data: { k: "v", n: 2 } });
      assert.equal(form.text, "k=v&n=2");

      const bytes = new Uint8Array(300_000);
      for (let i = 0; i < bytes.length; i += 65536) {
        crypto.getRandomValues(bytes.subarray(i, i + 65536));
      }
      const big = await http.patch("/echo", { content: bytes });
      assert.deepEqual(big.content, bytes);

      const chunked = await http.post("/echo", {
        content: (async function* () {
          yield new TextEncoder().encode("chunk-1,");
          yield new TextEncoder().encode("chunk-2");
        })(),
      });
      assert.equal(chunked.text, "chunk-1,chunk-2");

      const deleted = await http.delete("/echo");
      assert.equal(deleted.headers.get("x-method"), "DELETE");
    } finally {
      await server.shutdown();
    }
  });

  Deno.test(`Deno.serve over ${kind}: streaming, redirects, cookies, keep-alive`, async () => {
    const { server, url } = serve(tls);
    try {
      let connects = 0;
      const trace = (event: string): void => {
        if (event === "connection.connect_tcp.started") connects++;
      };
      await using http = new httpx.Client({
        verify,
        baseUrl: url,
        followRedirects: true,
      });
      {
        await using response = await http.stream("GET", "/stream", {
          extensions: { trace },
        });
        const lines: string[] = [];
        for await (const line of response.iterLines()) lines.push(line);
        assert.deepEqual(
          lines,
          Array.from({ length: 10 }, (_, i) => `line ${i}`),
        );
      }
      const redirected = await http.get("/redirect", { extensions: { trace } });
      assert.equal(redirected.url.toString(), `${url}/echo?from=redirect`);
      assert.deepEqual(redirected.history.map((r) => r.statusCode), [302]);

      await http.get("/cookie", { extensions: { trace } });
      assert.equal(http.cookies.get("session"), "abc");
      const whoami = await http.get("/whoami", { extensions: { trace } });
      assert.equal(whoami.text, "session=abc");

      const missing = await http.get("/nope", { extensions: { trace } });
      assert.throws(() => missing.raiseForStatus(), httpx.HTTPStatusError);

      assert.equal(connects, 1, "one connection for all the requests");
    } finally {
      await server.shutdown();
    }
  });
}

Deno.test("Deno.serve over TLS: http2 negotiates HTTP/2 and multiplexes", async () => {
  const { server, url } = serve(true);
  try {
    let connects = 0;
    const trace = (event: string): void => {
      if (event === "connection.connect_tcp.started") connects++;
    };
    await using http = new httpx.Client({
      verify: { caCerts: [CA] },
      baseUrl: url,
      http2: true,
    });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        http.post("/echo", {
          content: `body ${i}`,
          params: { i },
          extensions: { trace },
        })),
    );
    responses.forEach((response, i) => {
      assert.equal(response.httpVersion, "HTTP/2");
      assert.equal(response.text, `body ${i}`);
      assert.equal(response.headers.get("x-query"), `?i=${i}`);
    });
    await using streamed = await http.stream("GET", "/stream");
    const lines: string[] = [];
    for await (const line of streamed.iterLines()) lines.push(line);
    assert.equal(lines.length, 10);
    assert.equal(connects, 1);
  } finally {
    await server.shutdown();
  }
});

Deno.test("Deno.serve over TLS: without the test CA the handshake fails with ConnectError", async () => {
  const { server, url } = serve(true);
  try {
    await using http = new httpx.Client();
    await assert.rejects(http.get(`${url}/echo`), httpx.ConnectError);
  } finally {
    await server.shutdown();
  }
});

Deno.test("Deno.serve over TLS: a name the certificate lacks fails with ConnectError", async () => {
  const { server } = serve(true);
  try {
    await using http = new httpx.Client({ verify: { caCerts: [CA] } });
    // The certificate is for localhost and 127.0.0.1, not 127.0.0.2.
    await assert.rejects(
      http.get(`https://127.0.0.1:${server.addr.port}/echo`, {
        extensions: { sniHostname: "wrong.example" },
      }),
      httpx.ConnectError,
    );
  } finally {
    await server.shutdown();
  }
});
