import assert from "node:assert/strict";
import type { ByteStream } from "../../src/_types.ts";
import { StreamConsumed } from "../../src/errors.ts";
import { encodeRequest } from "../../src/content/request_body.ts";
import { encodeResponse } from "../../src/content/response_body.ts";
import { MultipartStream } from "../../src/content/multipart.ts";
import { BytesStream } from "../../src/content/streams.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function body(stream: ByteStream): Promise<string> {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  return parts.join("") + decoder.decode();
}

Deno.test("no body options: empty BytesStream and no headers", async () => {
  const { headers, stream } = encodeRequest();
  assert.deepEqual(headers, []);
  assert.ok(stream instanceof BytesStream);
  assert.equal(await body(stream), "");
  assert.deepEqual(encodeRequest({ data: {}, files: {} }).headers, []);
  assert.deepEqual(
    encodeRequest({ content: null, json: undefined }).headers,
    [],
  );
});

Deno.test("bytes and text content get Content-Length (none when empty)", async () => {
  const bytes = encodeRequest({ content: enc("Hello, world!") });
  assert.deepEqual(bytes.headers, [["Content-Length", "13"]]);
  assert.ok(bytes.stream instanceof BytesStream);
  assert.equal(await body(bytes.stream), "Hello, world!");

  const text = encodeRequest({ content: "héllo" });
  assert.deepEqual(text.headers, [["Content-Length", "6"]]);
  assert.equal(await body(text.stream), "héllo");

  assert.deepEqual(encodeRequest({ content: "" }).headers, []);
  assert.deepEqual(encodeRequest({ content: new Uint8Array(0) }).headers, []);
});

