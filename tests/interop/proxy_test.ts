/**
 * Proxies against real servers: squid as a forward proxy and for CONNECT
 * tunnels (open, and with Basic proxy auth), microsocks as a SOCKS5 proxy
 * (open, and with username/password), reaching httpbin and nginx (TLS,
 * HTTP/2 inside the tunnel). Needs `bash scripts/interop_servers.sh start`
 * and `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import { HTTPBIN_URL, INTEROP, NGINX_TLS_URL, testCa } from "./_env.ts";

const ignore = !INTEROP;

function env(name: string, fallback: string): string {
  return Deno.env.get(name) ?? fallback;
}
const SQUID_URL = env("SQUID_URL", "http://127.0.0.1:13128");
const SQUID_AUTH_URL = env(
  "SQUID_AUTH_URL",
  "http://user:pass@127.0.0.1:13129",
);
const SOCKS_URL = env("SOCKS_URL", "socks5://127.0.0.1:11080");
const SOCKS_AUTH_URL = env(
  "SOCKS_AUTH_URL",
  "socks5://user:pass@127.0.0.1:11081",
);

/** The URL without its userinfo. */
function bare(url: string): string {
  const parsed = new httpx.URL(url);
  return parsed.copyWith({ username: "", password: "" }).toString();
}

/** A trace hook counting connections opened to a proxy. */
function counter(): {
  readonly tcp: number;
  readonly socks: number;
  readonly events: string[];
  extensions: httpx.RequestExtensions;
} {
  const events: string[] = [];
  return {
    get tcp() {
      return events.filter((e) => e === "connection.connect_tcp.started")
        .length;
    },
    get socks() {
      return events.filter((e) => e === "socks.connect_tcp.started").length;
    },
    events,
    extensions: { trace: (event: string) => void events.push(event) },
  };
}

function client(
  proxy: string | httpx.Proxy,
  options: httpx.ClientOptions = {},
): httpx.Client {
  return new httpx.Client({
    proxy,
    verify: { caCerts: [testCa()] },
    trustEnv: false,
    timeout: 10,
    ...options,
  });
}

Deno.test({
  name: "squid: forwarding http:// requests, one pooled proxy connection",
  ignore,
  async fn() {
    await using http = client(SQUID_URL);
    const seen = counter();
    for (let i = 0; i < 3; i++) {
      const response = await http.get(`${HTTPBIN_URL}/get?i=${i}`, {
        extensions: seen.extensions,
      });
      assert.equal(response.statusCode, 200);
      assert.match(response.headers.get("via") ?? "", /squid/);
      const body = response.json<{ args: Record<string, string> }>();
      assert.deepEqual(body.args, { i: String(i) });
    }
    assert.equal(seen.tcp, 1);
    const posted = await http.post(`${HTTPBIN_URL}/post`, { json: { a: 1 } });
    assert.deepEqual(posted.json<{ json: unknown }>().json, { a: 1 });
  },
});

Deno.test({
  name: "squid: CONNECT tunnel to nginx over TLS, HTTP/1.1 and HTTP/2",
  ignore,
  async fn() {
    for (const http2 of [false, true]) {
      await using http = client(SQUID_URL, { http2 });
      const seen = counter();
      const first = await http.get(`${NGINX_TLS_URL}/small.txt`, {
        extensions: seen.extensions,
      });
      assert.equal(first.text, "Hello, world!");
      assert.equal(first.httpVersion, http2 ? "HTTP/2" : "HTTP/1.1");
      // Through the tunnel there is no Via: the proxy never sees the request.
      assert.equal(first.headers.get("via"), undefined);
      const second = await http.get(`${NGINX_TLS_URL}/small.txt`, {
        extensions: seen.extensions,
      });
      assert.equal(second.text, "Hello, world!");
      assert.equal(seen.tcp, 1, "one tunnel per origin, reused");
      assert.ok(seen.events.includes("proxy.start_tls.complete"));
    }
  },
});

Deno.test({
  name: "squid with Basic auth: credentials from the URL or Proxy({ auth })",
  ignore,
  async fn() {
    const proxies = [
      SQUID_AUTH_URL,
      new httpx.Proxy(bare(SQUID_AUTH_URL), { auth: ["user", "pass"] }),
    ];
    for (const proxy of proxies) {
      await using http = client(proxy);
      const forwarded = await http.get(`${HTTPBIN_URL}/headers`);
      assert.equal(forwarded.statusCode, 200);
      // The proxy consumes Proxy-Authorization; the origin never sees it.
      const headers = forwarded.json<{ headers: Record<string, string> }>()
        .headers;
      assert.equal(
        Object.keys(headers).some((k) =>
          k.toLowerCase() === "proxy-authorization"
        ),
        false,
      );
      const tunnelled = await http.get(`${NGINX_TLS_URL}/small.txt`);
      assert.equal(tunnelled.text, "Hello, world!");
    }
  },
});

