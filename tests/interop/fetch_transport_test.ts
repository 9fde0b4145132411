/**
 * `FetchTransport` (through `Client`) against real servers: httpbin, nginx
 * (plain and TLS/HTTP/2), apache2's digest auth, nghttpd, squid and
 * microsocks as proxies, and `Deno.serve` (plain and TLS with the test CA).
 * Our client stays in charge of redirects, cookies and auth; `fetch` only
 * carries each single exchange. Needs `bash scripts/interop_servers.sh start`
 * and `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  APACHE_URL,
  HTTPBIN_URL,
  NGHTTPD_URL,
  NGINX_TLS_URL,
  NGINX_URL,
  sha256Hex,
  STATE_DIR,
  testCa,
} from "./_env.ts";

const ignore = !Deno.env.get("HTTPX_INTEROP");
const WWW = `${STATE_DIR}/www`;
const SQUID_URL = (Deno.env.get("SQUID_URL") ?? "http://127.0.0.1:13128")
  .replace(/\/$/, "");
const SQUID_AUTH_URL = Deno.env.get("SQUID_AUTH_URL") ??
  "http://user:pass@127.0.0.1:13129";
const SOCKS_URL = Deno.env.get("SOCKS_URL") ?? "socks5://127.0.0.1:11080";
const TLS_DIR = new URL("../testdata/tls/", import.meta.url);

type Echo = {
  args: Record<string, string | string[]>;
  data: string;
  files: Record<string, string>;
  form: Record<string, string | string[]>;
  headers: Record<string, string>;
  json: unknown;
  method: string;
  url: string;
};

/** A client whose only transport is a `FetchTransport`. */
function fetchClient(
  transport: httpx.FetchTransportOptions = {},
  options: httpx.ClientOptions = {},
): httpx.Client {
  return new httpx.Client({
    transport: new httpx.FetchTransport({ trustEnv: false, ...transport }),
    trustEnv: false,
    ...options,
  });
}

function httpbin(options: httpx.ClientOptions = {}): httpx.Client {
  return fetchClient({}, { baseUrl: HTTPBIN_URL, ...options });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Each earlier response's `Location` leads to the next one's URL. */
function assertChain(response: httpx.Response): void {
  const hops = [...response.history, response];
  for (let i = 0; i + 1 < hops.length; i++) {
    const location = hops[i].headers.get("location");
    assert.ok(location !== undefined, `hop ${i} has a Location`);
    assert.equal(
      hops[i + 1].url.toString(),
      hops[i].url.join(location).toString(),
      `hop ${i} leads to hop ${i + 1}`,
    );
  }
}

Deno.test({
  name: "fetch interop httpbin: methods, params, headers and bodies echo back",
  ignore,
  async fn() {
    await using http = httpbin({ params: { client: "yes" } });
    const get = await http.get("/get", {
      params: { tag: ["a", "b"], q: "ü x" },
      headers: { "X-Custom": "one", "X-Other": "two" },
    });
    assert.equal(get.statusCode, 200);
    // Our own Deno.HttpClient allows HTTP/1.1 only: the version is known.
    assert.equal(get.httpVersion, "HTTP/1.1");
    assert.equal(get.reasonPhrase, "OK");
    const echoed = get.json<Echo>();
    assert.deepEqual(echoed.args, { client: "yes", tag: ["a", "b"], q: "ü x" });
    assert.equal(echoed.headers["X-Custom"], "one");
    assert.equal(echoed.headers["X-Other"], "two");
    assert.match(echoed.headers["User-Agent"], /^x-httpx\/\d/);
    assert.equal(echoed.headers["Host"], new URL(HTTPBIN_URL).host);
    // fetch gives header names lower-cased.
    assert.equal(get.headers.get("Content-Type"), "application/json");
    assert.ok([...get.headers.keys()].every((k) => k === k.toLowerCase()));

    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const response = await http.request(method, "/anything", {
        content: `body of ${method}`,
      });
      const echo = response.json<Echo>();
      assert.equal(echo.method, method);
      assert.equal(echo.data, `body of ${method}`);
      assert.equal(
        echo.headers["Content-Length"],
        String(`body of ${method}`.length),
      );
    }

    const head = await http.head("/get");
    assert.equal(head.statusCode, 200);
    assert.equal(head.content.length, 0);
    assert.ok(Number(head.headers.get("content-length")) > 0);
  },
});

