/**
 * Our `HTTPTransport` (through `Client`) against a real httpbin under
 * gunicorn. Needs `bash scripts/interop_servers.sh start` and
 * `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  connectCounter,
  HTTPBIN_URL,
  INTEROP,
  sha256Hex,
  STATE_DIR,
} from "./_env.ts";

const ignore = !INTEROP;

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

function client(options: httpx.ClientOptions = {}): httpx.Client {
  return new httpx.Client({
    baseUrl: HTTPBIN_URL,
    transport: new httpx.HTTPTransport(),
    ...options,
  });
}

Deno.test({
  name: "httpbin: GET, POST, PUT, PATCH, DELETE echo the method and body",
  ignore,
  async fn() {
    await using http = client();
    const get = await http.get("/get");
    assert.equal(get.statusCode, 200);
    assert.equal(get.httpVersion, "HTTP/1.1");
    assert.equal(get.reasonPhrase, "OK");
    assert.equal(get.json<Echo>().url, `${HTTPBIN_URL}/get`);
    assert.match(get.json<Echo>().headers["User-Agent"], /^x-httpx\/\d/);

    for (const method of ["POST", "PUT", "PATCH"] as const) {
      const response = await http.request(method, `/${method.toLowerCase()}`, {
        content: `body of ${method}`,
      });
      const echo = response.json<Echo>();
      assert.equal(echo.data, `body of ${method}`);
      assert.equal(
        echo.headers["Content-Length"],
        String(`body of ${method}`.length),
      );
    }
    const deleted = await http.delete("/delete");
    assert.equal(deleted.statusCode, 200);
    const anything = await http.request("DELETE", "/anything", {
      content: "delete with a body",
    });
    assert.equal(anything.json<Echo>().method, "DELETE");
    assert.equal(anything.json<Echo>().data, "delete with a body");

    const head = await http.head("/get");
    assert.equal(head.statusCode, 200);
    assert.equal(head.content.length, 0);
    assert.ok(Number(head.headers.get("content-length")) > 0);
  },
});

Deno.test({
  name: "httpbin: query params with lists, and headers as sent",
  ignore,
  async fn() {
    await using http = client({ params: { client: "yes" } });
    const response = await http.get("/get?inurl=1", {
      params: { a: ["1", "2"], b: "x y", empty: "", flag: true, n: 3 },
      headers: [["X-One", "1"], ["X-Many", "a"], ["X-Many", "b"]],
    });
    const echo = response.json<Echo>();
    assert.deepEqual(echo.args, {
      inurl: "1",
      client: "yes",
      a: ["1", "2"],
      b: "x y",
      empty: "",
      flag: "true",
      n: "3",
    });
    assert.equal(echo.headers["X-One"], "1");
    assert.equal(echo.headers["X-Many"], "a,b");
    assert.equal(echo.headers["Host"], new URL(HTTPBIN_URL).host);
    assert.equal(echo.headers["Accept"], "*/*");
  },
});

Deno.test({
  name: "httpbin: urlencoded form, multipart with files, JSON",
  ignore,
  async fn() {
    await using http = client();
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
        blob: [
          "b.bin",
          new Blob([new Uint8Array([0x61, 0x62])]),
          "application/x-thing",
        ],
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

    const json = await http.post("/post", {
      json: { a: [1, 2, { b: null }], s: "é" },
    });
    assert.deepEqual(json.json<Echo>().json, {
      a: [1, 2, { b: null }],
      s: "é",
    });
    assert.equal(json.json<Echo>().data, '{"a":[1,2,{"b":null}],"s":"é"}');
    assert.equal(json.json<Echo>().headers["Content-Type"], "application/json");
  },
});

Deno.test({
  name: "httpbin: a streamed request body goes out chunked",
  ignore,
  async fn() {
    await using http = client();
    const response = await http.post("/post", {
      content: (async function* () {
        for (let i = 0; i < 5; i++) yield new TextEncoder().encode(`part${i};`);
      })(),
    });
    const echo = response.json<Echo>();
    assert.equal(echo.headers["Transfer-Encoding"], "chunked");
    assert.equal(echo.data, "part0;part1;part2;part3;part4;");
  },
});