Deno.test({
  name:
    "squid with Basic auth: missing or wrong credentials raise ProxyError (407)",
  ignore,
  async fn() {
    const wrong = new httpx.URL(SQUID_AUTH_URL).copyWith({ password: "wrong" });
    for (const proxy of [bare(SQUID_AUTH_URL), wrong.toString()]) {
      await using http = client(proxy);
      for (const url of [`${HTTPBIN_URL}/get`, `${NGINX_TLS_URL}/small.txt`]) {
        await assert.rejects(http.get(url), (error: unknown) => {
          assert.ok(error instanceof httpx.ProxyError, String(error));
          assert.equal(error.message, "407 Proxy Authentication Required");
          return true;
        });
      }
    }
  },
});

Deno.test({
  name:
    "microsocks: socks5:// (local DNS) and socks5h:// (proxy DNS), plain and TLS",
  ignore,
  async fn() {
    const proxyUrl = new httpx.URL(SOCKS_URL);
    const hostPort = `${proxyUrl.host}:${proxyUrl.port}`;
    for (const scheme of ["socks5", "socks5h"]) {
      for (const http2 of [false, true]) {
        await using http = client(`${scheme}://${hostPort}`, { http2 });
        const seen = counter();
        const plain = await http.get(`${HTTPBIN_URL}/get`, {
          extensions: seen.extensions,
        });
        assert.equal(plain.statusCode, 200);
        // "localhost" is resolved here for socks5://, by the proxy for socks5h://.
        const tls = await http.get(`${NGINX_TLS_URL}/small.txt`, {
          extensions: seen.extensions,
        });
        assert.equal(tls.text, "Hello, world!");
        assert.equal(tls.httpVersion, http2 ? "HTTP/2" : "HTTP/1.1");
        await http.get(`${NGINX_TLS_URL}/small.txt`, {
          extensions: seen.extensions,
        });
        assert.equal(seen.socks, 2, "one SOCKS connection per origin, reused");
        assert.ok(
          seen.events.includes("socks.setup_socks5_connection.complete"),
        );
        assert.ok(seen.events.includes("socks.start_tls.complete"));
      }
    }
  },
});

Deno.test({
  name: "microsocks with username/password",
  ignore,
  async fn() {
    await using http = client(SOCKS_AUTH_URL);
    const response = await http.get(`${HTTPBIN_URL}/get`);
    assert.equal(response.statusCode, 200);
    const tls = await http.get(`${NGINX_TLS_URL}/small.txt`);
    assert.equal(tls.text, "Hello, world!");

    await using anonymous = client(bare(SOCKS_AUTH_URL));
    await assert.rejects(
      anonymous.get(`${HTTPBIN_URL}/get`),
      (error: unknown) =>
        error instanceof httpx.ProxyError &&
        /^Requested NO AUTHENTICATION REQUIRED from the proxy server, but got (USERNAME\/PASSWORD|NO ACCEPTABLE METHODS)/
          .test(error.message),
    );
    const wrong = new httpx.URL(SOCKS_AUTH_URL).copyWith({ password: "nope" });
    await using badAuth = client(wrong.toString());
    await assert.rejects(
      badAuth.get(`${HTTPBIN_URL}/get`),
      (error: unknown) =>
        error instanceof httpx.ProxyError &&
        error.message === "Invalid username/password",
    );
  },
});

Deno.test({
  name: "microsocks: a refused destination maps the reply to ProxyError",
  ignore,
  async fn() {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    await using http = client(SOCKS_URL);
    await assert.rejects(
      http.get(`http://127.0.0.1:${port}/`),
      (error: unknown) =>
        error instanceof httpx.ProxyError &&
        /^Proxy server could not connect: /.test(error.message),
    );
  },
});

/** Run a client in a child process with `env` and the given permissions. */
async function childGet(
  url: string,
  env: Record<string, string>,
  flags: string[],
): Promise<string> {
  const mod = new globalThis.URL("../../mod.ts", import.meta.url).href;
  const code = `
    import * as httpx from ${JSON.stringify(mod)};
    await using client = new httpx.Client({ timeout: 10 });
    const response = await client.get(${JSON.stringify(url)});
    console.log(JSON.stringify({ status: response.statusCode, via: response.headers.get("via") ?? null }));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", ...flags, "-"],
    env: { ...env, PATH: Deno.env.get("PATH") ?? "", NO_COLOR: "1" },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const output = await child.output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test({
  name: "trustEnv: HTTP_PROXY and NO_PROXY route real requests",
  ignore,
  async fn() {
    const url = `${HTTPBIN_URL}/get`;
    const net = "--allow-net";
    const viaSquid = JSON.parse(
      await childGet(url, { HTTP_PROXY: SQUID_URL }, [net, "--allow-env"]),
    );
    assert.equal(viaSquid.status, 200);
    assert.match(viaSquid.via, /squid/);
    const host = new httpx.URL(HTTPBIN_URL).host;
    const direct = JSON.parse(
      await childGet(
        url,
        { HTTP_PROXY: SQUID_URL, NO_PROXY: `localhost,${host}` },
        [net, "--allow-env"],
      ),
    );
    assert.deepEqual(direct, { status: 200, via: null });
    // Without env permission the variables are simply not used.
    const noEnv = JSON.parse(
      await childGet(url, { HTTP_PROXY: SQUID_URL }, [net]),
    );
    assert.deepEqual(noEnv, { status: 200, via: null });
  },
});