Deno.test({
  name: "fetch interop httpbin: JSON, urlencoded form and multipart bodies",
  ignore,
  async fn() {
    await using http = httpbin();
    const json = await http.post("/post", {
      json: { a: [1, 2, { b: null }], s: "é" },
    });
    assert.deepEqual(json.json<Echo>().json, {
      a: [1, 2, { b: null }],
      s: "é",
    });
    assert.equal(json.json<Echo>().headers["Content-Type"], "application/json");

    const form = await http.post("/post", {
      data: { name: "wörld", tags: ["a", "b"], n: 1 },
    });
    assert.deepEqual(form.json<Echo>().form, {
      name: "wörld",
      tags: ["a", "b"],
      n: "1",
    });
    assert.equal(
      form.json<Echo>().headers["Content-Type"],
      "application/x-www-form-urlencoded",
    );

    const multipart = await http.post("/post", {
      data: { field: "value" },
      files: {
        upload: ["report.txt", new TextEncoder().encode("file body\n")],
        blob: ["b.bin", new Blob([new Uint8Array([0x61, 0x62])])],
        plain: "a string file",
      },
    });
    const echo = multipart.json<Echo>();
    assert.deepEqual(echo.form, { field: "value" });
    assert.deepEqual(echo.files, {
      upload: "file body\n",
      blob: "ab",
      plain: "a string file",
    });
    assert.match(
      echo.headers["Content-Type"],
      /^multipart\/form-data; boundary=[0-9a-f]{32}$/,
    );
  },
});

Deno.test({
  name: "fetch interop httpbin: bodies not in memory stream up chunked",
  ignore,
  async fn() {
    await using http = httpbin();
    const parts = await http.post("/post", {
      content: (async function* () {
        for (let i = 0; i < 5; i++) yield new TextEncoder().encode(`part${i};`);
      })(),
    });
    assert.equal(parts.json<Echo>().headers["Transfer-Encoding"], "chunked");
    assert.equal(parts.json<Echo>().data, "part0;part1;part2;part3;part4;");

    const path = `${WWW}/64k.bin`;
    const expected = await sha256Hex(await Deno.readFile(path));
    const file = await Deno.open(path);
    const uploaded = await http.post("/anything", { content: file.readable });
    const echo = uploaded.json<Echo>();
    assert.equal(echo.headers["Transfer-Encoding"], "chunked");
    const prefix = "data:application/octet-stream;base64,";
    assert.ok(echo.data.startsWith(prefix), echo.data.slice(0, 40));
    const bytes = Uint8Array.from(
      atob(echo.data.slice(prefix.length)),
      (c) => c.charCodeAt(0),
    );
    assert.equal(await sha256Hex(bytes), expected);
  },
});