Deno.test({
  name: "httpbin: a 1 MiB file streams up, as content and as a multipart file",
  ignore,
  async fn() {
    const path = `${STATE_DIR}/www/1m.bin`;
    const expected = await sha256Hex(await Deno.readFile(path));
    const fromDataUrl = (value: string): Uint8Array => {
      const prefix = "data:application/octet-stream;base64,";
      assert.ok(value.startsWith(prefix), value.slice(0, 40));
      return Uint8Array.from(
        atob(value.slice(prefix.length)),
        (c) => c.charCodeAt(0),
      );
    };
    await using http = client();

    const file = await Deno.open(path);
    const raw = await http.post("/anything", { content: file.readable });
    assert.equal(raw.json<Echo>().headers["Transfer-Encoding"], "chunked");
    assert.equal(await sha256Hex(fromDataUrl(raw.json<Echo>().data)), expected);

    await using upload = await Deno.open(path);
    const multipart = await http.post("/anything", {
      files: { blob: ["1m.bin", upload, "application/octet-stream"] },
    });
    const echoed = multipart.json<Echo>().files.blob;
    assert.equal(await sha256Hex(fromDataUrl(echoed)), expected);
  },
});

Deno.test({
  name: "httpbin: gzip, deflate and brotli bodies are decoded",
  ignore,
  async fn() {
    await using http = client();
    for (const coding of ["gzip", "deflate", "brotli"]) {
      const response = await http.get(`/${coding}`);
      const expected = coding === "brotli" ? "br" : coding;
      assert.equal(response.headers.get("content-encoding"), expected);
      const body = response.json<Record<string, unknown>>();
      const flag = { gzip: "gzipped", deflate: "deflated", brotli: "brotli" };
      assert.equal(body[flag[coding as keyof typeof flag]], true);
      assert.ok(
        response.numBytesDownloaded < response.content.length,
        `${coding}: fewer bytes on the wire than decoded`,
      );
    }
  },
});

Deno.test({
  name: "httpbin: iterRaw gives the compressed bytes",
  ignore,
  async fn() {
    await using http = client();
    await using response = await http.stream("GET", "/gzip");
    const raw: Uint8Array[] = [];
    for await (const chunk of response.iterRaw()) raw.push(chunk);
    const bytes = new Uint8Array(raw.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of raw) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b]);
    const decoded = await new Response(
      new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
    ).json();
    assert.equal(decoded.gzipped, true);
  },
});

Deno.test({
  name: "httpbin: redirects with history (absolute, relative, /redirect/n)",
  ignore,
  async fn() {
    await using http = client({ followRedirects: true });
    for (
      const path of [
        "/redirect/3",
        "/relative-redirect/3",
        "/absolute-redirect/3",
      ]
    ) {
      const response = await http.get(path);
      assert.equal(response.statusCode, 200, path);
      assert.equal(response.url.toString(), `${HTTPBIN_URL}/get`, path);
      assert.deepEqual(response.history.map((r) => r.statusCode), [
        302,
        302,
        302,
      ]);
      assert.equal(response.history[0].url.toString(), `${HTTPBIN_URL}${path}`);
      for (const earlier of response.history) assert.ok(earlier.isRedirect);
    }
  },
});

Deno.test({
  name: "httpbin: 307/308 replay a POST body, 302/303 turn it into a GET",
  ignore,
  async fn() {
    await using http = client({ followRedirects: true });
    for (const status of [307, 308]) {
      const response = await http.post("/redirect-to", {
        params: { url: "/anything", status_code: status },
        content: `replayed ${status}`,
      });
      const echo = response.json<Echo>();
      assert.equal(echo.method, "POST");
      assert.equal(echo.data, `replayed ${status}`);
      assert.deepEqual(response.history.map((r) => r.statusCode), [status]);
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
      assert.equal(echo.headers["Content-Length"], undefined);
    }
  },
});

