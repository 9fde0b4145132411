import assert from "node:assert/strict";
import { Headers } from "../../src/models/headers.ts";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const latin1 = (text: string): Uint8Array =>
  Uint8Array.from(text, (c) => c.charCodeAt(0));

Deno.test("Headers: case-insensitive multi-dict", () => {
  const h = new Headers([["a", "123"], ["a", "456"], ["b", "789"]]);
  assert.ok(h.has("a"));
  assert.ok(h.has("A"));
  assert.ok(h.has("b"));
  assert.ok(h.has("B"));
  assert.ok(!h.has("c"));
  assert.equal(h.get("a"), "123, 456");
  assert.equal(h.get("nope"), undefined);
  assert.deepEqual(h.getList("a"), ["123", "456"]);
  assert.deepEqual([...h.keys()], ["a", "b"]);
  assert.deepEqual([...h.values()], ["123, 456", "789"]);
  assert.deepEqual([...h.entries()], [["a", "123, 456"], ["b", "789"]]);
  assert.deepEqual([...h], [["a", "123, 456"], ["b", "789"]]);
  assert.deepEqual(h.multiItems(), [["a", "123"], ["a", "456"], ["b", "789"]]);
  assert.equal(h.size, 3);
  assert.equal(
    h.toString(),
    'Headers([["a", "123"], ["a", "456"], ["b", "789"]])',
  );
  assert.ok(h.equals([["a", "123"], ["b", "789"], ["a", "456"]]));
  assert.ok(h.equals([["a", "123"], ["A", "456"], ["b", "789"]]));
  assert.ok(h.equals({ a: ["123", "456"], b: "789" }));
  assert.ok(!h.equals([["a", "123"], ["b", "789"]]));
  assert.ok(!h.equals("a: 123" as unknown as Headers));

  const d = new Headers({ a: "123", b: "789" });
  assert.equal(d.get("A"), "123");
  assert.equal(d.get("B"), "789");
  assert.deepEqual(d.raw, [[bytes("a"), bytes("123")], [
    bytes("b"),
    bytes("789"),
  ]]);
  assert.equal(d.toString(), 'Headers({"a": "123", "b": "789"})');
});

Deno.test("Headers: names keep their casing in raw and wireItems", () => {
  const h = new Headers([["Content-Type", "text/html"], ["X-Thing", "1"]]);
  assert.deepEqual(h.wireItems(), [["Content-Type", "text/html"], [
    "X-Thing",
    "1",
  ]]);
  assert.deepEqual(h.raw[0], [bytes("Content-Type"), bytes("text/html")]);
  assert.deepEqual([...h.keys()], ["content-type", "x-thing"]);
  // wireItems is a copy: changing it leaves the headers alone.
  h.wireItems().pop();
  assert.equal(h.size, 2);
  // set() takes the new casing for the first header of that name.
  h.set("CONTENT-TYPE", "text/plain");
  assert.deepEqual(h.wireItems()[0], ["CONTENT-TYPE", "text/plain"]);
});

Deno.test("Headers: mutations", () => {
  const h = new Headers();
  assert.equal(h.size, 0);
  h.set("a", "1");
  assert.deepEqual(Object.fromEntries(h), { a: "1" });
  h.set("a", "2");
  assert.deepEqual(Object.fromEntries(h), { a: "2" });
  h.set("b", 4);
  assert.deepEqual(Object.fromEntries(h), { a: "2", b: "4" });
  assert.ok(h.delete("a"));
  assert.ok(!h.delete("a"));
  assert.deepEqual(Object.fromEntries(h), { b: "4" });
  assert.deepEqual(h.raw, [[bytes("b"), bytes("4")]]);
  h.append("b", "5");
  assert.deepEqual(h.getList("B"), ["4", "5"]);
});