Deno.test({
  name: "fetch interop httpbin: our client follows redirects and keeps history",
  ignore,
  async fn() {
    // Count the exchanges fetch makes: one per hop, none followed by fetch.
    const seen: { url: string; redirect: string | undefined }[] = [];
    const counting: httpx.FetchFunction = (input, init) => {
      seen.push({ url: String(input), redirect: init?.redirect });
      return fetch(input, init);
    };
    await using http = fetchClient({ fetch: counting }, {
      baseUrl: HTTPBIN_URL,
      followRedirects: true,
    });
    const cases: [string, number][] = [
      ["/redirect/3", 3],
      ["/relative-redirect/2", 2],
      ["/absolute-redirect/2", 2],
    ];
    for (const [path, hops] of cases) {
      seen.length = 0;
      const response = await http.get(path);
      assert.equal(response.statusCode, 200, path);
      assert.equal(response.url.toString(), `${HTTPBIN_URL}/get`, path);
      assert.deepEqual(
        response.history.map((r) => r.statusCode),
        Array(hops).fill(302),
        path,
      );
      assert.equal(response.history[0].url.toString(), `${HTTPBIN_URL}${path}`);
      for (const earlier of response.history) assert.ok(earlier.isRedirect);
      assertChain(response);
      assert.equal(seen.length, hops + 1, path);
      assert.ok(seen.every((s) => s.redirect === "manual"));
      // With a fetch of our own there is no Deno.HttpClient of ours.
      assert.equal(response.httpVersion, "unknown");
    }
  },
});

Deno.test({
  name: "fetch interop httpbin: redirects not followed expose nextRequest",
  ignore,
  async fn() {
    await using http = httpbin({ maxRedirects: 2 });
    const response = await http.get("/redirect/1");
    assert.equal(response.statusCode, 302);
    assert.ok(response.hasRedirectLocation);
    assert.equal(response.nextRequest?.url.toString(), `${HTTPBIN_URL}/get`);
    const next = await http.send(response.nextRequest!);
    assert.equal(next.statusCode, 200);

    await assert.rejects(
      http.get("/redirect/5", { followRedirects: true }),
      httpx.TooManyRedirects,
    );
  },
});

Deno.test({
  name: "fetch interop httpbin: 307/308 replay a POST, 302/303 turn into GET",
  ignore,
  async fn() {
    await using http = httpbin({ followRedirects: true });
    for (const status of [307, 308]) {
      const response = await http.post("/redirect-to", {
        params: { url: "/anything", status_code: status },
        content: `replayed ${status}`,
      });
      const echo = response.json<Echo>();
      assert.equal(echo.method, "POST");
      assert.equal(echo.data, `replayed ${status}`);
      assert.deepEqual(response.history.map((r) => r.statusCode), [status]);
      assert.equal(response.history[0].request.method, "POST");
      assertChain(response);
    }
    for (const status of [302, 303]) {
      const response = await http.post("/redirect-to", {
        params: { url: "/anything", status_code: status },
        data: { dropped: "yes" },
      });
      const echo = response.json<Echo>();
      assert.equal(echo.method, "GET");
      assert.equal(echo.data, "");
      assert.deepEqual(echo.form, {});
      assert.equal(echo.headers["Content-Type"], undefined);
      assert.deepEqual(response.history.map((r) => r.statusCode), [status]);
    }
  },
});

Deno.test({
  name: "fetch interop httpbin: cookies go to the jar and across a redirect",
  ignore,
  async fn() {
    await using http = httpbin();
    const set = await http.get("/cookies/set", { params: { a: "1", b: "2" } });
    assert.equal(set.statusCode, 302);
    assert.equal(set.cookies.get("a"), "1");
    assert.equal(http.cookies.get("a"), "1");
    assert.equal(http.cookies.get("b"), "2");
    const echoed = await http.get("/cookies");
    assert.deepEqual(echoed.json(), { cookies: { a: "1", b: "2" } });

    await http.get("/cookies/delete", { params: { a: "" } });
    assert.equal(http.cookies.get("a"), undefined);
    assert.deepEqual((await http.get("/cookies")).json(), {
      cookies: { b: "2" },
    });

    // Followed in one call: the redirected request already carries it.
    await using fresh = httpbin({ followRedirects: true });
    const followed = await fresh.get("/cookies/set?a=1");
    assert.equal(followed.url.toString(), `${HTTPBIN_URL}/cookies`);
    assert.deepEqual(followed.history.map((r) => r.statusCode), [302]);
    assert.deepEqual(followed.json(), { cookies: { a: "1" } });
    assert.equal(followed.request.headers.get("cookie"), "a=1");
    assert.equal(fresh.cookies.get("a"), "1");
  },
});

