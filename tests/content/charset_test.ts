import assert from "node:assert/strict";
import {
  charsetFromContentType,
  createTextDecoder,
  decodeText,
  decodeTextStream,
  detectJsonEncoding,
  isKnownEncoding,
  jsonFromBytes,
  normalizeEncoding,
} from "../../src/content/charset.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("charsetFromContentType follows email.message's get_content_charset", () => {
  // Each expectation was checked against Python 3.11.
  const cases: Array<[string | undefined | null, string | null]> = [
    ["text/plain; charset=UTF-8", "utf-8"],
    ['text/plain; charset="ISO-8859-1"', "iso-8859-1"],
    ["text/plain;charset='utf-8'", "'utf-8'"],
    ["text/plain; CHARSET = utf-8 ", "utf-8"],
    ["text/plain", null],
    ["text/plain; charset=", ""],
    ['text/plain; charset="a;b"; x=1', "a;b"],
    ['text/plain; foo="x;charset=bad"; charset=good', "good"],
    ["text/plain; charset=utf-8; charset=latin1", "utf-8"],
    ["text/plain; charset*=utf-8''iso-8859-1", "iso-8859-1"],
    ["charset=utf-8", "utf-8"],
    ['text/plain; charset="utf\\"8"', 'utf"8'],
    ["text/plain; charset=  utf-8  ;", "utf-8"],
    ['text/plain; charset = "utf-8"', "utf-8"],
    ["text/plain; charset=ütf-8", null],
    [undefined, null],
    [null, null],
  ];
  for (const [input, expected] of cases) {
    assert.equal(charsetFromContentType(input), expected, String(input));
  }
});

Deno.test("encoding names are looked up under Python's spellings", () => {
  for (const name of ["utf-8", "UTF8", "utf_8", "U8", "cp65001"]) {
    assert.equal(normalizeEncoding(name), "utf_8", name);
  }
  for (const name of ["latin-1", "ISO-8859-1", "iso8859_1", "l1", "latin1"]) {
    assert.equal(normalizeEncoding(name), "latin_1", name);
  }
  assert.equal(normalizeEncoding("windows-1252"), "cp1252");
  assert.equal(normalizeEncoding("Shift_JIS"), "shift_jis");
  assert.equal(normalizeEncoding("us-ascii"), "ascii");
  assert.equal(normalizeEncoding("utf-8-sig"), "utf_8_sig");
  assert.equal(isKnownEncoding("invalid-codec-name"), false);
  assert.equal(isKnownEncoding(""), false);
  assert.equal(isKnownEncoding("koi8-r"), true);
  assert.throws(() => decodeText(enc("x"), "nope"), RangeError);
});

Deno.test("latin-1 and ascii decode as Python does, not as windows-1252", () => {
  const bytes = new Uint8Array([0x41, 0x80, 0xe9, 0xff]);
  assert.equal(decodeText(bytes, "latin-1"), "A\x80\xe9\xff");
  assert.equal(decodeText(bytes, "ascii"), "A\ufffd\ufffd\ufffd");
  assert.equal(decodeText(bytes, "cp1252"), "A\u20ac\xe9\xff");
});

Deno.test("UTF-8 keeps a BOM, utf-8-sig drops it, bad bytes become U+FFFD", () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
  assert.equal(decodeText(bom, "utf-8"), "\ufeffa");
  assert.equal(decodeText(bom, "utf-8-sig"), "a");
  assert.equal(decodeText(new Uint8Array([0x61, 0xff, 0x62])), "a\ufffdb");
});

Deno.test("UTF-16 and UTF-32 read the byte order from a BOM", () => {
  const le = new Uint8Array([0xff, 0xfe, 0x61, 0x00]);
  const be = new Uint8Array([0xfe, 0xff, 0x00, 0x61]);
  assert.equal(decodeText(le, "utf-16"), "a");
  assert.equal(decodeText(be, "utf-16"), "a");
  assert.equal(decodeText(new Uint8Array([0x61, 0x00]), "utf-16"), "a");
  assert.equal(decodeText(le, "utf-16-le"), "\ufeffa");
  const u32be = new Uint8Array([0, 0, 0xfe, 0xff, 0, 1, 0xf6, 0x00]);
  assert.equal(decodeText(u32be, "utf-32"), "😀");
  const u32le = new Uint8Array([0x00, 0xf6, 0x01, 0x00, 0x61, 0, 0, 0]);
  assert.equal(decodeText(u32le, "utf-32-le"), "😀a");
  assert.equal(decodeText(u32le, "utf-32"), "😀a");
  assert.equal(decodeText(new Uint8Array([0x61, 0, 0]), "utf-32"), "\ufffd");
  assert.equal(
    decodeText(new Uint8Array([0, 0x11, 0, 0]), "utf-32-be"),
    "\ufffd",
  );
});