Deno.test("Headers: set keeps the position and removes duplicates", () => {
  let h = new Headers({ a: "a", b: "b", c: "c" });
  h.set("b", "123");
  assert.deepEqual([...h.values()], ["a", "123", "c"]);

  h = new Headers({ a: "a", b: "b", c: "c" });
  h.set("d", "123");
  assert.deepEqual([...h.values()], ["a", "b", "c", "123"]);

  h = new Headers([["a", "123"], ["b", "x"], ["a", "456"]]);
  h.set("a", "789");
  assert.deepEqual(h.multiItems(), [["a", "789"], ["b", "x"]]);

  h = new Headers([["a", "123"], ["a", "456"]]);
  h.delete("A");
  assert.equal(h.size, 0);
});

Deno.test("Headers: copies are independent", () => {
  const headers = new Headers({ custom: "example" });
  const copy = headers.copy();
  assert.ok(headers.equals(copy));
  assert.notEqual(copy, headers);
  copy.set("custom", "changed");
  assert.equal(headers.get("custom"), "example");
  const constructed = new Headers(headers);
  assert.ok(constructed.equals(headers));
  constructed.append("x", "1");
  assert.ok(!headers.has("x"));
});

Deno.test("Headers: update replaces every value of the names it has", () => {
  const h = new Headers([["a", "1"], ["b", "2"], ["a", "3"]]);
  h.update({ A: "9", c: "4" });
  assert.deepEqual(h.wireItems(), [["b", "2"], ["A", "9"], ["c", "4"]]);
  h.update(null);
  assert.equal(h.size, 3);
});

Deno.test("Headers: input shapes", () => {
  const web = new globalThis.Headers([["X-A", "1"], ["Set-Cookie", "a=1"], [
    "Set-Cookie",
    "b=2",
  ]]);
  const fromWeb = new Headers(web);
  assert.deepEqual(fromWeb.getList("set-cookie"), ["a=1", "b=2"]);
  assert.equal(fromWeb.get("x-a"), "1");

  const fromRecordList = new Headers({ Vary: ["a", "b"] });
  assert.deepEqual(fromRecordList.getList("vary"), ["a", "b"]);

  const fromIterable = new Headers(new Map([["x", "1"]]));
  assert.equal(fromIterable.get("X"), "1");

  const fromBytes = new Headers([[bytes("Custom"), bytes("Example")]]);
  assert.deepEqual(Object.fromEntries(fromBytes), { custom: "Example" });
  assert.equal(new Headers([["n", 5]]).get("n"), "5");
});

Deno.test("Headers: values that are not strings, numbers or bytes raise TypeError", () => {
  assert.throws(
    () => new Headers({ a: null as unknown as string }),
    {
      name: "TypeError",
      message: "Header value must be a string, number or Uint8Array, got null",
    },
  );
  assert.throws(
    () => new Headers([["a", undefined as unknown as string]]),
    TypeError,
  );
  assert.throws(
    () => new Headers().set("a", {} as unknown as string),
    TypeError,
  );
  assert.throws(
    () => new Headers().append(1 as unknown as string, "x"),
    TypeError,
  );
});

Deno.test("Headers: encoding guess", () => {
  const ascii = new Headers([[bytes("Custom"), bytes("Example")]]);
  assert.equal(ascii.encoding, "ascii");

  const utf8 = new Headers([[bytes("Custom"), bytes("Code point: ☃")]]);
  assert.deepEqual(Object.fromEntries(utf8), { custom: "Code point: ☃" });
  assert.equal(utf8.encoding, "utf-8");

  const iso = new Headers([[bytes("Custom"), latin1("Code point: ÿ")]]);
  assert.deepEqual(Object.fromEntries(iso), { custom: "Code point: ÿ" });
  assert.equal(iso.encoding, "iso-8859-1");

  const forced = new Headers([[bytes("Custom"), bytes("Code point: ☃")]]);
  forced.encoding = "iso-8859-1";
  assert.deepEqual(Object.fromEntries(forced), {
    custom: "Code point: \u00e2\u0098\u0083",
  });
  assert.equal(forced.encoding, "iso-8859-1");

  // The guess is redone after a change.
  const changing = new Headers({ a: "x" });
  assert.equal(changing.encoding, "ascii");
  changing.set("b", bytes("☃"));
  assert.equal(changing.encoding, "utf-8");
  assert.equal(changing.get("b"), "☃");

  assert.equal(new Headers(null, "latin-1").encoding, "iso-8859-1");
  assert.throws(() => new Headers(null, "no-such-codec"), RangeError);
});

