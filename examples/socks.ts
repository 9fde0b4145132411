/**
 * SOCKS5 proxies: `socks5://` resolves the host name here and sends the
 * address to the proxy; `socks5h://` sends the name and lets the proxy
 * resolve it. Credentials in the URL use username/password authentication
 * (RFC 1929). `http://` and `https://` targets both work (TLS runs with
 * the origin through the proxy). Refusals raise `ProxyError`.
 *
 * Set `HTTPX_EXAMPLE_SOCKS` (e.g. `socks5://user:pass@127.0.0.1:1080`) to use a real
 * proxy; otherwise the example starts a tiny SOCKS5 server of its own (at
 * the end of this file) that wants `user:secret`.
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

/** Send requests through a SOCKS5 proxy. */
export async function main(baseUrl: string): Promise<void> {
  const via = exampleProxy("HTTPX_EXAMPLE_SOCKS", "socks5", toySocks);
  const proxyUrl = new httpx.URL(via.url);
  // The embedded server listens on 127.0.0.1; call it "localhost" to see
  // who resolves the name.
  const target = baseUrl.replace("//127.0.0.1:", "//localhost:");
  try {
    for (const scheme of ["socks5", "socks5h"]) {
      const proxy = proxyUrl.copyWith({ scheme });
      await using client = new httpx.Client({ proxy });
      const r = await client.get(`${target}/get`, { params: { via: scheme } });
      console.log(
        `${scheme}:// ->`,
        r.statusCode,
        r.json<{ args: unknown }>().args,
      );
    }

    // Wrong credentials: the proxy refuses, a ProxyError.
    try {
      const wrong = proxyUrl.copyWith({ password: "wrong" });
      await httpx.get(`${target}/get`, { proxy: wrong });
    } catch (error) {
      if (!(error instanceof httpx.ProxyError)) throw error;
      console.log(`wrong password -> ${error.name}: ${error.message}`);
    }

    // A destination the proxy cannot reach: its reply code, as a ProxyError.
    try {
      await httpx.get("http://127.0.0.1:9/", { proxy: proxyUrl });
    } catch (error) {
      if (!(error instanceof httpx.ProxyError)) throw error;
      console.log(`unreachable -> ${error.name}: ${error.message}`);
    }

    // The handshake counts against the connect timeout.
    const timeout = new httpx.Timeout(5, { connect: 2 });
    const r = await httpx.get(`${target}/get`, { proxy: proxyUrl, timeout });
    console.log("with a 2 s connect timeout ->", r.statusCode);
  } finally {
    await via.close("the toy SOCKS server was asked for:");
  }
}

// ---------------------------------------------------------------------------
// A toy SOCKS5 server (CONNECT only, username/password required) on the toy
// server of _proxy_servers.ts, just enough for this example to run offline.
// Not for real use.

function toySocks(auth: ToyAuth): ToyHandler {
  return async (client, { seen, dial, relay }) => {
    const reader = new Reader(client);
    const [, count] = await reader.take(2);
    const methods = await reader.take(count);
    if (!methods.includes(0x02)) {
      await client.write(Uint8Array.of(5, 0xff));
      return;
    }
    await client.write(Uint8Array.of(5, 0x02));
    const [, userLength] = await reader.take(2);
    const user = new TextDecoder().decode(await reader.take(userLength));
    const [passLength] = await reader.take(1);
    const pass = new TextDecoder().decode(await reader.take(passLength));
    const ok = user === auth.user && pass === auth.pass;
    await client.write(Uint8Array.of(1, ok ? 0 : 1));
    if (!ok) return;
    const [, , , type] = await reader.take(4);
    let host: string;
    if (type === 1) host = (await reader.take(4)).join(".");
    else if (type === 3) {
      const [length] = await reader.take(1);
      host = new TextDecoder().decode(await reader.take(length));
    } else {
      await client.write(Uint8Array.of(5, 8, 0, 1, 0, 0, 0, 0, 0, 0));
      return;
    }
    const [high, low] = await reader.take(2);
    const port = (high << 8) | low;
    seen.push(`CONNECT ${type === 1 ? "address" : "name"} ${host}`);
    let upstream: Deno.Conn;
    try {
      upstream = await dial(host, port);
    } catch {
      await client.write(Uint8Array.of(5, 5, 0, 1, 0, 0, 0, 0, 0, 0));
      return;
    }
    await client.write(Uint8Array.of(5, 0, 0, 1, 127, 0, 0, 1, 0, 0));
    await relay(upstream);
  };
}

/** Reads exact byte counts from a connection. */
class Reader {
  #conn: Deno.Conn;
  #data = new Uint8Array(0);

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  async take(n: number): Promise<Uint8Array> {
    while (this.#data.length < n) {
      const buffer = new Uint8Array(4096);
      const read = await this.#conn.read(buffer);
      if (read === null) throw new Error("closed during the handshake");
      const joined = new Uint8Array(this.#data.length + read);
      joined.set(this.#data);
      joined.set(buffer.subarray(0, read), this.#data.length);
      this.#data = joined;
    }
    const out = this.#data.slice(0, n);
    this.#data = this.#data.subarray(n);
    return out;
  }
}

if (import.meta.main) await runExample(main);
