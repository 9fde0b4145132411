/**
 * HTTP/2 against real servers: nginx (TLS, ALPN h2) and nghttpd (TLS, and
 * cleartext with prior knowledge). Needs `bash scripts/interop_servers.sh
 * start` and `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  connectCounter,
  INTEROP,
  NGHTTPD_H2C_URL,
  NGHTTPD_URL,
  NGINX_TLS_URL,
  sha256Hex,
  STATE_DIR,
  testCa,
} from "./_env.ts";

const ignore = !INTEROP;
const WWW = `${STATE_DIR}/www`;

for (
  const [name, base] of [["nginx", NGINX_TLS_URL], ["nghttpd", NGHTTPD_URL]]
) {
  Deno.test({
    name:
      `http2 ${name}: ALPN picks h2, files match, streams share one connection`,
    ignore,
    async fn() {
      await using http = new httpx.Client({
        baseUrl: base,
        http2: true,
        verify: { caCerts: [testCa()] },
      });
      const counter = connectCounter();
      const first = await http.get("/small.txt", {
        extensions: counter.extensions,
      });
      assert.equal(first.httpVersion, "HTTP/2");
      assert.equal(first.text, "Hello, world!");
      assert.equal(first.reasonPhrase, "OK");

      const expected = await sha256Hex(await Deno.readFile(`${WWW}/1m.bin`));
      const many = await Promise.all(
        Array.from(
          { length: 10 },
          () => http.get("/1m.bin", { extensions: counter.extensions }),
        ),
      );
      for (const response of many) {
        assert.equal(response.httpVersion, "HTTP/2");
        assert.equal(await sha256Hex(response.content), expected);
      }
      assert.equal(counter.count, 1, "one connection multiplexes all streams");
    },
  });
}

Deno.test({
  name: "http2 nghttpd: h2c with prior knowledge (http1: false)",
  ignore,
  async fn() {
    await using http = new httpx.Client({ http1: false, http2: true });
    const response = await http.get(`${NGHTTPD_H2C_URL}/small.txt`);
    assert.equal(response.httpVersion, "HTTP/2");
    assert.equal(response.text, "Hello, world!");
  },
});

Deno.test({
  name: "http2 nginx: http2 without http1 still works over TLS; 404 over h2",
  ignore,
  async fn() {
    await using http = new httpx.Client({
      http1: false,
      http2: true,
      verify: { caCerts: [testCa()] },
    });
    const missing = await http.get(`${NGINX_TLS_URL}/missing`);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.httpVersion, "HTTP/2");
  },
});