Deno.test({
  name: "fetch interop httpbin: Basic auth, right and wrong",
  ignore,
  async fn() {
    await using http = httpbin();
    const ok = await http.get("/basic-auth/user/pass", {
      auth: ["user", "pass"],
    });
    assert.deepEqual(ok.json(), { authenticated: true, user: "user" });
    assert.equal(
      ok.request.headers.get("authorization"),
      `Basic ${btoa("user:pass")}`,
    );

    const wrong = await http.get("/basic-auth/user/pass", {
      auth: new httpx.BasicAuth("user", "x"),
    });
    assert.equal(wrong.statusCode, 401);
    assert.throws(
      () => wrong.raiseForStatus(),
      (error: unknown) => {
        assert.ok(error instanceof httpx.HTTPStatusError);
        assert.equal(error.response, wrong);
        assert.match(error.message, /^Client error '401 /);
        return true;
      },
    );
  },
});

Deno.test({
  name: "fetch interop httpbin: Digest auth with MD5 and SHA-256",
  ignore,
  async fn() {
    await using http = httpbin();
    for (const algorithm of ["MD5", "SHA-256"]) {
      const path = `/digest-auth/auth/user/pass/${algorithm}`;
      const response = await http.get(path, {
        auth: new httpx.DigestAuth("user", "pass"),
      });
      assert.equal(response.statusCode, 200, path);
      assert.deepEqual(response.json(), { authenticated: true, user: "user" });
      assert.deepEqual(response.history.map((r) => r.statusCode), [401], path);
      const sent = response.request.headers.get("authorization") ?? "";
      assert.match(sent, /^Digest /);
      assert.match(sent, new RegExp(`algorithm="?${algorithm}"?`));
    }
    const auth = new httpx.DigestAuth("user", "pass");
    for (let i = 0; i < 2; i++) {
      const again = await http.get("/digest-auth/auth/user/pass/MD5", { auth });
      assert.equal(again.statusCode, 200, `round ${i}`);
    }
    const wrong = await http.get("/digest-auth/auth/user/pass/MD5", {
      auth: new httpx.DigestAuth("user", "nope"),
    });
    assert.equal(wrong.statusCode, 401);
  },
});

Deno.test({
  name: "fetch interop apache2: Digest auth gets the private file",
  ignore,
  async fn() {
    await using http = fetchClient();
    const url = `${APACHE_URL}/private/index.txt`;
    const refused = await http.get(url);
    assert.equal(refused.statusCode, 401);
    assert.match(refused.headers.get("www-authenticate") ?? "", /^Digest /);

    const response = await http.get(url, {
      auth: new httpx.DigestAuth("user", "pass"),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.text, "secret");
    assert.deepEqual(response.history.map((r) => r.statusCode), [401]);
    assert.match(
      response.request.headers.get("authorization") ?? "",
      /uri="\/private\/index\.txt"/,
    );

    const wrong = await http.get(url, {
      auth: new httpx.DigestAuth("user", "wrong"),
    });
    assert.equal(wrong.statusCode, 401);
  },
});

Deno.test({
  name: "fetch interop httpbin: streaming /stream/20, /drip, /stream-bytes",
  ignore,
  async fn() {
    await using http = httpbin();
    {
      await using response = await http.stream("GET", "/stream/20");
      const ids: number[] = [];
      for await (const line of response.iterLines()) {
        ids.push((JSON.parse(line) as { id: number }).id);
      }
      assert.deepEqual(ids, Array.from({ length: 20 }, (_, i) => i));
    }
    {
      await using response = await http.stream("GET", "/drip", {
        params: { numbytes: 5, duration: 0.5, delay: 0 },
      });
      const parts: Uint8Array[] = [];
      for await (const chunk of response.iterBytes()) parts.push(chunk.slice());
      assert.ok(parts.length >= 1);
      assert.equal(new TextDecoder().decode(concat(parts)), "*****");
      assert.equal(response.numBytesDownloaded, 5);
    }
    {
      const params = { seed: 1, chunk_size: 1000 };
      await using response = await http.stream("GET", "/stream-bytes/100000", {
        params,
      });
      const parts: Uint8Array[] = [];
      for await (const chunk of response.iterBytes(4096)) {
        assert.ok(chunk.length <= 4096);
        parts.push(chunk.slice());
      }
      const streamed = concat(parts);
      assert.equal(streamed.length, 100000);
      const whole = await http.get("/stream-bytes/100000", { params });
      assert.deepEqual(whole.content, streamed, "same seed, same bytes");
    }
  },
});

Deno.test({
  name: "fetch interop httpbin: status codes and raiseForStatus",
  ignore,
  async fn() {
    await using http = httpbin();
    for (const status of [200, 201, 204, 301, 404, 418, 500, 503]) {
      const response = await http.get(`/status/${status}`);
      assert.equal(response.statusCode, status);
      if (status >= 400) {
        assert.throws(() => response.raiseForStatus(), httpx.HTTPStatusError);
      } else if (status < 300) {
        assert.equal(response.raiseForStatus(), response);
      } else {
        assert.throws(() => response.raiseForStatus(), httpx.HTTPStatusError);
      }
    }
    // The reason phrase is the runtime's statusText.
    const teapot = await http.get("/status/418");
    assert.match(teapot.reasonPhrase, /teapot/i);
    assert.ok(teapot.isClientError && teapot.isError);
  },
});

Deno.test({
  name: "fetch interop httpbin: a slow head is a ReadTimeout (connect + read)",
  ignore,
  async fn() {
    await using http = httpbin({ timeout: 1 });
    await assert.rejects(http.get("/delay/3"), (error: unknown) => {
      assert.ok(error instanceof httpx.ReadTimeout);
      assert.match(error.message, /response head/);
      return true;
    });
    // The client and transport are still usable afterwards.
    assert.equal((await http.get("/get")).statusCode, 200);

    // With no read timeout, the wait for the head is a ConnectTimeout.
    await assert.rejects(
      http.get("/delay/3", {
        timeout: new httpx.Timeout({ connect: 1, read: null }),
      }),
      httpx.ConnectTimeout,
    );
  },
});

Deno.test({
  name: "fetch interop httpbin: a slow body chunk is a ReadTimeout; total too",
  ignore,
  async fn() {
    await using http = httpbin({
      timeout: new httpx.Timeout(5, { read: 0.5 }),
    });
    // The head and the first byte come at once, then one byte a second.
    await assert.rejects(
      http.get("/drip", { params: { numbytes: 4, duration: 4, delay: 0 } }),
      (error: unknown) => {
        assert.ok(error instanceof httpx.ReadTimeout);
        assert.match(error.message, /response body/);
        return true;
      },
    );
    await assert.rejects(
      http.get("/drip", {
        params: { numbytes: 10, duration: 5, delay: 0 },
        timeout: new httpx.Timeout(5, { total: 1 }),
      }),
      httpx.ReadTimeout,
    );
    assert.equal((await http.get("/get")).statusCode, 200);
  },
});

Deno.test({
  name: "fetch interop httpbin: deflate is ours to decode, gzip/br are fetch's",
  ignore,
  async fn() {
    await using http = httpbin();
    const flags = { gzip: "gzipped", deflate: "deflated", brotli: "brotli" };
    for (const [path, flag] of Object.entries(flags)) {
      const response = await http.get(`/${path}`);
      const coding = path === "brotli" ? "br" : path;
      assert.equal(response.headers.get("content-encoding"), coding);
      assert.equal(response.json<Record<string, unknown>>()[flag], true);
    }

    // Deno's fetch leaves deflate alone: iterRaw gives the wire bytes.
    {
      await using response = await http.stream("GET", "/deflate");
      const raw: Uint8Array[] = [];
      for await (const chunk of response.iterRaw()) raw.push(chunk.slice());
      const decoded = await new Response(
        new Blob([concat(raw) as Uint8Array<ArrayBuffer>]).stream()
          .pipeThrough(new DecompressionStream("deflate")),
      ).json();
      assert.equal(decoded.deflated, true);
    }
    // gzip and br were decoded by fetch: iterRaw raises, as documented.
    for (const path of ["/gzip", "/brotli"]) {
      await using response = await http.stream("GET", path);
      await assert.rejects(async () => {
        for await (const _ of response.iterRaw()) { /* nothing */ }
      }, httpx.StreamError);
    }
  },
});

Deno.test({
  name: "fetch interop nginx: files match the disk, gzip decoded by fetch",
  ignore,
  async fn() {
    await using http = fetchClient({}, { baseUrl: NGINX_URL });
    for (const name of ["small.txt", "64k.bin", "1m.bin"]) {
      const expected = await sha256Hex(await Deno.readFile(`${WWW}/${name}`));
      const response = await http.get(`/${name}`);
      assert.equal(response.statusCode, 200, name);
      assert.equal(await sha256Hex(response.content), expected, name);
      await using streamed = await http.stream("GET", `/${name}`);
      const parts: Uint8Array[] = [];
      for await (const chunk of streamed.iterBytes(10_000)) {
        assert.ok(chunk.length <= 10_000);
        parts.push(chunk.slice());
      }
      assert.equal(await sha256Hex(concat(parts)), expected, name);
    }

    const file = await Deno.readFile(`${WWW}/text.txt`);
    const text = await http.get("/text.txt");
    assert.equal(text.headers.get("content-encoding"), "gzip");
    assert.equal(text.extensions.decodedByFetch, "gzip");
    assert.deepEqual(text.content, file);
    assert.equal(text.text, new TextDecoder().decode(file));

    await using raw = await http.stream("GET", "/text.txt");
    await assert.rejects(async () => {
      for await (const _ of raw.iterRaw()) { /* nothing */ }
    }, (error: unknown) => {
      assert.ok(error instanceof httpx.StreamError);
      assert.match(error.message, /already decoded this 'gzip' body/);
      return true;
    });

    // Streaming decoded bytes works, in pieces of the asked size.
    await using pieces = await http.stream("GET", "/text.txt");
    const parts: Uint8Array[] = [];
    for await (const chunk of pieces.iterBytes(8192)) {
      assert.ok(chunk.length <= 8192);
      parts.push(chunk.slice());
    }
    assert.deepEqual(concat(parts), file);

    // Asked for identity, nginx does not compress and iterRaw works.
    await using plain = await http.stream("GET", "/text.txt", {
      headers: { "Accept-Encoding": "identity" },
    });
    assert.equal(plain.headers.get("content-encoding"), undefined);
    const rawParts: Uint8Array[] = [];
    for await (const chunk of plain.iterRaw()) rawParts.push(chunk.slice());
    assert.deepEqual(concat(rawParts), file);

    const missing = await http.get("/missing.txt");
    assert.equal(missing.statusCode, 404);
    assert.throws(() => missing.raiseForStatus(), httpx.HTTPStatusError);
  },
});

Deno.test({
  name: "fetch interop nginx TLS: the test CA is needed and enough (HTTP/1.1)",
  ignore,
  async fn() {
    {
      await using http = fetchClient();
      await assert.rejects(
        http.get(`${NGINX_TLS_URL}/small.txt`),
        httpx.ConnectError,
      );
    }
    await using http = fetchClient({ verify: { caCerts: [testCa()] } });
    const response = await http.get(`${NGINX_TLS_URL}/small.txt`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.httpVersion, "HTTP/1.1");
    assert.equal(response.text, await Deno.readTextFile(`${WWW}/small.txt`));
  },
});

Deno.test({
  // Regression: with `allowHost: true` a Host header equal to the URL's
  // authority used to be passed on, so over HTTP/2 the request carried both
  // `:authority` and `host` and nginx 1.22 answered 400 ("client sent
  // duplicate host header"). FetchTransport now leaves that Host out.
  name: "fetch interop nginx TLS: HTTP/2 through our Deno.HttpClient",
  ignore,
  async fn() {
    await using http = fetchClient({
      http1: false,
      http2: true,
      verify: { caCerts: [testCa()] },
    });
    const response = await http.get(`${NGINX_TLS_URL}/small.txt`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.httpVersion, "HTTP/2");
    assert.equal(response.text, await Deno.readTextFile(`${WWW}/small.txt`));
  },
});

Deno.test({
  name: "fetch interop nginx TLS: HTTP/2 through a caller's Deno.HttpClient",
  ignore,
  async fn() {
    using httpClient = Deno.createHttpClient({
      http1: false,
      http2: true,
      caCerts: [testCa()],
    });
    {
      await using http = fetchClient({ httpClient }, {
        baseUrl: NGINX_TLS_URL,
      });
      const response = await http.get("/small.txt");
      assert.equal(response.statusCode, 200);
      // Not our own client: the transport does not claim a version.
      assert.equal(response.httpVersion, "unknown");
      assert.equal(response.text, await Deno.readTextFile(`${WWW}/small.txt`));
      const expected = await sha256Hex(await Deno.readFile(`${WWW}/1m.bin`));
      const big = await http.get("/1m.bin");
      assert.equal(await sha256Hex(big.content), expected);
    }
    // The transport left the given client open: it still works.
    const again = await fetch(`${NGINX_TLS_URL}/small.txt`, {
      client: httpClient,
    });
    assert.equal(again.status, 200);
    await again.body?.cancel();
  },
});

Deno.test({
  name: "fetch interop nghttpd: HTTP/2 through our Deno.HttpClient",
  ignore,
  async fn() {
    await using http = fetchClient({
      http1: false,
      http2: true,
      verify: { caCerts: [testCa()] },
    }, { baseUrl: NGHTTPD_URL });
    const expected = await sha256Hex(await Deno.readFile(`${WWW}/64k.bin`));
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => http.get("/64k.bin")),
    );
    for (const response of responses) {
      assert.equal(response.statusCode, 200);
      assert.equal(response.httpVersion, "HTTP/2");
      assert.equal(await sha256Hex(response.content), expected);
    }
    const missing = await http.get("/missing.txt");
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.httpVersion, "HTTP/2");
  },
});

