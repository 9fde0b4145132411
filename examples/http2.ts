/**
 * HTTP/2: opt in with `http2: true`; the protocol is agreed during the TLS
 * handshake (ALPN), and `httpVersion` says which one was used. Many
 * requests share one HTTP/2 connection at the same time.
 *
 * Seeds: 001 "HTTP2 support", 002 "HTTP/2 ✅".
 *
 * With an `https://` base URL the example talks to it directly; with the
 * embedded (plain HTTP) server it starts a local TLS server with the test
 * certificates of `tests/testdata/tls/`.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { httpbinApp } from "./_server.ts";
import { runExample } from "./_main.ts";

const TLS_DIR = new URL("../tests/testdata/tls/", import.meta.url);

/** Compare HTTP/1.1 and HTTP/2 against an https server. */
async function tour(
  httpsUrl: string,
  verify: httpx.VerifyTypes,
): Promise<void> {
  // client = httpx.Client(http2=True)
  {
    await using client = new httpx.Client({ http2: true, verify });
    const r = await client.get(`${httpsUrl}/get`);
    console.log("http2: true  ->", r.httpVersion, r.statusCode);

    // Concurrent requests are multiplexed over the one connection.
    const responses = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => client.get(`${httpsUrl}/anything/${i}`),
      ),
    );
    console.log(
      "10 at once   ->",
      [...new Set(responses.map((r) => r.httpVersion))],
      responses.every((r) => r.statusCode === 200),
    );

    // Bodies, streaming and headers work as with HTTP/1.1.
    const posted = await client.post(`${httpsUrl}/post`, {
      json: { h2: true },
    });
    console.log("POST json    ->", posted.json<{ json: unknown }>().json);
    await using streamed = await client.stream("GET", `${httpsUrl}/stream/3`);
    let lines = 0;
    for await (const _ of streamed.iterLines()) lines++;
    console.log("stream lines ->", lines, streamed.httpVersion);
  }

  // The default is HTTP/1.1 only.
  {
    await using client = new httpx.Client({ verify });
    const r = await client.get(`${httpsUrl}/get`);
    console.log("default      ->", r.httpVersion);
  }

  // HTTP/2 only: http1: false.
  {
    await using client = new httpx.Client({
      http1: false,
      http2: true,
      verify,
    });
    const r = await client.get(`${httpsUrl}/get`);
    console.log("http1: false ->", r.httpVersion);
  }
}

/** Run the tour against `baseUrl` if it is https, else a local TLS server. */
export async function main(baseUrl: string): Promise<void> {
  if (baseUrl.startsWith("https://")) {
    await tour(baseUrl, true);
    return;
  }
  const [cert, key, ca] = await Promise.all(
    ["server.pem", "server-key.pem", "ca.pem"].map((name) =>
      Deno.readTextFile(new URL(name, TLS_DIR))
    ),
  );
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert, key, onListen() {} },
    (request, info) => httpbinApp(request, info),
  );
  try {
    // The test CA signed a certificate for localhost and 127.0.0.1.
    await tour(`https://localhost:${server.addr.port}`, { caCerts: [ca] });
  } finally {
    await server.shutdown();
  }
}

if (import.meta.main) await runExample(main);
