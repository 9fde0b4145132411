import assert from "node:assert/strict";
import { StreamConsumed } from "../../src/errors.ts";
import {
  BytesStream,
  CHUNK_SIZE,
  fileToByteStream,
  isFsFile,
  rechunk,
  rechunkText,
  toByteStream,
} from "../../src/content/streams.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function text(it: AsyncIterable<Uint8Array>): Promise<string> {
  return (await collect(it)).map(dec).join("");
}

async function* gen(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield enc(p);
}

Deno.test("BytesStream yields its bytes once per iteration, any number of times", async () => {
  const bytes = enc("hello");
  const stream = new BytesStream(bytes);
  assert.equal(stream.bytes, bytes);
  assert.equal(stream.size, 5);
  for (let i = 0; i < 3; i++) {
    const chunks = await collect(stream);
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0], bytes);
  }
  assert.deepEqual(await collect(new BytesStream()), []);
});

Deno.test("toByteStream: strings are UTF-8, buffers and views become BytesStream", () => {
  const s = toByteStream("héllo");
  assert.ok(s instanceof BytesStream);
  assert.deepEqual((s as BytesStream).bytes, enc("héllo"));
  assert.equal(s.size, 6);

  const ab = new Uint8Array([1, 2, 3]).buffer;
  assert.deepEqual(
    (toByteStream(ab) as BytesStream).bytes,
    new Uint8Array([1, 2, 3]),
  );

  const big = new Uint16Array([0x0201, 0x0403]);
  const view = toByteStream(new DataView(big.buffer, 1, 2)) as BytesStream;
  assert.deepEqual(Array.from(view.bytes), [2, 3]);
});

Deno.test("toByteStream: a Blob has its size and can be read again", async () => {
  const blob = new Blob(["abc", enc("def")]);
  const stream = toByteStream(blob);
  assert.equal(stream.size, 6);
  assert.equal(stream.replayable, true);
  assert.equal(await text(stream), "abcdef");
  assert.equal(await text(stream), "abcdef");
});

Deno.test("toByteStream: a ReadableStream is one-shot", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc("ab"));
      c.enqueue(new Uint8Array(0));
      c.enqueue(enc("cd"));
      c.close();
    },
  });
  const stream = toByteStream(body);
  assert.equal(stream.size, null);
  assert.equal(stream.replayable, false);
  assert.deepEqual((await collect(stream)).map(dec), ["ab", "cd"]);
  await assert.rejects(() => collect(stream), StreamConsumed);
});

Deno.test("toByteStream: breaking out of a ReadableStream cancels it", async () => {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(enc("x"));
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const _ of toByteStream(body)) break;
  assert.equal(cancelled, true);
});

Deno.test("toByteStream: generators are one-shot, arrays and other iterables replay", async () => {
  const g = toByteStream(gen("a", "b"));
  assert.equal(g.replayable, false);
  assert.equal(await text(g), "ab");
  await assert.rejects(() => collect(g), StreamConsumed);

  function* syncGen() {
    yield enc("x");
    yield enc("y");
  }
  const sg = toByteStream(syncGen());
  assert.equal(await text(sg), "xy");
  await assert.rejects(() => collect(sg), StreamConsumed);

  const arr = toByteStream([enc("1"), enc("2")]);
  assert.equal(arr.replayable, true);
  assert.equal(await text(arr), "12");
  assert.equal(await text(arr), "12");

  const custom = {
    async *[Symbol.asyncIterator]() {
      yield enc("z");
    },
  };
  const cs = toByteStream(custom);
  assert.equal(await text(cs), "z");
  assert.equal(await text(cs), "z");
});

Deno.test("toByteStream: rejects plain objects and non-byte chunks", async () => {
  assert.throws(
    () => toByteStream({ a: 1 } as never),
    { name: "TypeError", message: "Unexpected type for 'content', object" },
  );
  assert.throws(() => toByteStream(42 as never), TypeError);
  assert.throws(() => toByteStream(null as never), TypeError);
  await assert.rejects(
    () => collect(toByteStream([1, 2] as never)),
    TypeError,
  );
});

