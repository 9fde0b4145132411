import assert from "node:assert/strict";
import { serializeRequestHead } from "../../../src/protocol/h1/request_head.ts";
import { LocalProtocolError } from "../../../src/errors.ts";

const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

Deno.test("serializeRequestHead writes the request line and headers exactly", () => {
  const head = serializeRequestHead("GET", "/path?q=1", [
    ["Host", "example.org"],
    ["X-Mixed-Case", "Value With  Spaces"],
    ["accept", "*/*"],
    ["accept", "text/html"],
  ]);
  assert.equal(
    text(head),
    "GET /path?q=1 HTTP/1.1\r\nHost: example.org\r\n" +
      "X-Mixed-Case: Value With  Spaces\r\naccept: */*\r\naccept: text/html\r\n\r\n",
  );
});

Deno.test("serializeRequestHead without headers and with special targets", () => {
  assert.equal(
    text(serializeRequestHead("OPTIONS", "*", [])),
    "OPTIONS * HTTP/1.1\r\n\r\n",
  );
  assert.equal(
    text(serializeRequestHead("GET", "http://example.org/a%20b", [])),
    "GET http://example.org/a%20b HTTP/1.1\r\n\r\n",
  );
  assert.equal(
    text(
      serializeRequestHead("CONNECT", "example.org:443", [[
        "Host",
        "example.org:443",
      ]]),
    ),
    "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n",
  );
});

Deno.test("serializeRequestHead sends latin1 values as single bytes", () => {
  const head = serializeRequestHead("GET", "/", [["X-Name", "caf\u00e9"]]);
  const expected = [..."GET / HTTP/1.1\r\nX-Name: caf"].map((c) =>
    c.charCodeAt(0)
  );
  assert.deepEqual(
    [...head],
    [...expected, 0xe9, 13, 10, 13, 10],
  );
});

Deno.test("serializeRequestHead sends values beyond latin1 as UTF-8", () => {
  const head = serializeRequestHead("GET", "/", [
    ["A", "\u20ac1 \u00e9"],
    ["B", "\u00e9"],
  ]);
  const prefix = [..."GET / HTTP/1.1\r\nA: "].map((c) => c.charCodeAt(0));
  assert.deepEqual([...head], [
    ...prefix,
    0xe2,
    0x82,
    0xac,
    0x31,
    0x20,
    0xc3,
    0xa9,
    13,
    10, // whole value as UTF-8
    0x42,
    0x3a,
    0x20,
    0xe9,
    13,
    10, // this one stays latin1
    13,
    10,
  ]);
});

Deno.test("serializeRequestHead rejects invalid methods", () => {
  for (const method of ["", "GE T", "GET\r\n", "G\u00c9T", "GET:", "(GET)"]) {
    assert.throws(
      () => serializeRequestHead(method, "/", []),
      LocalProtocolError,
      JSON.stringify(method),
    );
  }
});

Deno.test("serializeRequestHead rejects invalid targets", () => {
  for (
    const target of [
      "",
      "/a b",
      "/a\r\nX: y",
      "/a\n",
      "/\0",
      "/\t",
      "/caf\u00e9",
      "/\x7f",
    ]
  ) {
    assert.throws(
      () => serializeRequestHead("GET", target, []),
      LocalProtocolError,
      JSON.stringify(target),
    );
  }
});

Deno.test("serializeRequestHead rejects invalid header names", () => {
  for (
    const name of [
      "",
      "Bad Name",
      "a:b",
      "X-\u00e9",
      "X\r\nY",
      "X\0",
      " X",
      "X\t",
    ]
  ) {
    assert.throws(
      () => serializeRequestHead("GET", "/", [["Host", "x"], [name, "v"]]),
      (error: unknown) =>
        error instanceof LocalProtocolError &&
        error.message.startsWith("Illegal header name"),
      JSON.stringify(name),
    );
  }
});

Deno.test("serializeRequestHead rejects values with CR, LF or NUL", () => {
  for (const value of ["a\rb", "a\nb", "a\r\nX-Injected: 1", "a\0b", "\n"]) {
    assert.throws(
      () => serializeRequestHead("GET", "/", [["X", value]]),
      (error: unknown) =>
        error instanceof LocalProtocolError &&
        error.message.startsWith("Illegal header value"),
      JSON.stringify(value),
    );
  }
  // Tabs, empty values and other bytes are fine.
  assert.equal(
    text(serializeRequestHead("GET", "/", [["X", "a\tb"], ["Y", ""]])),
    "GET / HTTP/1.1\r\nX: a\tb\r\nY: \r\n\r\n",
  );
});

Deno.test("serializeRequestHead handles a large head", () => {
  const headers: Array<[string, string]> = [];
  for (let i = 0; i < 1000; i++) headers.push([`X-H${i}`, "v".repeat(50)]);
  const head = serializeRequestHead("POST", "/upload", headers);
  const expected = "POST /upload HTTP/1.1\r\n" +
    headers.map(([n, v]) => `${n}: ${v}\r\n`).join("") + "\r\n";
  assert.equal(head.length, expected.length);
  assert.equal(text(head.subarray(0, 40)), expected.slice(0, 40));
  assert.equal(new TextDecoder().decode(head), expected);
});
