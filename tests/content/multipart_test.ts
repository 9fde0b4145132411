import assert from "node:assert/strict";
import { StreamConsumed } from "../../src/errors.ts";
import {
  boundaryFromContentType,
  MultipartStream,
} from "../../src/content/multipart.ts";
import { guessMediaType } from "../../src/content/_mime.ts";
import { CHUNK_SIZE } from "../../src/content/streams.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

Deno.test("multipart body matches HTTPX byte for byte", async () => {
  // The same request as tests/testdata/content/multipart_python.bin, which
  // HTTPX 0.28.1 rendered.
  const stream = new MultipartStream({
    boundary: "fixed-boundary",
    data: { a: ["1", "2"], b: true, c: null, d: 2.5 },
    files: [
      ["f", ['a"b\\c\x01\x1b\x7fé.txt', enc("xx")]],
      ["f", ["data.bin", new Uint8Array([0, 1])]],
      ["g", [null, enc("plain")]],
      ["h", ["pic.PNG", enc("img"), "image/custom", { "X-Extra": "1" }]],
      ["i", ["x.csv", enc("c"), null, { "content-type": "text/foo" }]],
    ],
  });
  const expected = await Deno.readFile(
    new URL("../testdata/content/multipart_python.bin", import.meta.url),
  );
  const body = await readAll(stream);
  assert.equal(dec(body), dec(expected));
  assert.deepEqual(body, expected);
  assert.equal(stream.size, expected.length);
  assert.deepEqual(stream.headers(), [
    ["Content-Length", String(expected.length)],
    ["Content-Type", "multipart/form-data; boundary=fixed-boundary"],
  ]);
});

Deno.test("a random boundary is 32 hex digits, and differs each time", () => {
  const a = new MultipartStream({ files: { f: enc("x") } });
  const b = new MultipartStream({ files: { f: enc("x") } });
  assert.match(a.boundary, /^[0-9a-f]{32}$/);
  assert.notEqual(a.boundary, b.boundary);
  assert.equal(a.contentType, `multipart/form-data; boundary=${a.boundary}`);
});

Deno.test("bare file values: name from a File, else upload; type from the name", async () => {
  const stream = new MultipartStream({
    boundary: "B",
    files: {
      one: new File(["<p>"], "dir/page.html"),
      two: "text content",
      three: new Blob(["blob"]),
    },
  });
  const body = dec(await readAll(stream));
  assert.equal(
    body,
    '--B\r\nContent-Disposition: form-data; name="one"; filename="page.html"\r\n' +
      "Content-Type: text/html\r\n\r\n<p>\r\n" +
      '--B\r\nContent-Disposition: form-data; name="two"; filename="upload"\r\n' +
      "Content-Type: application/octet-stream\r\n\r\ntext content\r\n" +
      '--B\r\nContent-Disposition: form-data; name="three"; filename="upload"\r\n' +
      "Content-Type: application/octet-stream\r\n\r\nblob\r\n" +
      "--B--\r\n",
  );
  assert.equal(stream.size, enc(body).length);
});

Deno.test("file name escaping: quotes, backslashes and control characters", async () => {
  const names: Array<[string, string]> = [
    ["ascii.txt", "ascii.txt"],
    ["unicode-文件.txt", "unicode-文件.txt"],
    ['q"uote\\s', "q%22uote\\\\s"],
    ["ctl\x00\x1f\x1b\n", "ctl%00%1F\x1b%0A"],
  ];
  for (const [name, escaped] of names) {
    const body = dec(
      await readAll(
        new MultipartStream({
          boundary: "B",
          files: { [name]: [name, enc("x"), "text/plain"] },
        }),
      ),
    );
    assert.ok(
      body.includes(`name="${escaped}"; filename="${escaped}"\r\n`),
      body,
    );
  }
});

Deno.test("a null file name sends a plain field unless a type is given", async () => {
  const body = dec(
    await readAll(
      new MultipartStream({
        boundary: "B",
        files: [["a", [null, enc("1")]], ["b", [null, enc("2"), "text/x"]]],
      }),
    ),
  );
  assert.equal(
    body,
    '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' +
      '--B\r\nContent-Disposition: form-data; name="b"\r\nContent-Type: text/x\r\n\r\n2\r\n' +
      "--B--\r\n",
  );
});

Deno.test("data values: numbers, booleans, null, bytes and URLSearchParams", async () => {
  const body = dec(
    await readAll(
      new MultipartStream({
        boundary: "B",
        data: { n: 1, t: true, f: false, z: null, raw: enc("bytes") },
        files: { x: enc("") },
      }),
    ),
  );
  for (
    const [name, value] of [["n", "1"], ["t", "true"], ["f", "false"], [
      "z",
      "",
    ], ["raw", "bytes"]]
  ) {
    assert.ok(
      body.includes(`name="${name}"\r\n\r\n${value}\r\n`),
      `${name}: ${body}`,
    );
  }
  const params = dec(
    await readAll(
      new MultipartStream({
        boundary: "B",
        data: new URLSearchParams([["k", "1"], ["k", "2"]]),
        files: { x: enc("") },
      }),
    ),
  );
  assert.equal(params.split('name="k"').length, 3);
});