Deno.test("incremental decoders keep split characters until complete", () => {
  const bytes = enc("é😀");
  for (const encoding of ["utf-8", "utf-16", "utf-32"]) {
    const whole = encoding === "utf-8" ? bytes : encodeAs(encoding, "é😀");
    const decoder = createTextDecoder(encoding);
    let out = "";
    for (const byte of whole) out += decoder.decode(new Uint8Array([byte]));
    out += decoder.flush();
    assert.equal(out, "é😀", encoding);
  }
  const decoder = createTextDecoder("utf-8");
  assert.equal(decoder.decode(new Uint8Array([0xc3])), "");
  assert.equal(decoder.flush(), "\ufffd");
});

function encodeAs(encoding: string, text: string): Uint8Array {
  const codes = Array.from(text, (c) => c.codePointAt(0)!);
  if (encoding === "utf-32") {
    const out = new Uint8Array(codes.length * 4);
    const view = new DataView(out.buffer);
    codes.forEach((c, i) => view.setUint32(i * 4, c, true));
    return out;
  }
  const out = new Uint8Array(text.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) {
    view.setUint16(i * 2, text.charCodeAt(i), true);
  }
  return out;
}

Deno.test("decodeTextStream decodes across chunks and re-chunks by characters", async () => {
  async function* source() {
    const bytes = enc("aé😀bc");
    for (const byte of bytes) yield new Uint8Array([byte]);
  }
  const pieces: string[] = [];
  for await (const p of decodeTextStream(source(), "utf-8")) pieces.push(p);
  assert.equal(pieces.join(""), "aé😀bc");
  assert.ok(pieces.every((p) => p.length > 0));

  const sized: string[] = [];
  for await (const p of decodeTextStream(source(), "utf-8", 2)) sized.push(p);
  assert.deepEqual(sized, ["aé", "😀b", "c"]);

  async function* latin() {
    yield new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
  }
  const l: string[] = [];
  for await (const p of decodeTextStream(latin(), "iso-8859-1")) l.push(p);
  assert.deepEqual(l, ["café"]);
});

Deno.test("jsonFromBytes detects UTF-8/16/32 with and without BOM", () => {
  const value = { "a": "é😀", "b": [1, 2] };
  const text = JSON.stringify(value);
  const variants: Array<[string, Uint8Array]> = [
    ["utf-8", enc(text)],
    ["utf-8-sig", new Uint8Array([0xef, 0xbb, 0xbf, ...enc(text)])],
    ["utf-16-le", encode16(text, true, false)],
    ["utf-16-be", encode16(text, false, false)],
    ["utf-16", encode16(text, true, true)],
    ["utf-16", encode16(text, false, true)],
    ["utf-32-le", encode32(text, true, false)],
    ["utf-32-be", encode32(text, false, false)],
    ["utf-32", encode32(text, true, true)],
    ["utf-32", encode32(text, false, true)],
  ];
  for (const [encoding, bytes] of variants) {
    assert.equal(detectJsonEncoding(bytes), encoding);
    assert.deepEqual(jsonFromBytes(bytes), value, encoding);
  }
  // Two-byte documents.
  assert.equal(jsonFromBytes(encode16("1", true, false)), 1);
  assert.equal(jsonFromBytes(encode16("2", false, false)), 2);
});

Deno.test("jsonFromBytes raises SyntaxError for bad JSON and bad text", () => {
  assert.throws(() => jsonFromBytes(new Uint8Array([0, 0, 0, 0])), SyntaxError);
  assert.throws(() => jsonFromBytes(enc("{")), SyntaxError);
  assert.throws(
    () => jsonFromBytes(new Uint8Array([0x22, 0xff, 0x22])),
    SyntaxError,
  );
  assert.deepEqual(
    jsonFromBytes(
      enc('{"n": 1}'),
      (_k, v) => typeof v === "number" ? v + 1 : v,
    ),
    { n: 2 },
  );
});

function encode16(text: string, little: boolean, bom: boolean): Uint8Array {
  const units = (bom ? "\ufeff" : "") + text;
  const out = new Uint8Array(units.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < units.length; i++) {
    view.setUint16(i * 2, units.charCodeAt(i), little);
  }
  return out;
}

function encode32(text: string, little: boolean, bom: boolean): Uint8Array {
  const codes = Array.from(
    (bom ? "\ufeff" : "") + text,
    (c) => c.codePointAt(0)!,
  );
  const out = new Uint8Array(codes.length * 4);
  const view = new DataView(out.buffer);
  codes.forEach((c, i) => view.setUint32(i * 4, c, little));
  return out;
}
