/**
 * HTTP proxies: `proxy` on a request or a client, credentials in the proxy
 * URL or in `Proxy({ auth })`, proxy-only headers, per-scheme routing with
 * `mounts`, and the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`,
 * `NO_PROXY`) with `trustEnv`.
 *
 * `http://` URLs are forwarded (the proxy gets `GET http://host/path`);
 * `https://` URLs go through a `CONNECT host:443` tunnel, with TLS to the
 * origin inside it, so the proxy never sees the request.
 *
 * Set `HTTPX_EXAMPLE_PROXY` (e.g. `http://user:pass@127.0.0.1:3128`) to use a real
 * proxy; otherwise the example starts a tiny proxy of its own (at the end
 * of this file) that needs the credentials `user:secret`.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";
import {
  exampleProxy,
  type ToyAuth,
  type ToyHandler,
} from "./_proxy_servers.ts";

/** Send requests through an HTTP proxy. */
export async function main(baseUrl: string): Promise<void> {
  const via = exampleProxy("HTTPX_EXAMPLE_PROXY", "http", toyProxy);
  const proxyUrl = via.url;
  try {
    // httpx.get(url, proxy="http://user:secret@127.0.0.1:3128")
    const r = await httpx.get(`${baseUrl}/get`, { proxy: proxyUrl });
    console.log("proxy URL ->", r.statusCode, r.json<{ url: string }>().url);

    // The same with a Proxy object: credentials and headers for the proxy
    // only. They are sent to the proxy and never to the origin.
    const bare = new httpx.URL(proxyUrl).copyWith({
      username: "",
      password: "",
    });
    const url = new httpx.URL(proxyUrl);
    const proxy = new httpx.Proxy(bare, {
      auth: [url.username, url.password],
      headers: { "X-Proxy-Client": "httpx-example" },
    });
    console.log(String(proxy));
    {
      await using client = new httpx.Client({ proxy });
      const seen = await client.get(`${baseUrl}/headers`);
      const headers = seen.json<{ headers: Record<string, string> }>().headers;
      console.log(
        "origin saw Proxy-Authorization:",
        Object.keys(headers).some((k) =>
          k.toLowerCase() === "proxy-authorization"
        ),
      );
      // The connection to the proxy is pooled like any other.
      const again = await client.get(`${baseUrl}/get`);
      console.log("second request ->", again.statusCode);
    }

    // A proxy that wants credentials answers 407: a ProxyError.
    try {
      await httpx.get(`${baseUrl}/get`, { proxy: bare });
    } catch (error) {
      if (!(error instanceof httpx.ProxyError)) throw error;
      console.log(`no credentials -> ${error.name}: ${error.message}`);
    }

    // Route by URL pattern: plain http through the proxy, one host direct.
    {
      await using client = new httpx.Client({
        mounts: {
          "http://": new httpx.HTTPTransport({ proxy: proxyUrl }),
          "all://no-proxy.example": null,
        },
      });
      const r = await client.get(`${baseUrl}/get`);
      console.log("mounted http:// ->", r.statusCode);
    }

    // With trustEnv (the default), a client without `proxy` reads
    // HTTP_PROXY / HTTPS_PROXY / ALL_PROXY and NO_PROXY — where Deno's
    // --allow-env grants them; without the permission they are ignored.
    // trustEnv: false ignores them.
    {
      await using client = new httpx.Client({ trustEnv: false });
      console.log("trustEnv:", client.trustEnv);
    }
  } finally {
    await via.close(
      "the toy proxy saw (the first request of each connection):",
    );
  }
}

// ---------------------------------------------------------------------------
// A toy forward proxy (absolute-form requests and CONNECT, Basic auth) on
// the toy server of _proxy_servers.ts, just enough for this example to run
// offline. Not for real use.

function toyProxy(auth: ToyAuth): ToyHandler {
  const expected = `Basic ${btoa(`${auth.user}:${auth.pass}`)}`;
  return async (client, { seen, dial, relay }) => {
    const { head, rest } = await readHead(client);
    const [requestLine, ...lines] = head.split("\r\n");
    const [method, target] = requestLine.split(" ");
    seen.push(requestLine);
    const authorization = lines.find((l) =>
      l.toLowerCase().startsWith("proxy-authorization:")
    )?.slice(20).trim();
    if (authorization !== expected) {
      await write(
        client,
        "HTTP/1.1 407 Proxy Authentication Required\r\n" +
          'Proxy-Authenticate: Basic realm="toy"\r\nContent-Length: 0\r\n' +
          "Connection: close\r\n\r\n",
      );
      return;
    }
    const kept = lines.filter((l) =>
      !l.toLowerCase().startsWith("proxy-authorization:")
    );
    let upstream: Deno.Conn;
    if (method === "CONNECT") {
      const [host, port] = target.split(":");
      upstream = await dial(host, Number(port));
      await write(client, "HTTP/1.1 200 Connection established\r\n\r\n");
    } else {
      const url = new URL(target);
      upstream = await dial(url.hostname, Number(url.port || 80));
      const origin = `${method} ${url.pathname}${url.search} HTTP/1.1`;
      await write(upstream, [origin, ...kept].join("\r\n") + "\r\n\r\n");
    }
    await upstream.write(rest);
    await relay(upstream);
  };
}

async function readHead(
  conn: Deno.Conn,
): Promise<{ head: string; rest: Uint8Array }> {
  let data = new Uint8Array(0);
  const buffer = new Uint8Array(16384);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("closed before the request head");
    const joined = new Uint8Array(data.length + n);
    joined.set(data);
    joined.set(buffer.subarray(0, n), data.length);
    data = joined;
    const text = new TextDecoder("latin1").decode(data);
    const end = text.indexOf("\r\n\r\n");
    if (end >= 0) {
      return { head: text.slice(0, end), rest: data.subarray(end + 4) };
    }
  }
}

async function write(conn: Deno.Conn, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  for (let offset = 0; offset < bytes.length;) {
    offset += await conn.write(bytes.subarray(offset));
  }
}

if (import.meta.main) await runExample(main);
