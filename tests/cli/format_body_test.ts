import assert from "node:assert/strict";
import { bodyKind, formatBody, formatJson } from "../../src/cli/format_body.ts";
import { createStyle } from "../../src/cli/style.ts";
import { Response } from "../../src/models/response.ts";

const plain = createStyle(false);
const color = createStyle(true);
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function response(contentType: string | null, body: Uint8Array): Response {
  const headers: Array<[string, string]> = contentType === null
    ? []
    : [["Content-Type", contentType]];
  return new Response(200, { headers, content: body });
}

Deno.test("bodyKind follows the Content-Type", () => {
  const cases: Array<[string | null, string]> = [
    ["application/json", "json"],
    ["Application/JSON; charset=utf-8", "json"],
    ["application/problem+json", "json"],
    ["application/x-ndjson", "json"],
    ["text/plain", "text"],
    ["text/html; charset=iso-8859-1", "text"],
    ["application/xml", "text"],
    ["application/atom+xml", "text"],
    ["application/javascript", "text"],
    ["image/svg+xml", "text"],
    ["application/octet-stream", "binary"],
    ["image/png", "binary"],
    ["", "binary"],
    [null, "binary"],
  ];
  for (const [type, kind] of cases) {
    assert.equal(bodyKind(type), kind, type ?? "null");
  }
});

Deno.test("formatBody pretty-prints JSON with four spaces", () => {
  const body = encode(
    '{"a":1,"b":[true,null,"x"],"c":{},"d":[],"e":{"f":2.5}}',
  );
  assert.equal(
    formatBody(response("application/json", body), plain),
    `{
    "a": 1,
    "b": [
        true,
        null,
        "x"
    ],
    "c": {},
    "d": [],
    "e": {
        "f": 2.5
    }
}
`,
  );
});

Deno.test("formatBody agrees with JSON.stringify's indentation", () => {
  const value = { nested: { list: [1, { deep: 'é"\\' }], empty: [] }, n: -0.5 };
  const body = encode(JSON.stringify(value));
  assert.equal(
    formatBody(response("application/json", body), plain),
    JSON.stringify(value, null, 4) + "\n",
  );
});

Deno.test("formatBody shows invalid JSON as text", () => {
  const body = encode("{not json");
  assert.equal(
    formatBody(response("application/json", body), plain),
    "{not json\n",
  );
});

Deno.test("formatBody prints text as decoded text with one final newline", () => {
  assert.equal(
    formatBody(response("text/plain; charset=utf-8", encode("héllo")), plain),
    "héllo\n",
  );
  assert.equal(
    formatBody(response("text/plain", encode("line\n")), plain),
    "line\n",
  );
  const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
  assert.equal(
    formatBody(response("text/plain; charset=iso-8859-1", latin1), plain),
    "café\n",
  );
});

Deno.test("formatBody summarises binary bodies", () => {
  const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
  assert.equal(
    formatBody(response("image/png", bytes), plain),
    "<7 bytes of binary data>\n",
  );
  assert.equal(
    formatBody(response(null, encode("no type")), plain),
    "<7 bytes of binary data>\n",
  );
});

Deno.test("formatBody prints nothing for an empty body", () => {
  assert.equal(
    formatBody(response("application/json", new Uint8Array()), plain),
    "",
  );
  assert.equal(formatBody(response(null, new Uint8Array()), plain), "");
});

Deno.test("formatJson colours keys and values only when enabled", () => {
  const out = formatJson({ k: "v", n: 1, t: true }, color);
  assert.ok(out.includes('\x1b[34m"k"\x1b[0m: \x1b[32m"v"\x1b[0m'));
  assert.ok(out.includes("\x1b[36m1\x1b[0m"));
  assert.ok(out.includes("\x1b[35mtrue\x1b[0m"));
  assert.ok(!formatJson({ k: "v" }, plain).includes("\x1b"));
});