Deno.test({
  name: "httpbin: redirects not followed expose nextRequest; too many raise",
  ignore,
  async fn() {
    await using http = client({ maxRedirects: 2 });
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
  name: "httpbin: cookies from /cookies/set land in the jar and go back",
  ignore,
  async fn() {
    await using http = client();
    const set = await http.get("/cookies/set", {
      params: { flavour: "oatmeal", n: "2" },
    });
    assert.equal(set.statusCode, 302);
    assert.equal(set.cookies.get("flavour"), "oatmeal");
    assert.equal(http.cookies.get("flavour"), "oatmeal");
    assert.equal(http.cookies.get("n"), "2");

    const echoed = await http.get("/cookies");
    assert.deepEqual(echoed.json(), {
      cookies: { flavour: "oatmeal", n: "2" },
    });

    await http.get("/cookies/delete", { params: { flavour: "" } });
    assert.equal(http.cookies.get("flavour"), undefined);
    const after = await http.get("/cookies");
    assert.deepEqual(after.json(), { cookies: { n: "2" } });

    // Followed in one call, the redirect already carries the new cookie.
    await using fresh = client({ followRedirects: true });
    const followed = await fresh.get("/cookies/set?k=v");
    assert.deepEqual(followed.json(), { cookies: { k: "v" } });
  },
});

Deno.test({
  name: "httpbin: Basic auth, right and wrong, and raiseForStatus",
  ignore,
  async fn() {
    await using http = client();
    const ok = await http.get("/basic-auth/user/pass", {
      auth: ["user", "pass"],
    });
    assert.deepEqual(ok.json(), { authenticated: true, user: "user" });

    const wrong = await http.get("/basic-auth/user/pass", {
      auth: ["user", "x"],
    });
    assert.equal(wrong.statusCode, 401);
    assert.throws(
      () => wrong.raiseForStatus(),
      (error: unknown) => {
        assert.ok(error instanceof httpx.HTTPStatusError);
        assert.equal(error.response, wrong);
        assert.match(error.message, /^Client error '401 UNAUTHORIZED' for url/);
        return true;
      },
    );

    await using withClientAuth = client({
      auth: new httpx.BasicAuth("u", "p"),
    });
    const clientLevel = await withClientAuth.get("/basic-auth/u/p");
    assert.equal(clientLevel.statusCode, 200);
    assert.equal(
      clientLevel.request.headers.get("authorization"),
      `Basic ${btoa("u:p")}`,
    );
  },
});

Deno.test({
  name: "httpbin: Digest auth with MD5, SHA-256, auth-int, and twice in a row",
  ignore,
  async fn() {
    await using http = client();
    for (
      const path of [
        "/digest-auth/auth/user/pass/MD5",
        "/digest-auth/auth/user/pass/SHA-256",
        "/digest-auth/auth-int/user/pass/MD5",
      ]
    ) {
      const response = await http.get(path, {
        auth: new httpx.DigestAuth("user", "pass"),
      });
      assert.equal(response.statusCode, 200, path);
      assert.deepEqual(response.json(), { authenticated: true, user: "user" });
      assert.deepEqual(response.history.map((r) => r.statusCode), [401], path);
      assert.match(
        response.request.headers.get("authorization") ?? "",
        /^Digest /,
      );
    }

    const auth = new httpx.DigestAuth("user", "pass");
    for (let i = 0; i < 3; i++) {
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
  name: "httpbin: streaming /stream/20, /drip and /stream-bytes",
  ignore,
  async fn() {
    await using http = client();
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
      let text = "";
      let chunks = 0;
      for await (const chunk of response.iterText()) {
        text += chunk;
        chunks++;
      }
      assert.equal(text, "*****");
      assert.ok(chunks >= 1);
    }
    {
      await using response = await http.stream("GET", "/stream-bytes/100000", {
        params: { seed: 1, chunk_size: 1000 },
      });
      let total = 0;
      for await (const chunk of response.iterBytes(4096)) {
        total += chunk.length;
      }
      assert.equal(total, 100000);
      assert.equal(response.numBytesDownloaded, 100000);
    }
    const whole = await http.get("/stream-bytes/100000", {
      params: { seed: 1, chunk_size: 1000 },
    });
    const again = await http.get("/stream-bytes/100000", {
      params: { seed: 1, chunk_size: 7 },
    });
    assert.deepEqual(whole.content, again.content, "same seed, same bytes");
  },
});

Deno.test({
  name: "httpbin: status codes and raiseForStatus",
  ignore,
  async fn() {
    await using http = client();
    for (const status of [200, 201, 204, 301, 404, 418, 500, 503]) {
      const response = await http.get(`/status/${status}`);
      assert.equal(response.statusCode, status);
      if (status >= 400) {
        assert.throws(() => response.raiseForStatus(), httpx.HTTPStatusError);
      } else if (status < 300) {
        assert.equal(response.raiseForStatus(), response);
      }
    }
    const teapot = await http.get("/status/418");
    assert.equal(teapot.reasonPhrase, "I'M A TEAPOT");
    assert.ok(teapot.isClientError && teapot.isError);
  },
});

Deno.test({
  name: "httpbin: a read timeout against /delay/3",
  ignore,
  async fn() {
    await using http = client({ timeout: new httpx.Timeout(5, { read: 1 }) });
    await assert.rejects(http.get("/delay/3"), httpx.ReadTimeout);
    // The client is still usable afterwards.
    assert.equal((await http.get("/get")).statusCode, 200);
  },
});

Deno.test({
  name: "httpbin: the total deadline stops /drip",
  ignore,
  async fn() {
    await using http = client({
      timeout: new httpx.Timeout({
        connect: 5,
        read: 5,
        write: 5,
        pool: 5,
        total: 1,
      }),
    });
    await assert.rejects(
      http.get("/drip", { params: { numbytes: 10, duration: 5, delay: 0 } }),
      httpx.ReadTimeout,
    );
  },
});

Deno.test({
  name: "httpbin: keep-alive reuses one connection for many requests",
  ignore,
  async fn() {
    const transport = new httpx.HTTPTransport();
    await using http = client({ transport });
    const counter = connectCounter();
    for (let i = 0; i < 50; i++) {
      const response = await http.get("/get", {
        params: { i },
        extensions: counter.extensions,
      });
      assert.equal(response.json<Echo>().args.i, String(i));
    }
    assert.equal(counter.count, 1);
    assert.equal(transport.pool.activeCount, 0);
    assert.equal(transport.pool.idleCount, 1);

    // Concurrency opens more connections, which are then kept and reused.
    const concurrent = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) =>
          http.get("/delay/0.2", {
            params: { i },
            extensions: counter.extensions,
          }),
      ),
    );
    assert.ok(concurrent.every((r) => r.statusCode === 200));
    const afterBurst = counter.count;
    assert.ok(afterBurst > 1 && afterBurst <= 9, `${afterBurst} connections`);
    // (gunicorn drops connections idle for 2 s, so under load a few of the
    // burst's connections may be gone: only bound the new ones.)
    for (let i = 0; i < 16; i++) {
      await http.get("/get", { extensions: counter.extensions });
    }
    assert.ok(
      counter.count - afterBurst <= 2,
      `${counter.count - afterBurst} new connections after the burst`,
    );
    assert.equal(transport.pool.activeCount, 0);
    assert.ok(transport.pool.idleCount >= 1 && transport.pool.idleCount <= 9);
  },
});

Deno.test({
  name: "httpbin: response headers, encodings and content types",
  ignore,
  async fn() {
    await using http = client();
    const headers = await http.get("/response-headers", {
      params: { "X-Custom": ["one", "two"] },
    });
    assert.deepEqual(headers.headers.getList("x-custom"), ["one", "two"]);

    // Debian's httpbin ships a stub /encoding/utf8; /html is real text.
    const html = await http.get("/html");
    assert.equal(html.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(html.encoding, "utf-8");
    assert.ok(html.text.includes("Herman Melville - Moby-Dick"));
    assert.ok(html.text.includes("And so it was.\u2014Most miserable!"));
    const xml = await http.get("/xml");
    assert.equal(xml.headers.get("content-type"), "application/xml");
    assert.ok(xml.text.startsWith("<?xml version='1.0' encoding='us-ascii'?>"));

    const png = await http.get("/image/png");
    assert.equal(png.headers.get("content-type"), "image/png");
    assert.deepEqual(
      [...png.content.subarray(0, 8)],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    );
  },
});