Deno.test({
  name: "fetch interop squid: forward http:// through the proxy option",
  ignore,
  async fn() {
    for (
      const proxy of [SQUID_URL, new httpx.Proxy(SQUID_URL)] as (
        | string
        | httpx.Proxy
      )[]
    ) {
      await using http = fetchClient({ proxy });
      for (let i = 0; i < 2; i++) {
        const response = await http.get(`${HTTPBIN_URL}/get`, {
          params: { i },
        });
        assert.equal(response.statusCode, 200);
        assert.match(response.headers.get("via") ?? "", /squid/);
        assert.equal(
          response.json<Echo>().url,
          `${HTTPBIN_URL}/get?i=${i}`,
        );
      }
    }
  },
});

Deno.test({
  name: "fetch interop squid: proxy Basic auth from the URL, right and wrong",
  ignore,
  async fn() {
    {
      await using http = fetchClient({ proxy: SQUID_AUTH_URL });
      const response = await http.get(`${HTTPBIN_URL}/get`);
      assert.equal(response.statusCode, 200);
      assert.match(response.headers.get("via") ?? "", /squid/);
    }
    const wrong = new httpx.URL(SQUID_AUTH_URL).copyWith({ password: "bad" });
    await using http = fetchClient({ proxy: wrong });
    const refused = await http.get(`${HTTPBIN_URL}/get`);
    assert.equal(refused.statusCode, 407);
  },
});