Deno.test("Headers: text above U+00FF is stored as UTF-8, latin-1 text as bytes", () => {
  const h = new Headers();
  h.set("x-snow", "☃");
  assert.deepEqual(h.raw[0][1], bytes("☃"));
  assert.equal(h.get("x-snow"), "☃");
  assert.deepEqual(h.wireItems(), [["x-snow", "\u00e2\u0098\u0083"]]);

  const l = new Headers({ "x-e": "é" });
  assert.deepEqual(l.raw[0][1], Uint8Array.of(0xe9));
  assert.equal(l.get("x-e"), "é");
});

Deno.test("Headers: wire strings from a parser are read as bytes", () => {
  // What an HTTP/1.1 parser hands over: one char per byte.
  const wire: Array<[string, string]> = [[
    "Content-Disposition",
    String.fromCharCode(...bytes('attachment; filename="naïve.txt"')),
  ]];
  const h = new Headers(wire);
  assert.equal(h.encoding, "utf-8");
  assert.equal(
    h.get("content-disposition"),
    'attachment; filename="naïve.txt"',
  );
  assert.deepEqual(h.wireItems(), wire);
});

Deno.test("Headers: getList with splitCommas", () => {
  let h = new Headers([["set-cookie", "a, b"], ["set-cookie", "c"]]);
  assert.deepEqual(h.getList("Set-Cookie"), ["a, b", "c"]);
  h = new Headers([["vary", "a, b"], ["vary", "c"]]);
  assert.deepEqual(h.getList("Vary", { splitCommas: true }), ["a", "b", "c"]);
});

Deno.test("Headers: representations", () => {
  assert.equal(
    new Headers({ custom: "example" }).toString(),
    'Headers({"custom": "example"})',
  );
  assert.equal(
    new Headers([["custom", "example 1"], ["custom", "example 2"]]).toString(),
    'Headers([["custom", "example 1"], ["custom", "example 2"]])',
  );
  assert.equal(
    new Headers([[bytes("custom"), bytes("example ☃")]]).toString(),
    'Headers({"custom": "example ☃"}, encoding="utf-8")',
  );
  for (const name of ["authorization", "proxy-authorization"]) {
    const h = new Headers({ [name]: "s3kr3t", "content-type": "text/html" });
    assert.equal(
      h.toString(),
      `Headers({"${name}": "[secure]", "content-type": "text/html"})`,
    );
    assert.equal(Deno.inspect(h), h.toString());
    assert.equal(h.get(name), "s3kr3t");
  }
  assert.equal(
    new Headers({ Authorization: "Basic abc" }).toString(),
    'Headers({"authorization": "[secure]"})',
  );
});

Deno.test("Headers.fromAscii adopts parsed pairs; wireView is the list as sent", () => {
  const items: Array<[string, string]> = [
    ["Content-Type", "text/plain"],
    ["Set-Cookie", "a=1"],
    ["set-cookie", "b=2"],
  ];
  const h = Headers.fromAscii(items);
  assert.equal(h.get("content-type"), "text/plain");
  assert.equal(h.get("SET-COOKIE"), "a=1, b=2");
  assert.equal(h.encoding, "ascii");
  assert.deepEqual([...h.keys()], ["content-type", "set-cookie"]);
  assert.deepEqual(h.wireView(), items);
  assert.deepEqual(h.wireView(), h.wireItems());
  // The same as building from the pairs.
  assert.deepEqual(h.multiItems(), new Headers(items).multiItems());
});