Deno.test("toByteStream: a Deno.FsFile streams in 64 KiB chunks from its position and replays", async () => {
  const path = await Deno.makeTempFile();
  try {
    const data = new Uint8Array(CHUNK_SIZE * 2 + 100);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    await Deno.writeFile(path, data);
    using file = await Deno.open(path);
    assert.ok(isFsFile(file));
    await file.seek(10, Deno.SeekMode.Start);
    const stream = toByteStream(file);
    assert.equal(stream.size, data.length - 10);
    assert.equal(stream.replayable, true);
    for (let pass = 0; pass < 2; pass++) {
      const chunks = await collect(stream);
      assert.ok(chunks.every((c) => c.byteLength <= CHUNK_SIZE));
      const total = chunks.reduce((n, c) => n + c.byteLength, 0);
      assert.equal(total, data.length - 10);
      assert.deepEqual(chunks[0].subarray(0, 5), data.subarray(10, 15));
    }
    // As a multipart file, it is read from the very start.
    const whole = fileToByteStream(file);
    assert.equal(whole.size, data.length);
    const first = (await collect(whole))[0];
    assert.deepEqual(first.subarray(0, 5), data.subarray(0, 5));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("isFsFile is false for other values", () => {
  assert.equal(isFsFile(new Uint8Array(1)), false);
  assert.equal(isFsFile({ read() {}, seek() {} }), false);
  assert.equal(isFsFile(null), false);
});

Deno.test("rechunk without a size passes non-empty chunks through", async () => {
  const a = enc("ab");
  const out = await collect(
    rechunk((async function* () {
      yield a;
      yield new Uint8Array(0);
      yield enc("c");
    })()),
  );
  assert.equal(out.length, 2);
  assert.equal(out[0], a);
});

Deno.test("rechunk with a size gives exact chunks, the last one shorter", async () => {
  const sizes = async (size: number, ...parts: string[]) =>
    (await collect(rechunk(gen(...parts), size))).map(dec);
  assert.deepEqual(await sizes(4, "0123456789"), ["0123", "4567", "89"]);
  assert.deepEqual(await sizes(4, "01", "2", "", "34567", "8"), [
    "0123",
    "4567",
    "8",
  ]);
  assert.deepEqual(await sizes(3, "abc", "def"), ["abc", "def"]);
  assert.deepEqual(await sizes(5), []);
  assert.deepEqual(await sizes(1, "xyz"), ["x", "y", "z"]);
  await assert.rejects(() => collect(rechunk(gen("a"), 0)), RangeError);
});

Deno.test("rechunk copies a held remainder, so a reused source buffer is safe", async () => {
  const buffer = new Uint8Array(3);
  async function* reusing() {
    for (const s of ["abc", "def", "ghi"]) {
      buffer.set(enc(s));
      yield buffer;
    }
  }
  // Each chunk is read before the next is asked for, as a consumer must.
  const out: string[] = [];
  for await (const chunk of rechunk(reusing(), 2)) out.push(dec(chunk));
  assert.deepEqual(out, ["ab", "cd", "ef", "gh", "i"]);
});

Deno.test("rechunkText counts characters and never splits a surrogate pair", async () => {
  async function* parts(...p: string[]) {
    yield* p;
  }
  assert.deepEqual(await collect(rechunkText(parts("abc", "", "defg"))), [
    "abc",
    "defg",
  ]);
  assert.deepEqual(await collect(rechunkText(parts("0123456789"), 4)), [
    "0123",
    "4567",
    "89",
  ]);
  // "😀" is two UTF-16 units but one character, as Python counts.
  assert.deepEqual(await collect(rechunkText(parts("a😀b😀", "c"), 2)), [
    "a😀",
    "b😀",
    "c",
  ]);
  // A pair split across the input pieces is joined.
  assert.deepEqual(
    await collect(rechunkText(parts("a\ud83d", "\ude00b"), 2)),
    ["a😀", "b"],
  );
});