Deno.test({
  name: "fetch interop squid and socks: https through a tunnel, socks5",
  ignore,
  async fn() {
    {
      await using http = fetchClient({
        proxy: SQUID_URL,
        verify: { caCerts: [testCa()] },
      });
      const response = await http.get(`${NGINX_TLS_URL}/small.txt`);
      assert.equal(response.statusCode, 200);
      assert.equal(response.text, await Deno.readTextFile(`${WWW}/small.txt`));
    }
    await using http = fetchClient({ proxy: SOCKS_URL });
    const response = await http.get(`${HTTPBIN_URL}/get`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.json<Echo>().url, `${HTTPBIN_URL}/get`);
  },
});

Deno.test({
  name: "fetch interop httpbin: concurrent requests with pool limits",
  ignore,
  async fn() {
    await using http = fetchClient({
      limits: new httpx.Limits({
        maxKeepaliveConnections: 2,
        keepaliveExpiry: 5,
      }),
    }, { baseUrl: HTTPBIN_URL });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => http.get("/get", { params: { i } })),
    );
    responses.forEach((response, i) => {
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json<Echo>().args, { i: String(i) });
    });
  },
});

/** A `Deno.serve` echo server, plain or with the test CA's certificate. */
async function withServer(
  tls: boolean,
  body: (url: string) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen() {},
    ...(tls
      ? {
        cert: Deno.readTextFileSync(new URL("server.pem", TLS_DIR)),
        key: Deno.readTextFileSync(new URL("server-key.pem", TLS_DIR)),
      }
      : {}),
  }, async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/redirect") {
      return new Response(null, {
        status: 302,
        headers: { location: "/echo?from=redirect" },
      });
    }
    return Response.json({
      method: request.method,
      path: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });
  });
  const url = `${
    tls ? "https://localhost" : "http://127.0.0.1"
  }:${server.addr.port}`;
  try {
    await body(url);
  } finally {
    controller.abort();
    await server.finished;
  }
}