Deno.test("invalid data values and field names raise TypeError", () => {
  assert.throws(
    () => new MultipartStream({ data: { a: { b: 1 } as never }, files: {} }),
    {
      name: "TypeError",
      message:
        "Invalid type for value. Expected primitive type, got object: [object Object]",
    },
  );
  assert.throws(
    () => new MultipartStream({ files: [[1 as never, enc("x")]] }),
    /Invalid type for name. Expected str, got number: 1/,
  );
});

Deno.test("media types are guessed from the extension, as Python's mimetypes", () => {
  assert.equal(guessMediaType("a.PNG"), "image/png");
  assert.equal(guessMediaType("x/y/report.pdf"), "application/pdf");
  assert.equal(guessMediaType("a.tar.gz"), "application/x-tar");
  assert.equal(guessMediaType("a.tgz"), "application/x-tar");
  assert.equal(guessMediaType("a.gz"), null);
  assert.equal(guessMediaType("noext"), null);
  assert.equal(guessMediaType(".bashrc"), null);
  assert.equal(guessMediaType("a.unknownext"), null);
  assert.equal(guessMediaType("a.json"), "application/json");
  // Verified against HTTPX 0.28 on Debian (mimetypes with /etc/mime.types).
  const cases: Array<[string, string | null]> = [
    ["a.exe", "application/x-msdos-program"],
    ["a.sh", "text/x-sh"],
    ["a.opus", "audio/ogg"],
    ["a.ps", "application/postscript"],
    ["a.tsv", "text/tab-separated-values"],
    ["a.m3u8", "application/vnd.apple.mpegurl"],
    ["a.xml", "application/xml"],
    ["a.c", "text/x-csrc"],
    ["a.weba", null],
  ];
  for (const [name, type] of cases) {
    assert.equal(guessMediaType(name), type, name);
  }
});

Deno.test("unknown sizes make the body chunked", async () => {
  async function* gen() {
    yield enc("abc");
  }
  const stream = new MultipartStream({
    boundary: "B",
    files: { a: ["a.txt", gen()] },
  });
  assert.equal(stream.size, null);
  assert.deepEqual(stream.headers()[0], ["Transfer-Encoding", "chunked"]);
  assert.ok(dec(await readAll(stream)).includes("\r\n\r\nabc\r\n--B--\r\n"));
});

Deno.test("replayable sources can be sent again; one-shot ones raise StreamConsumed", async () => {
  const replay = new MultipartStream({
    files: { a: new Blob(["blob"]), b: enc("bytes"), c: "text" },
  });
  assert.equal(replay.replayable, true);
  assert.deepEqual(await readAll(replay), await readAll(replay));

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(enc("once"));
      c.close();
    },
  });
  const once = new MultipartStream({ files: { a: ["a", body] } });
  assert.equal(once.replayable, false);
  assert.ok(dec(await readAll(once)).includes("once"));
  await assert.rejects(() => readAll(once), StreamConsumed);
});

Deno.test("boundaryFromContentType", () => {
  assert.equal(
    boundaryFromContentType("multipart/form-data; boundary=abc"),
    "abc",
  );
  assert.equal(
    boundaryFromContentType('multipart/form-data; charset=x; BOUNDARY="q-b"'),
    "q-b",
  );
  assert.equal(boundaryFromContentType("multipart/form-data"), null);
  assert.equal(boundaryFromContentType("text/plain; boundary=x"), null);
  assert.equal(boundaryFromContentType(undefined), null);
});

Deno.test("a 64 MiB file is streamed in chunks of at most 64 KiB, and rewound", async () => {
  const path = await Deno.makeTempFile({ suffix: ".bin" });
  const size = 64 * 1024 * 1024;
  try {
    {
      using file = await Deno.open(path, { write: true });
      const block = new Uint8Array(1024 * 1024).map((_, i) => i % 256);
      for (let written = 0; written < size; written += block.length) {
        let offset = 0;
        while (offset < block.length) {
          offset += await file.write(block.subarray(offset));
        }
      }
    }
    using file = await Deno.open(path);
    await file.seek(12345, Deno.SeekMode.Start);
    const stream = new MultipartStream({
      boundary: "B",
      data: { title: "big" },
      files: { upload: ["big.bin", file] },
    });
    const head = enc(
      '--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nbig\r\n' +
        '--B\r\nContent-Disposition: form-data; name="upload"; filename="big.bin"\r\n' +
        "Content-Type: application/octet-stream\r\n\r\n",
    );
    const tail = enc("\r\n--B--\r\n");
    assert.equal(stream.size, head.length + size + tail.length);
    for (let pass = 0; pass < 2; pass++) {
      let total = 0;
      let largest = 0;
      let fileBytes = 0;
      let firstFileByte = -1;
      for await (const chunk of stream) {
        total += chunk.byteLength;
        largest = Math.max(largest, chunk.byteLength);
        if (chunk.byteLength === CHUNK_SIZE || fileBytes > 0) {
          if (firstFileByte < 0) firstFileByte = chunk[0];
          fileBytes += chunk.byteLength;
        }
      }
      assert.equal(total, stream.size);
      assert.ok(largest <= CHUNK_SIZE, `chunk of ${largest} bytes`);
      // The file is read from its start, whatever its position was.
      assert.equal(firstFileByte, 0);
    }
  } finally {
    await Deno.remove(path);
  }
});
