/**
 * `DigestAuth` against apache2's mod_auth_digest: an independent server
 * implementation of RFC 7616 (user "user", password "pass", realm "httpx").
 * Needs `bash scripts/interop_servers.sh start` and `HTTPX_INTEROP=1`.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import { APACHE_URL, INTEROP } from "./_env.ts";

const ignore = !INTEROP;
const PRIVATE = `${
  APACHE_URL.replace(/\/private\/index\.txt$/, "")
}/private/index.txt`;

/** Parse `Digest a="b", c=d` into a record. */
function parseDigest(header: string): Record<string, string> {
  assert.match(header, /^Digest /);
  const out: Record<string, string> = {};
  for (
    const match of header.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)
  ) {
    out[match[1]] = match[2] ?? match[3];
  }
  return out;
}

Deno.test({
  name: "apache2 digest: no credentials gives 401 with a Digest challenge",
  ignore,
  async fn() {
    await using http = new httpx.Client();
    const response = await http.get(PRIVATE);
    assert.equal(response.statusCode, 401);
    const challenge = parseDigest(
      response.headers.get("www-authenticate") ?? "",
    );
    assert.equal(challenge.realm, "httpx");
    assert.equal(challenge.qop, "auth");
  },
});

Deno.test({
  name: "apache2 digest: the right password gets the file",
  ignore,
  async fn() {
    await using http = new httpx.Client();
    const response = await http.get(PRIVATE, {
      auth: new httpx.DigestAuth("user", "pass"),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.text, "secret");
    assert.deepEqual(response.history.map((r) => r.statusCode), [401]);
    const sent = parseDigest(
      response.request.headers.get("authorization") ?? "",
    );
    assert.equal(sent.username, "user");
    assert.equal(sent.realm, "httpx");
    assert.equal(sent.uri, "/private/index.txt");
    assert.equal(sent.qop, "auth");
    assert.equal(sent.nc, "00000001");
    assert.match(sent.response, /^[0-9a-f]{32}$/);
    assert.ok(sent.cnonce.length > 0);
  },
});

Deno.test({
  name: "apache2 digest: one DigestAuth over several requests counts nonces",
  ignore,
  async fn() {
    const auth = new httpx.DigestAuth("user", "pass");
    await using http = new httpx.Client({ auth });
    const counts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await http.get(PRIVATE);
      assert.equal(response.statusCode, 200, `request ${i}`);
      assert.equal(response.text, "secret");
      counts.push(
        parseDigest(response.request.headers.get("authorization") ?? "").nc,
      );
    }
    // Each request either reuses the nonce with the next count, or starts
    // over after a fresh challenge: counts never repeat within a nonce.
    assert.equal(counts[0], "00000001");
    for (let i = 1; i < counts.length; i++) {
      assert.ok(
        counts[i] === "00000001" ||
          parseInt(counts[i], 16) === parseInt(counts[i - 1], 16) + 1,
        `nonce counts ${counts}`,
      );
    }
  },
});

Deno.test({
  name: "apache2 digest: a wrong password stays 401, a wrong user too",
  ignore,
  async fn() {
    await using http = new httpx.Client();
    for (const [user, password] of [["user", "wrong"], ["nobody", "pass"]]) {
      const response = await http.get(PRIVATE, {
        auth: new httpx.DigestAuth(user, password),
      });
      assert.equal(response.statusCode, 401, `${user}:${password}`);
      assert.throws(() => response.raiseForStatus(), httpx.HTTPStatusError);
    }
  },
});

Deno.test({
  name: "apache2 digest: Basic credentials are refused",
  ignore,
  async fn() {
    await using http = new httpx.Client();
    const basic = await http.get(PRIVATE, { auth: ["user", "pass"] });
    assert.equal(basic.statusCode, 401);
    assert.match(basic.headers.get("www-authenticate") ?? "", /^Digest /);
  },
});