type ServeEcho = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
};

Deno.test({
  name: "fetch interop Deno.serve: plain HTTP/1.1 and TLS with the test CA",
  ignore,
  async fn() {
    await withServer(false, async (url) => {
      await using http = fetchClient({}, { followRedirects: true });
      const response = await http.post(`${url}/redirect`, {
        content: "dropped on 302",
      });
      assert.equal(response.httpVersion, "HTTP/1.1");
      assert.deepEqual(response.history.map((r) => r.statusCode), [302]);
      const echo = response.json<ServeEcho>();
      assert.equal(echo.method, "GET");
      assert.equal(echo.path, "/echo?from=redirect");
      assert.equal(echo.body, "");
    });
    await withServer(true, async (url) => {
      for (const http2 of [false, true]) {
        await using http = fetchClient({
          http1: !http2,
          http2,
          verify: { caCerts: [testCa()] },
        });
        const response = await http.post(`${url}/echo`, {
          json: { http2 },
          headers: { "X-Test": "tls" },
        });
        assert.equal(response.statusCode, 200);
        assert.equal(response.httpVersion, http2 ? "HTTP/2" : "HTTP/1.1");
        const echo = response.json<ServeEcho>();
        assert.equal(echo.method, "POST");
        assert.equal(echo.body, JSON.stringify({ http2 }));
        assert.equal(echo.headers["x-test"], "tls");
      }
      // Without the CA, the server's certificate is refused.
      await using untrusted = fetchClient();
      await assert.rejects(untrusted.get(`${url}/echo`), httpx.ConnectError);
    });
  },
});
