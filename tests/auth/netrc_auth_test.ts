import assert from "node:assert/strict";
import { netrcLookup, parseNetrc } from "../../src/auth/_netrc.ts";
import { NetRCAuth } from "../../src/auth/netrc_auth.ts";
import { Request } from "../../src/models/request.ts";

const FIXTURES = new globalThis.URL("../testdata/netrc/", import.meta.url);

function fixture(name: string): string {
  return new globalThis.URL(name, FIXTURES).pathname;
}

async function authorizationFor(
  auth: NetRCAuth,
  url: string,
): Promise<string | null> {
  const flow = auth.asyncAuthFlow(new Request("GET", url));
  const step = await flow.next();
  assert.equal(step.done, false);
  const header = (step.value as Request).headers.get("authorization");
  assert.deepEqual(await flow.next(), { done: true, value: undefined });
  return header ?? null;
}

Deno.test("netrc parser: machines, default, quoting, comments, macdef", async () => {
  const netrc = parseNetrc(await Deno.readTextFile(fixture("netrc-full")));
  assert.deepEqual(Object.fromEntries(netrc.machines), {
    "one.example": { login: "alice", password: "p@ss word", account: "acct1" },
    "two.example": { login: "bob", password: 'quote"d', account: "" },
    "three.example": { login: "carol", password: "#hash", account: "" },
  });
  assert.deepEqual(netrc.default, {
    login: "anonymous",
    password: "guest@example",
    account: "",
  });
  // The macro body is not read as entries.
  assert.equal(netrc.machines.has("evil.example"), false);
  assert.equal(netrcLookup(netrc, "Two.Example")?.login, "bob");
  assert.equal(netrcLookup(netrc, "elsewhere.example")?.login, "anonymous");
});

Deno.test("netrc parser: a later entry for the same machine wins; empty text", () => {
  const netrc = parseNetrc(
    "machine a.example login one password 1\nmachine a.example login two password 2",
  );
  assert.equal(netrcLookup(netrc, "a.example")?.login, "two");
  assert.equal(netrcLookup(parseNetrc(""), "a.example"), undefined);
  // A truncated file keeps what it had.
  assert.deepEqual(
    Object.fromEntries(
      parseNetrc("machine b.example login x password").machines,
    ),
    { "b.example": { login: "x", password: "", account: "" } },
  );
});

Deno.test("NetRCAuth: adds Basic credentials for a matching host", async () => {
  const auth = new NetRCAuth(fixture("netrc"));
  assert.equal(
    await authorizationFor(auth, "http://netrcexample.org"),
    "Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk",
  );
  // The port plays no part in the lookup.
  assert.equal(
    await authorizationFor(auth, "http://netrcexample.org:8080/path"),
    "Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk",
  );
});

Deno.test("NetRCAuth: no entry, or no password, leaves the request alone", async () => {
  const auth = new NetRCAuth(fixture("netrc"));
  assert.equal(await authorizationFor(auth, "http://example.org"), null);
  const noPassword = new NetRCAuth(fixture("netrc-nopassword"));
  assert.equal(
    await authorizationFor(noPassword, "http://netrcexample.org"),
    null,
  );
});

Deno.test("NetRCAuth: the default entry applies to other hosts", async () => {
  const auth = new NetRCAuth(fixture("netrc-full"));
  assert.equal(
    await authorizationFor(auth, "https://unknown.example/"),
    `Basic ${btoa("anonymous:guest@example")}`,
  );
  assert.equal(
    await authorizationFor(auth, "https://one.example/"),
    `Basic ${btoa("alice:p@ss word")}`,
  );
});

Deno.test("NetRCAuth: an explicit file that does not exist throws", () => {
  assert.throws(
    () => new NetRCAuth(fixture("does-not-exist")),
    Deno.errors.NotFound,
  );
});

Deno.test({
  name: "NetRCAuth: without read permission the file is treated as empty",
  permissions: { read: false, env: true },
  async fn() {
    const auth = new NetRCAuth(fixture("netrc"));
    assert.equal(await authorizationFor(auth, "http://netrcexample.org"), null);
  },
});

Deno.test({
  name: "NetRCAuth: without env permission the default file is not looked up",
  permissions: { read: true, env: false },
  async fn() {
    const auth = new NetRCAuth();
    assert.equal(await authorizationFor(auth, "http://netrcexample.org"), null);
  },
});

Deno.test({
  name: "NetRCAuth: the NETRC variable names the default file",
  permissions: { read: true, env: true },
  async fn() {
    const previous = Deno.env.get("NETRC");
    Deno.env.set("NETRC", fixture("netrc"));
    try {
      const auth = new NetRCAuth();
      assert.equal(
        await authorizationFor(auth, "http://netrcexample.org"),
        "Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk",
      );
    } finally {
      if (previous === undefined) Deno.env.delete("NETRC");
      else Deno.env.set("NETRC", previous);
    }
  },
});

Deno.test({
  name: "NetRCAuth: a missing ~/.netrc is treated as empty",
  permissions: { read: true, env: true, write: true },
  async fn() {
    const saved = { NETRC: Deno.env.get("NETRC"), HOME: Deno.env.get("HOME") };
    const home = await Deno.makeTempDir();
    Deno.env.delete("NETRC");
    Deno.env.set("HOME", home);
    try {
      const auth = new NetRCAuth();
      assert.equal(
        await authorizationFor(auth, "http://netrcexample.org"),
        null,
      );
      await Deno.writeTextFile(
        `${home}/.netrc`,
        "machine netrcexample.org login u password p\n",
      );
      assert.equal(
        await authorizationFor(new NetRCAuth(), "http://netrcexample.org"),
        `Basic ${btoa("u:p")}`,
      );
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) Deno.env.delete(name);
        else Deno.env.set(name, value);
      }
      await Deno.remove(home, { recursive: true });
    }
  },
});
