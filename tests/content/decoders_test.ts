import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { DecodingError, ReadError } from "../../src/errors.ts";
import {
  ACCEPT_ENCODING,
  decodeContent,
  parseContentEncoding,
  SUPPORTED_ENCODINGS,
} from "../../src/content/decoders.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const fixture = (name: string) =>
  Deno.readFile(new URL(`../testdata/content/${name}`, import.meta.url));

const zstdCompress = (zlib as unknown as {
  zstdCompressSync(data: Uint8Array): Uint8Array;
}).zstdCompressSync;

/** Compress with the web's CompressionStream. */
async function compress(format: string, data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(
      new CompressionStream(format as CompressionFormat),
    );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Yield `data` in pieces of `size` bytes. */
async function* pieces(data: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function* empty(): AsyncGenerator<Uint8Array> {}

async function* blanks(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(0);
  yield new Uint8Array(0);
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk.slice());
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

const body = enc("Hello, world! ".repeat(500) + "é😀");

Deno.test("identity and no coding return the source itself", () => {
  const source = pieces(body);
  assert.equal(decodeContent(source, null), source);
  assert.equal(decodeContent(source, undefined), source);
  assert.equal(decodeContent(source, ""), source);
  assert.equal(decodeContent(source, "identity"), source);
  assert.equal(decodeContent(source, "unknown, identity"), source);
});

Deno.test("parseContentEncoding keeps known codings in order", () => {
  assert.deepEqual(parseContentEncoding(" GZIP , br,foo,identity, zstd"), [
    "gzip",
    "br",
    "zstd",
  ]);
  assert.deepEqual(parseContentEncoding("x-gzip"), ["gzip"]);
  assert.deepEqual(SUPPORTED_ENCODINGS, ["gzip", "deflate", "br", "zstd"]);
  assert.equal(ACCEPT_ENCODING, "gzip, deflate, br, zstd");
});

Deno.test("gzip is decoded, also in small pieces and as x-gzip", async () => {
  const compressed = await compress("gzip", body);
  assert.deepEqual(
    await readAll(decodeContent(pieces(compressed), "gzip")),
    body,
  );
  assert.deepEqual(
    await readAll(decodeContent(pieces(compressed, 1), "x-gzip")),
    body,
  );
});

Deno.test("deflate is decoded zlib-wrapped and raw", async () => {
  const wrapped = await compress("deflate", body);
  const raw = await compress("deflate-raw", body);
  assert.deepEqual(
    await readAll(decodeContent(pieces(wrapped), "deflate")),
    body,
  );
  assert.deepEqual(await readAll(decodeContent(pieces(raw), "deflate")), body);
  // The zlib header is found even when it arrives one byte at a time.
  assert.deepEqual(
    await readAll(decodeContent(pieces(wrapped, 1), "deflate")),
    body,
  );
});

Deno.test("br is decoded", async () => {
  const compressed = new Uint8Array(zlib.brotliCompressSync(body));
  assert.deepEqual(
    await readAll(decodeContent(pieces(compressed), "br")),
    body,
  );
});

Deno.test("zstd is decoded, including several frames", async () => {
  const compressed = new Uint8Array(zstdCompress(body));
  assert.deepEqual(
    await readAll(decodeContent(pieces(compressed), "zstd")),
    body,
  );
  const frames = new Uint8Array([
    ...zstdCompress(enc("foo")),
    ...zstdCompress(enc("bar")),
  ]);
  assert.deepEqual(
    await readAll(decodeContent(pieces(frames, 3), "zstd")),
    enc("foobar"),
  );
});

Deno.test("fixtures compressed by Python decode to the same bytes", async () => {
  const expected = await fixture("sample.txt");
  const cases: Array<[string, string]> = [
    ["sample.txt.gz", "gzip"],
    ["sample.txt.zlib", "deflate"],
    ["sample.txt.deflate", "deflate"],
    ["sample.txt.br", "br"],
    ["sample.txt.gz.br", "gzip, br"],
  ];
  for (const [name, coding] of cases) {
    const data = await fixture(name);
    assert.deepEqual(
      await readAll(decodeContent(pieces(data, 5), coding)),
      expected,
      name,
    );
  }
});

Deno.test("stacked codings are undone in reverse order", async () => {
  const gz = await compress("gzip", body);
  const gzThenBr = new Uint8Array(zlib.brotliCompressSync(gz));
  assert.deepEqual(
    await readAll(decodeContent(pieces(gzThenBr), "gzip, br")),
    body,
  );
  const brThenDeflate = await compress(
    "deflate",
    new Uint8Array(zlib.brotliCompressSync(body)),
  );
  assert.deepEqual(
    await readAll(
      decodeContent(pieces(brThenDeflate), "br, identity, deflate"),
    ),
    body,
  );
  const zstdThenGzip = await compress(
    "gzip",
    new Uint8Array(zstdCompress(body)),
  );
  assert.deepEqual(
    await readAll(decodeContent(pieces(zstdThenGzip), "zstd,gzip")),
    body,
  );
});

Deno.test("an empty body decodes to nothing whatever the coding", async () => {
  for (const coding of ["gzip", "deflate", "br", "zstd", "gzip, br"]) {
    assert.deepEqual(
      await readAll(decodeContent(empty(), coding)),
      new Uint8Array(0),
    );
    assert.deepEqual(
      await readAll(decodeContent(blanks(), coding)),
      new Uint8Array(0),
    );
  }
});

Deno.test("unknown codings pass the bytes through untouched", async () => {
  const compressed = await compress("gzip", body);
  // "foo" is ignored; gzip is still decoded.
  assert.deepEqual(
    await readAll(decodeContent(pieces(compressed), "foo, gzip")),
    body,
  );
  assert.deepEqual(
    await readAll(decodeContent(pieces(body), "compress")),
    body,
  );
});

Deno.test("corrupt data raises DecodingError with the cause kept", async () => {
  const junk = enc("this is not compressed at all, not even a little");
  for (const coding of ["gzip", "deflate", "br", "zstd"]) {
    try {
      await readAll(decodeContent(pieces(junk), coding));
      assert.fail(`${coding} accepted junk`);
    } catch (e) {
      assert.ok(e instanceof DecodingError, coding);
      assert.ok(e.cause !== undefined, coding);
      assert.ok(e.message.startsWith(`Unable to decode ${coding} content`));
    }
  }
});

Deno.test("zstd frames of many blocks are followed to their end", async () => {
  // Incompressible data larger than one 128 KiB block.
  const random = new Uint8Array(300_000);
  for (let i = 0; i < random.length; i += 65536) {
    crypto.getRandomValues(random.subarray(i, i + 65536));
  }
  const compressed = new Uint8Array(zstdCompress(random));
  assert.deepEqual(
    await readAll(decodeContent(pieces(compressed, 4096), "zstd")),
    random,
  );
  await assert.rejects(
    () =>
      readAll(
        decodeContent(pieces(compressed.subarray(0, 200_000), 4096), "zstd"),
      ),
    DecodingError,
  );
});

Deno.test("truncated zstd raises DecodingError: data is incomplete", async () => {
  const compressed = new Uint8Array(zstdCompress(body));
  for (const cut of [1, 4, compressed.length - 10, compressed.length - 1]) {
    await assert.rejects(
      () =>
        readAll(decodeContent(pieces(compressed.subarray(0, cut), 64), "zstd")),
      (e: unknown) =>
        e instanceof DecodingError &&
        /Zstandard data is incomplete/.test(e.message),
      `cut at ${cut}`,
    );
  }
});

Deno.test("truncated gzip and br raise DecodingError", async () => {
  const gz = await compress("gzip", body);
  await assert.rejects(
    () => readAll(decodeContent(pieces(gz.subarray(0, gz.length - 6)), "gzip")),
    DecodingError,
  );
  const br = new Uint8Array(zlib.brotliCompressSync(body));
  await assert.rejects(
    () => readAll(decodeContent(pieces(br.subarray(0, br.length - 3)), "br")),
    DecodingError,
  );
});

Deno.test("errors from the source pass through unwrapped", async () => {
  const gz = await compress("gzip", body);
  async function* failing() {
    yield gz.subarray(0, 20);
    throw new ReadError("connection reset");
  }
  await assert.rejects(
    () => readAll(decodeContent(failing(), "gzip")),
    (e: unknown) => e instanceof ReadError && !(e instanceof DecodingError),
  );
  // deno-lint-ignore require-yield
  async function* failsFirst(): AsyncGenerator<Uint8Array> {
    throw new ReadError("reset before any byte");
  }
  await assert.rejects(
    () => readAll(decodeContent(failsFirst(), "br")),
    ReadError,
  );
});

Deno.test("stopping early closes the source", async () => {
  const zeros = new Uint8Array(1 << 20);
  const encoded: Record<string, Uint8Array> = {
    gzip: await compress("gzip", zeros),
    deflate: await compress("deflate", zeros),
    br: new Uint8Array(zlib.brotliCompressSync(zeros)),
    zstd: new Uint8Array(zstdCompress(zeros)),
  };
  for (const [coding, data] of Object.entries(encoded)) {
    let closed = false;
    const source = async function* () {
      try {
        yield* pieces(data, 16);
      } finally {
        closed = true;
      }
    };
    for await (const _ of decodeContent(source(), coding)) break;
    assert.equal(closed, true, coding);
  }
});

Deno.test("decoding streams: output arrives before the input ends", async () => {
  const big = new Uint8Array(4 << 20).map((_, i) => (i * 7) % 256);
  const gz = await compress("gzip", big);
  let consumed = 0;
  async function* source() {
    for (let i = 0; i < gz.length; i += 1024) {
      consumed = i;
      yield gz.slice(i, i + 1024);
    }
  }
  let firstAt = -1;
  let total = 0;
  for await (const chunk of decodeContent(source(), "gzip")) {
    if (firstAt < 0) firstAt = consumed;
    total += chunk.byteLength;
  }
  assert.equal(total, big.length);
  assert.ok(firstAt < gz.length - 1024, "first output only at the end");
});
