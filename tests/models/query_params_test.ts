import assert from "node:assert/strict";
import { QueryParams } from "../../src/models/query_params.ts";

Deno.test("QueryParams: the same multi-dict from every input shape", () => {
  const sources = [
    "a=123&a=456&b=789",
    new TextEncoder().encode("a=123&a=456&b=789"),
    { a: ["123", "456"], b: 789 },
    [["a", "123"], ["a", "456"], ["b", "789"]] as Array<[string, string]>,
    new URLSearchParams("a=123&a=456&b=789"),
    new Map([["a", "123"], ["b", "789"]]).entries(),
  ];
  for (const [index, source] of sources.entries()) {
    const q = new QueryParams(source);
    assert.ok(q.has("a"));
    assert.ok(!q.has("A"));
    assert.ok(!q.has("c"));
    assert.equal(q.get("a"), "123");
    assert.equal(q.get("nope"), undefined);
    assert.deepEqual([...q.keys()], ["a", "b"]);
    assert.deepEqual([...q.values()], ["123", "789"]);
    assert.deepEqual([...q.entries()], [["a", "123"], ["b", "789"]]);
    assert.deepEqual([...q], [["a", "123"], ["b", "789"]]);
    assert.equal(q.size, 2);
    if (index === 5) continue; // The map source has one value per key.
    assert.deepEqual(q.getList("a"), ["123", "456"]);
    assert.deepEqual(q.multiItems(), [["a", "123"], ["a", "456"], [
      "b",
      "789",
    ]]);
    assert.equal(q.toString(), "a=123&a=456&b=789");
    assert.equal(Deno.inspect(q), "QueryParams('a=123&a=456&b=789')");
  }
});

Deno.test("QueryParams: equality ignores order", () => {
  const ab = new QueryParams({ a: "123", b: "456" });
  assert.ok(ab.equals(new QueryParams([["a", "123"], ["b", "456"]])));
  assert.ok(ab.equals(new QueryParams("a=123&b=456")));
  assert.ok(ab.equals(new QueryParams({ b: "456", a: "123" })));
  assert.ok(ab.equals("b=456&a=123"));
  assert.ok(new QueryParams().equals(new QueryParams({})));
  assert.ok(
    new QueryParams([["a", "123"], ["a", "456"]]).equals(
      new QueryParams("a=123&a=456"),
    ),
  );
  assert.ok(!ab.equals(new QueryParams("a=123")));
  assert.ok(!ab.equals(new QueryParams("a=123&b=457")));
  assert.ok(!ab.equals(42 as unknown as string));
  const q = new QueryParams([["a", "123"], ["a", "456"]]);
  assert.ok(new QueryParams(q).equals(q));
});

Deno.test("QueryParams: value types become text as in HTTPX", () => {
  assert.equal(new QueryParams(null).toString(), "");
  assert.equal(new QueryParams({ a: true }).toString(), "a=true");
  assert.equal(new QueryParams({ a: false }).toString(), "a=false");
  assert.equal(new QueryParams({ a: "" }).toString(), "a=");
  assert.equal(new QueryParams({ a: null }).toString(), "a=");
  assert.equal(new QueryParams({ a: 1.23 }).toString(), "a=1.23");
  assert.equal(new QueryParams({ a: 123 }).toString(), "a=123");
  assert.equal(new QueryParams({ a: [1, 2] }).toString(), "a=1&a=2");
  assert.equal(new QueryParams({ a: undefined, b: 1 }).toString(), "b=1");
  assert.equal(
    new QueryParams([["a", null], ["b", true]]).toString(),
    "a=&b=true",
  );
  assert.throws(
    () => new QueryParams({ a: {} as unknown as string }),
    TypeError,
  );
  assert.throws(
    () => new QueryParams([["a"]] as unknown as Array<[string, string]>),
    TypeError,
  );
});

Deno.test("QueryParams: parsing like parse_qs(keep_blank_values=True)", () => {
  // Verified against HTTPX 0.28.
  const cases: Array<[string, Array<[string, string]>, string]> = [
    ["a=", [["a", ""]], "a="],
    ["a", [["a", ""]], "a="],
    ["a=1&&b", [["a", "1"], ["b", ""]], "a=1&b="],
    ["=", [["", ""]], "="],
    ["a=%zz", [["a", "%zz"]], "a=%25zz"],
    ["a=%C3&b=%C3%A9", [["a", "\ufffd"], ["b", "é"]], "a=%EF%BF%BD&b=%C3%A9"],
    ["a=1;b=2", [["a", "1;b=2"]], "a=1%3Bb%3D2"],
    ["a+b=c+d%2B", [["a b", "c d+"]], "a+b=c+d%2B"],
    ["a=1&b=2&a=3", [["a", "1"], ["a", "3"], ["b", "2"]], "a=1&a=3&b=2"],
    ["", [], ""],
    // A leading "?" is not stripped: it belongs to the first key.
    ["?a=1", [["?a", "1"]], "%3Fa=1"],
  ];
  for (const [input, items, output] of cases) {
    const q = new QueryParams(input);
    assert.deepEqual(q.multiItems(), items, input);
    assert.equal(q.toString(), output, input);
  }
});

Deno.test("QueryParams: toString form-encodes like urlencode", () => {
  assert.equal(new QueryParams({ a: "b c" }).toString(), "a=b+c");
  assert.equal(
    new QueryParams({ k: "a+b /é~*", x: "!'()*-._~" }).toString(),
    "k=a%2Bb+%2F%C3%A9~%2A&x=%21%27%28%29%2A-._~",
  );
  assert.equal(
    new QueryParams({ q: "a b/c&d", n: null, t: true, l: [1, 2] }).toString(),
    "q=a+b%2Fc%26d&n=&t=true&l=1&l=2",
  );
  assert.equal(new QueryParams({ "é": "☃" }).toString(), "%C3%A9=%E2%98%83");
  // Parsing what toString produced gives the same pairs back.
  const q = new QueryParams({ "a b": ["x&y", "=", "%20"], "ü": "/" });
  assert.deepEqual(new QueryParams(q.toString()).multiItems(), q.multiItems());
});

Deno.test("QueryParams: set, add, remove and merge return new instances", () => {
  const q = new QueryParams("a=123");
  const set = q.set("a", "456");
  assert.ok(set.equals(new QueryParams("a=456")));
  assert.equal(q.toString(), "a=123");

  const added = q.add("a", "456");
  assert.ok(added.equals(new QueryParams("a=123&a=456")));
  assert.deepEqual(q.getList("a"), ["123"]);

  const removed = q.remove("a");
  assert.ok(removed.equals(new QueryParams("")));
  assert.ok(q.has("a"));

  let merged = q.merge({ b: "456" });
  assert.ok(merged.equals(new QueryParams("a=123&b=456")));
  merged = merged.merge({ a: "000", c: "789" });
  assert.ok(merged.equals(new QueryParams("a=000&b=456&c=789")));
  assert.equal(merged.toString(), "a=000&b=456&c=789");
  assert.equal(q.merge(null).toString(), "a=123");

  assert.equal(q.set("n", null).toString(), "a=123&n=");
  assert.equal(q.add("n", false).toString(), "a=123&n=false");
});

Deno.test("QueryParams: getList returns a copy", () => {
  const q = new QueryParams("a=1&a=2");
  q.getList("a").push("3");
  assert.deepEqual(q.getList("a"), ["1", "2"]);
  assert.deepEqual(q.getList("missing"), []);
});