Deno.test("streams of unknown length are chunked; blobs and files have a length", async () => {
  async function* gen() {
    yield enc("Hello, ");
    yield enc("world!");
  }
  const streamed = encodeRequest({ content: gen() });
  assert.deepEqual(streamed.headers, [["Transfer-Encoding", "chunked"]]);
  assert.equal(await body(streamed.stream), "Hello, world!");
  await assert.rejects(() => body(streamed.stream), StreamConsumed);

  const iterable = encodeRequest({ content: [enc("a"), enc("b")] });
  assert.deepEqual(iterable.headers, [["Transfer-Encoding", "chunked"]]);
  assert.equal(await body(iterable.stream), "ab");
  assert.equal(await body(iterable.stream), "ab");

  const web = encodeRequest({ content: new Blob(["abc"]).stream() });
  assert.deepEqual(web.headers, [["Transfer-Encoding", "chunked"]]);

  const blob = encodeRequest({ content: new Blob(["abcd"]) });
  assert.deepEqual(blob.headers, [["Content-Length", "4"]]);
  assert.equal(await body(blob.stream), "abcd");

  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "file body");
    using file = await Deno.open(path);
    const fromFile = encodeRequest({ content: file });
    assert.deepEqual(fromFile.headers, [["Content-Length", "9"]]);
    assert.equal(await body(fromFile.stream), "file body");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("content of an unexpected type raises TypeError", () => {
  assert.throws(
    () => encodeRequest({ content: { a: 1 } as never }),
    { name: "TypeError", message: "Unexpected type for 'content', object" },
  );
  assert.throws(() => encodeRequest({ content: 123 as never }), TypeError);
});

Deno.test("data is url-encoded as Python's urlencode(doseq=True)", async () => {
  const { headers, stream } = encodeRequest({
    data: { a: [1, true, null, 2.5], b: "x y/z~*'()!é", "k y": "" },
  });
  // HTTPX 0.28.1 gives exactly these bytes for the same fields.
  const expected = "a=1&a=true&a=&a=2.5&b=x+y%2Fz~%2A%27%28%29%21%C3%A9&k+y=";
  assert.equal(await body(stream), expected);
  assert.deepEqual(headers, [
    ["Content-Length", String(expected.length)],
    ["Content-Type", "application/x-www-form-urlencoded"],
  ]);
  const params = encodeRequest({ data: new URLSearchParams("q=a b&q=c") });
  assert.equal(await body(params.stream), "q=a+b&q=c");
  assert.equal(
    await body(encodeRequest({ data: { f: false } }).stream),
    "f=false",
  );
});

Deno.test("json is compact, keeps non-ASCII, and refuses NaN", async () => {
  const { headers, stream } = encodeRequest({
    json: { a: 1, b: "é", c: [true, null] },
  });
  const expected = '{"a":1,"b":"é","c":[true,null]}';
  assert.equal(await body(stream), expected);
  assert.deepEqual(headers, [
    ["Content-Length", String(enc(expected).length)],
    ["Content-Type", "application/json"],
  ]);
  assert.equal(await body(encodeRequest({ json: null }).stream), "null");
  assert.equal(await body(encodeRequest({ json: "" }).stream), '""');
  assert.throws(
    () => encodeRequest({ json: { x: NaN } }),
    /Out of range float values are not JSON compliant/,
  );
  assert.throws(() => encodeRequest({ json: [Infinity] }), TypeError);
});

Deno.test("json writes small floats and -0 as Python's json.dumps", async () => {
  // Verified against HTTPX 0.28: json.dumps({"a": 1.5e-07, ...}).
  const { stream, headers } = encodeRequest({
    json: { a: 1.5e-7, b: 0.00001, c: -2.5e-10, d: 0.0001, e: -0, f: [1e-5] },
  });
  const expected =
    '{"a":1.5e-07,"b":1e-05,"c":-2.5e-10,"d":0.0001,"e":-0.0,"f":[1e-05]}';
  assert.equal(await body(stream), expected);
  assert.equal(headers[0][1], String(enc(expected).length));
  // A string that looks like the internal marker is left alone.
  assert.equal(
    await body(encodeRequest({ json: ["\u0000float-x-0", 1e-7] }).stream),
    '["\\u0000float-x-0",1e-07]',
  );
});

Deno.test("files (with data) become multipart with its headers", async () => {
  const { headers, stream } = encodeRequest({
    data: { field: "value" },
    files: { file: ["a.txt", "content"] },
    boundary: "XyZ",
  });
  assert.ok(stream instanceof MultipartStream);
  const text = await body(stream);
  assert.equal(
    text,
    '--XyZ\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n' +
      "Content-Type: text/plain\r\n\r\ncontent\r\n--XyZ--\r\n",
  );
  assert.deepEqual(headers, [
    ["Content-Length", String(enc(text).length)],
    ["Content-Type", "multipart/form-data; boundary=XyZ"],
  ]);
  const several = await body(
    encodeRequest({
      files: [["f", ["1.txt", "one"]], ["f", ["2.txt", "two"]]],
      boundary: "B",
    }).stream,
  );
  assert.equal(several.split('name="f"').length, 3);
});

Deno.test("precedence: content, then files, then data, then json", async () => {
  assert.equal(
    await body(
      encodeRequest({ content: "raw", data: { a: "1" }, json: { b: 2 } })
        .stream,
    ),
    "raw",
  );
  assert.ok(
    encodeRequest({ files: { f: "x" }, data: { a: "1" }, json: 1 })
      .stream instanceof
      MultipartStream,
  );
  assert.equal(
    await body(encodeRequest({ data: { a: "1" }, json: { b: 2 } }).stream),
    "a=1",
  );
  // `data` that is not form fields is sent as content, as HTTPX does.
  const raw = encodeRequest({ data: "raw text" as never });
  assert.deepEqual(raw.headers, [["Content-Length", "8"]]);
  assert.equal(await body(raw.stream), "raw text");
  assert.equal(
    dec(
      (encodeRequest({ data: enc("b") as never }).stream as BytesStream).bytes,
    ),
    "b",
  );
});

Deno.test("encodeResponse: content, text, html and json", async () => {
  assert.deepEqual(encodeResponse({ text: "hé" }).headers, [
    ["Content-Length", "3"],
    ["Content-Type", "text/plain; charset=utf-8"],
  ]);
  assert.deepEqual(encodeResponse({ html: "<p>" }).headers, [
    ["Content-Length", "3"],
    ["Content-Type", "text/html; charset=utf-8"],
  ]);
  const json = encodeResponse({ json: { a: [1] } });
  assert.equal(await body(json.stream), '{"a":[1]}');
  assert.deepEqual(json.headers[1], ["Content-Type", "application/json"]);
  assert.deepEqual(encodeResponse({ content: "x", text: "y" }).headers, [
    ["Content-Length", "1"],
  ]);
  assert.deepEqual(encodeResponse().headers, []);
});
