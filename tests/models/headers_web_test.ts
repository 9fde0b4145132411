import assert from "node:assert/strict";
import { Headers, headersFromWeb } from "../../src/models/headers.ts";

function webHeaders(pairs: [string, string][]): globalThis.Headers {
  return new globalThis.Headers(pairs);
}

Deno.test("headersFromWeb: get and has answer from the web headers", () => {
  const headers = headersFromWeb(webHeaders([
    ["Content-Type", "text/plain"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ]));
  assert.equal(headers.get("content-type"), "text/plain");
  assert.equal(headers.get("CONTENT-TYPE"), "text/plain");
  assert.equal(headers.get("x-missing"), undefined);
  assert.equal(headers.has("set-cookie"), true);
  assert.equal(headers.has("x-missing"), false);
  assert.equal(headers.get("set-cookie"), "a=1, b=2");
  // A name web headers refuse is simply absent, as for any Headers.
  assert.equal(headers.get("bad name"), undefined);
  assert.equal(headers.has("bad name"), false);
});

Deno.test("headersFromWeb: everything else sees every header, in order", () => {
  const headers = headersFromWeb(webHeaders([
    ["B", "2"],
    ["a", "1"],
    ["Set-Cookie", "x=1"],
    ["Set-Cookie", "y=2"],
  ]));
  assert.deepEqual(headers.getList("set-cookie"), ["x=1", "y=2"]);
  assert.equal(headers.size, 4);
  assert.deepEqual(headers.multiItems(), [
    ["a", "1"],
    ["b", "2"],
    ["set-cookie", "x=1"],
    ["set-cookie", "y=2"],
  ]);
  assert.equal(headers.encoding, "ascii");
  assert.ok(
    headers.equals(
      new Headers({ a: "1", b: "2", "set-cookie": ["x=1", "y=2"] }),
    ),
  );
});

Deno.test("headersFromWeb: changes apply on top of the copied headers", () => {
  const headers = headersFromWeb(webHeaders([["a", "1"], ["b", "2"]]));
  headers.set("a", "3");
  headers.append("c", "4");
  assert.equal(headers.delete("b"), true);
  assert.deepEqual([...headers], [["a", "3"], ["c", "4"]]);
  const copy = new Headers(headersFromWeb(webHeaders([["x", "1"]])));
  assert.equal(copy.get("x"), "1");
  const merged = new Headers({ y: "2" });
  merged.update(headersFromWeb(webHeaders([["x", "1"]])));
  assert.deepEqual(merged.multiItems(), [["y", "2"], ["x", "1"]]);
});

Deno.test("headersFromWeb: non-ASCII values are decoded as for any Headers", () => {
  // "é" in UTF-8, as the byte string web headers hold.
  const bytes = String.fromCharCode(0xc3, 0xa9);
  const headers = headersFromWeb(webHeaders([["x-name", bytes]]));
  assert.equal(headers.get("x-name"), "é");
  assert.equal(headers.encoding, "utf-8");
  const latin = headersFromWeb(webHeaders([["x-name", "\xe9"]]));
  assert.equal(latin.get("x-name"), "\xe9");
  assert.equal(latin.encoding, "iso-8859-1");
});
