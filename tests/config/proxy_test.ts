import assert from "node:assert/strict";
import { Proxy } from "../../src/config/proxy.ts";

Deno.test("Proxy moves URL credentials into auth and never shows the password", () => {
  const proxy = new Proxy("http://user:secret@proxy.example:8030");
  assert.equal(proxy.url.toString(), "http://proxy.example:8030");
  assert.deepEqual(proxy.auth, ["user", "secret"]);
  assert.equal(
    proxy.toString(),
    "Proxy('http://proxy.example:8030', auth=['user', '********'])",
  );
  // Deno.inspect (console.log) shows the same masked text.
  assert.equal(Deno.inspect(proxy), proxy.toString());
  assert.ok(!Deno.inspect(proxy).includes("secret"));
});
