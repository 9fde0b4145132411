import assert from "node:assert/strict";
import { Response } from "../../src/models/response.ts";
import { Request } from "../../src/models/request.ts";
import { Headers } from "../../src/models/headers.ts";
import { Cookies } from "../../src/models/cookies.ts";
import type { ByteStream } from "../../src/_types.ts";
import {
  DecodingError,
  HTTPStatusError,
  ReadError,
  ResponseNotRead,
  StreamClosed,
  StreamConsumed,
} from "../../src/errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);
const text = (data: Uint8Array) => decoder.decode(data);

/** A body stream that yields the given chunks and counts close() calls. */
class ChunkStream implements ByteStream {
  closed = 0;
  iterations = 0;
  #parts: Array<Uint8Array | Error>;

  constructor(...parts: Array<string | Uint8Array | Error>) {
    this.#parts = parts.map((part) =>
      typeof part === "string" ? bytes(part) : part
    );
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    this.iterations++;
    for (const part of this.#parts) {
      await Promise.resolve();
      if (part instanceof Error) throw part;
      yield part;
    }
  }

  close(): void {
    this.closed++;
  }
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(200, { content: stream }).read());
}

function utf16le(value: string, bom = false): Uint8Array {
  const out = new Uint8Array((value.length + (bom ? 1 : 0)) * 2);
  let offset = 0;
  if (bom) {
    out[0] = 0xff;
    out[1] = 0xfe;
    offset = 2;
  }
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    out[offset + i * 2] = code & 0xff;
    out[offset + i * 2 + 1] = code >> 8;
  }
  return out;
}

function utf32be(value: string): Uint8Array {
  const points = [...value].map((c) => c.codePointAt(0)!);
  const out = new Uint8Array(points.length * 4);
  const view = new DataView(out.buffer);
  points.forEach((point, i) => view.setUint32(i * 4, point));
  return out;
}

const request = () => new Request("GET", "https://example.org/path");

// Construction -------------------------------------------------------------

Deno.test("response: content given is read at once", () => {
  const response = new Response(200, {
    content: bytes("Hello, world!"),
    request: request(),
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.reasonPhrase, "OK");
  assert.equal(response.httpVersion, "HTTP/1.1");
  assert.equal(text(response.content), "Hello, world!");
  assert.equal(response.text, "Hello, world!");
  assert.equal(response.headers.get("content-length"), "13");
  assert.equal(response.isClosed, true);
  assert.equal(response.isStreamConsumed, true);
  assert.equal(String(response.url), "https://example.org/path");
});

Deno.test("response: text, html and json set their content type", () => {
  const textResponse = new Response(200, { text: "Hello, world!" });
  assert.deepEqual(textResponse.headers.wireItems(), [
    ["Content-Length", "13"],
    ["Content-Type", "text/plain; charset=utf-8"],
  ]);
  assert.equal(textResponse.text, "Hello, world!");

  const html = new Response(200, { html: "<p>é</p>" });
  assert.deepEqual(html.headers.wireItems(), [
    ["Content-Length", "9"],
    ["Content-Type", "text/html; charset=utf-8"],
  ]);
  assert.equal(html.text, "<p>é</p>");

  const json = new Response(200, { json: { hello: "world", n: [1, 2] } });
  assert.deepEqual(json.headers.wireItems(), [
    ["Content-Length", "27"],
    ["Content-Type", "application/json"],
  ]);
  assert.equal(json.text, '{"hello":"world","n":[1,2]}');
  assert.deepEqual(json.json(), { hello: "world", n: [1, 2] });
});

Deno.test("response: empty bodies", () => {
  const none = new Response(204);
  assert.equal(none.headers.size, 0);
  assert.equal(none.content.byteLength, 0);
  assert.equal(none.text, "");
  const emptyContent = new Response(200, { content: "" });
  assert.equal(emptyContent.headers.size, 0);
  const emptyText = new Response(200, { text: "" });
  assert.equal(emptyText.headers.get("content-length"), "0");
  assert.equal(emptyText.text, "");
});

Deno.test("response: user headers win over generated ones", () => {
  const response = new Response(200, {
    headers: { "Content-Type": "text/html" },
    text: "x",
  });
  assert.deepEqual(response.headers.wireItems(), [
    ["Content-Type", "text/html"],
    ["Content-Length", "1"],
  ]);
  const given = new Headers({ "X-A": "1" });
  assert.equal(new Response(200, { headers: given }).headers, given);
});

Deno.test("response: streaming content is chunked unless a length is given", async () => {
  const chunked = new Response(200, {
    content: (async function* () {
      yield bytes("a");
      yield bytes("b");
    })(),
  });
  assert.deepEqual(chunked.headers.wireItems(), [[
    "Transfer-Encoding",
    "chunked",
  ]]);
  assert.equal(chunked.isClosed, false);
  assert.throws(() => chunked.content, ResponseNotRead);
  assert.throws(() => chunked.text, ResponseNotRead);
  assert.throws(() => chunked.json(), ResponseNotRead);
  assert.equal(text(await chunked.read()), "ab");
  assert.equal(chunked.text, "ab");

  const sized = new Response(200, {
    headers: { "Content-Length": "2" },
    content: (function* () {
      yield bytes("ab");
    })(),
  });
  assert.deepEqual(sized.headers.wireItems(), [["Content-Length", "2"]]);
  await sized.close();
});

Deno.test("response: stream option adds no headers and stays unread", async () => {
  const stream = new ChunkStream("abc");
  const response = new Response(200, { stream });
  assert.equal(response.headers.size, 0);
  assert.equal(response.stream, stream);
  assert.equal(response.isClosed, false);
  assert.equal(text(await response.read()), "abc");
  assert.equal(response.isClosed, true);
  assert.equal(stream.closed, 1);
});

Deno.test("response: history is copied, nextRequest starts null", () => {
  const first = new Response(301);
  const history = [first];
  const response = new Response(200, { history });
  assert.deepEqual(response.history, [first]);
  history.push(new Response(302));
  assert.equal(response.history.length, 1);
  assert.equal(response.nextRequest, null);
  const next = request();
  response.nextRequest = next;
  assert.equal(response.nextRequest, next);
});

Deno.test("response: repr and inspect", () => {
  assert.equal(String(new Response(200)), "<Response [200 OK]>");
  assert.equal(Deno.inspect(new Response(404)), "<Response [404 Not Found]>");
  assert.equal(String(new Response(599)), "<Response [599 ]>");
});

Deno.test("response: reason phrase and version come from the extensions", () => {
  const response = new Response(200, {
    extensions: { httpVersion: "HTTP/2", reasonPhrase: "Fine" },
  });
  assert.equal(response.httpVersion, "HTTP/2");
  assert.equal(response.reasonPhrase, "Fine");
  assert.equal(new Response(600).reasonPhrase, "");
});

// Request, elapsed ---------------------------------------------------------

Deno.test("response: request must be set before use, and can be set later", () => {
  const response = new Response(200, { content: "x" });
  assert.throws(
    () => response.request,
    { message: "The request instance has not been set on this response" },
  );
  assert.throws(() => response.url, Error);
  const req = request();
  response.request = req;
  assert.equal(response.request, req);
  assert.equal(response.url, req.url);
});

Deno.test("response: elapsed is only available once set by the client", () => {
  const response = new Response(200);
  assert.throws(() => response.elapsed, {
    message:
      "'.elapsed' may only be accessed after the response has been read or closed",
  });
  response.elapsed = 0.25;
  assert.equal(response.elapsed, 0.25);
});

// Status predicates and raiseForStatus --------------------------------------

Deno.test("response: status predicates", () => {
  const table: Array<[number, string[]]> = [
    [101, ["isInformational"]],
    [200, ["isSuccess"]],
    [304, ["isRedirect"]],
    [404, ["isClientError", "isError"]],
    [503, ["isServerError", "isError"]],
    [600, []],
  ];
  const names = [
    "isInformational",
    "isSuccess",
    "isRedirect",
    "isClientError",
    "isServerError",
    "isError",
  ] as const;
  for (const [code, expected] of table) {
    const response = new Response(code);
    for (const name of names) {
      assert.equal(response[name], expected.includes(name), `${code} ${name}`);
    }
  }
});

Deno.test("response: hasRedirectLocation needs a redirect code and Location", () => {
  for (const code of [301, 302, 303, 307, 308]) {
    assert.equal(
      new Response(code, { headers: { Location: "/x" } }).hasRedirectLocation,
      true,
    );
    assert.equal(new Response(code).hasRedirectLocation, false);
  }
  for (const code of [300, 304, 305, 200]) {
    assert.equal(
      new Response(code, { headers: { Location: "/x" } }).hasRedirectLocation,
      false,
    );
  }
});

Deno.test("response: raiseForStatus messages match HTTPX", () => {
  const url = "https://example.org/path";
  const cases: Array<[number, Record<string, string>, string]> = [
    [
      101,
      {},
      `Informational response '101 Switching Protocols' for url '${url}'\n` +
      "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/101",
    ],
    [
      303,
      { Location: "/next" },
      `Redirect response '303 See Other' for url '${url}'\n` +
      "Redirect location: '/next'\n" +
      "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/303",
    ],
    [
      304,
      {},
      `Redirect response '304 Not Modified' for url '${url}'\n` +
      "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/304",
    ],
    [
      404,
      {},
      `Client error '404 Not Found' for url '${url}'\n` +
      "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404",
    ],
    [
      500,
      {},
      `Server error '500 Internal Server Error' for url '${url}'\n` +
      "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/500",
    ],
    [
      600,
      {},
      `Invalid status code '600 ' for url '${url}'\n` +
      "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/600",
    ],
  ];
  for (const [code, headers, message] of cases) {
    const req = request();
    const response = new Response(code, { headers, request: req });
    try {
      response.raiseForStatus();
      assert.fail(`no error for ${code}`);
    } catch (error) {
      assert.ok(error instanceof HTTPStatusError);
      assert.equal(error.message, message);
      assert.equal(error.request, req);
      assert.equal(error.response, response);
    }
  }
});

Deno.test("response: raiseForStatus returns the response for 2xx", () => {
  const response = new Response(204, { request: request() });
  assert.equal(response.raiseForStatus(), response);
});

Deno.test("response: raiseForStatus without a request throws", () => {
  assert.throws(() => new Response(200).raiseForStatus(), {
    message:
      "Cannot call `raiseForStatus` as the request instance has not been set on this response",
  });
});

// Encodings ----------------------------------------------------------------

Deno.test("response: charset from the content type decodes text", () => {
  const content = new Uint8Array([0x4f, 0x73, 0xd6, 0x6c]); // "OsÖl" in latin-1
  const response = new Response(200, {
    content,
    headers: { "Content-Type": "text/plain; charset=latin-1" },
  });
  assert.equal(response.charsetEncoding, "latin-1");
  assert.equal(response.encoding, "latin-1");
  assert.equal(response.text, "OsÖl");
});

Deno.test("response: quoted, upper-case charset is read", () => {
  const response = new Response(200, {
    content: utf16le("hé", true),
    headers: { "Content-Type": 'text/plain; charset="UTF-16"' },
  });
  assert.equal(response.charsetEncoding, "utf-16");
  assert.equal(response.text, "hé");
});

Deno.test("response: utf-8 is the default, even for non-text types", () => {
  for (
    const headers of [{}, { "Content-Type": "image/png" }] as Record<
      string,
      string
    >[]
  ) {
    const response = new Response(200, { content: bytes("é"), headers });
    assert.equal(response.charsetEncoding, null);
    assert.equal(response.encoding, "utf-8");
    assert.equal(response.text, "é");
  }
});

Deno.test("response: an unknown charset falls back to the default encoding", () => {
  const response = new Response(200, {
    content: bytes("é"),
    headers: { "Content-Type": "text/plain; charset=invalid-codec-name" },
    defaultEncoding: "latin-1",
  });
  assert.equal(response.charsetEncoding, "invalid-codec-name");
  assert.equal(response.encoding, "latin-1");
  assert.equal(response.text, "Ã©");
});

Deno.test("response: malformed bytes are replaced", () => {
  const response = new Response(200, {
    content: new Uint8Array([0x61, 0xff, 0x62]),
  });
  assert.equal(response.text, "a\ufffdb");
});

Deno.test("response: a UTF-8 BOM is kept in text", () => {
  const response = new Response(200, {
    content: new Uint8Array([0xef, 0xbb, 0xbf, 0x61]),
  });
  assert.equal(response.text, "\ufeffa");
});

Deno.test("response: defaultEncoding function sees the content once read", () => {
  const seen: number[] = [];
  const detect = (content: Uint8Array) => {
    seen.push(content.byteLength);
    return content.every((b) => b < 0x80) ? "ascii" : "latin-1";
  };
  const ascii = new Response(200, {
    content: bytes("abc"),
    defaultEncoding: detect,
  });
  assert.equal(ascii.encoding, "ascii");
  const latin = new Response(200, {
    content: new Uint8Array([0xe9]),
    defaultEncoding: detect,
  });
  assert.equal(latin.text, "é");
  assert.equal(latin.encoding, "latin-1");
  assert.deepEqual(seen, [3, 1]);
  // A charset in the content type wins over the function.
  const declared = new Response(200, {
    content: bytes("é"),
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    defaultEncoding: detect,
  });
  assert.equal(declared.text, "é");
  assert.deepEqual(seen, [3, 1]);
});

Deno.test("response: defaultEncoding function is not called before reading", async () => {
  let calls = 0;
  const response = new Response(200, {
    stream: new ChunkStream(new Uint8Array([0xe9])),
    defaultEncoding: () => {
      calls++;
      return "latin-1";
    },
  });
  // Asked before the body is there: utf-8, and that answer is kept.
  assert.equal(response.encoding, "utf-8");
  await response.read();
  assert.equal(response.encoding, "utf-8");
  assert.equal(calls, 0);
  assert.equal(response.text, "\ufffd");
});

Deno.test("response: encoding can be set before text is read, not after", () => {
  const response = new Response(200, { content: new Uint8Array([0xe9]) });
  response.encoding = "latin-1";
  assert.equal(response.encoding, "latin-1");
  assert.equal(response.text, "é");
  assert.throws(
    () => {
      response.encoding = "utf-8";
    },
    {
      message: "Setting encoding after `text` has been accessed is not allowed",
    },
  );
});

// JSON ---------------------------------------------------------------------

Deno.test("response: json detects UTF-8/16/32 when there is no charset", () => {
  const value = { greeting: "héllo", n: 1 };
  const source = JSON.stringify(value);
  const bodies = [
    bytes(source),
    new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(source)]),
    utf16le(source),
    utf16le(source, true),
    utf32be(source),
  ];
  for (const content of bodies) {
    assert.deepEqual(new Response(200, { content }).json(), value);
  }
});

Deno.test("response: json follows the body's own encoding, not the charset", () => {
  const utf16 = new Response(200, {
    content: utf16le('{"a":"é"}', true),
    headers: { "Content-Type": "application/json; charset=utf-16" },
  });
  assert.deepEqual(utf16.json(), { a: "é" });
  // HTTPX 0.28 parses the bytes (RFC 8259), so a wrong charset label does
  // not turn UTF-8 "é" into "Ã©".
  const mislabelled = new Response(200, {
    content: new TextEncoder().encode('{"a": "é"}'),
    headers: { "Content-Type": "application/json; charset=latin-1" },
  });
  assert.deepEqual(mislabelled.json(), { a: "é" });
  assert.equal(mislabelled.text, '{"a": "Ã©"}');
});

Deno.test("response: invalid json throws a SyntaxError", () => {
  assert.throws(
    () => new Response(200, { content: "{not json" }).json(),
    SyntaxError,
  );
  assert.throws(
    () => new Response(200, { content: new Uint8Array(4) }).json(),
    SyntaxError,
  );
});

// Links and cookies --------------------------------------------------------

Deno.test("response: links are keyed by rel, else by url", () => {
  const cases: Array<[string, Record<string, Record<string, string>>]> = [
    [
      "<https://example.com>; rel='preload'",
      { preload: { url: "https://example.com", rel: "preload" } },
    ],
    [
      '</hub>; rel="hub", </resource>; rel="self"',
      {
        hub: { url: "/hub", rel: "hub" },
        self: { url: "/resource", rel: "self" },
      },
    ],
    [
      '<http:/.../front.jpeg>; rel=front; type="image/jpeg"',
      {
        front: {
          url: "http:/.../front.jpeg",
          rel: "front",
          type: "image/jpeg",
        },
      },
    ],
    [
      '<http:/.../front.jpeg>; type="image/jpeg",<http://.../back.jpeg>;',
      {
        "http:/.../front.jpeg": {
          url: "http:/.../front.jpeg",
          type: "image/jpeg",
        },
        "http://.../back.jpeg": { url: "http://.../back.jpeg" },
      },
    ],
    // A malformed parameter ends that link's parameters.
    ["<a>; x=1=2; rel=next", { a: { url: "a" } }],
    ['<a>; rel="", <b>', { a: { url: "a", rel: "" }, b: { url: "b" } }],
  ];
  for (const [header, expected] of cases) {
    const response = new Response(200, { headers: { Link: header } });
    assert.deepEqual(response.links, expected, header);
  }
  assert.deepEqual(new Response(200).links, {});
  assert.deepEqual(new Response(200, { headers: { Link: "" } }).links, {});
});

Deno.test("response: cookies come from Set-Cookie for the request url", () => {
  const response = new Response(200, {
    headers: [["Set-Cookie", "a=1; Path=/"], ["Set-Cookie", "b=2"]],
    request: request(),
  });
  const cookies = response.cookies;
  assert.ok(cookies instanceof Cookies);
  assert.equal(cookies.get("a"), "1");
  assert.equal(cookies.get("b"), "2");
  assert.equal(response.cookies, cookies);
  assert.equal(new Response(200).cookies.size, 0);
});

// Reading and streaming ----------------------------------------------------

Deno.test("response: read() on one identity chunk returns it without copying", async () => {
  const chunk = bytes("single chunk");
  const response = new Response(200, { stream: new ChunkStream(chunk) });
  const content = await response.read();
  assert.equal(content, chunk);
  assert.equal(await response.read(), chunk);
  assert.equal(response.content, chunk);
});

Deno.test("response: read() joins several chunks", async () => {
  const stream = new ChunkStream("Hello", ", ", "world!");
  const response = new Response(200, { stream });
  assert.equal(text(await response.read()), "Hello, world!");
  assert.equal(response.numBytesDownloaded, 13);
  assert.equal(response.isStreamConsumed, true);
  assert.equal(response.isClosed, true);
  assert.equal(stream.closed, 1);
});

Deno.test("response: empty streamed body reads as empty", async () => {
  const response = new Response(200, { stream: new ChunkStream() });
  assert.equal((await response.read()).byteLength, 0);
  assert.equal(response.text, "");
});

Deno.test("response: iterRaw with chunk sizes", async () => {
  const expected: Array<[number | undefined, string[]]> = [
    [undefined, ["Hello, ", "world!"]],
    [5, ["Hello", ", wor", "ld!"]],
    [7, ["Hello, ", "world!"]],
    [13, ["Hello, world!"]],
    [20, ["Hello, world!"]],
  ];
  for (const [size, parts] of expected) {
    const response = new Response(200, {
      stream: new ChunkStream("Hello, ", "world!"),
    });
    const chunks = await all(response.iterRaw(size));
    assert.deepEqual(chunks.map(text), parts, `chunk size ${size}`);
    assert.equal(response.numBytesDownloaded, 13);
    assert.equal(response.isClosed, true);
  }
});

Deno.test("response: iterRaw skips empty chunks and counts bytes as they come", async () => {
  const response = new Response(200, {
    stream: new ChunkStream("", "ab", "", "cde"),
  });
  const counts: number[] = [];
  const chunks: string[] = [];
  for await (const chunk of response.iterRaw()) {
    chunks.push(text(chunk));
    counts.push(response.numBytesDownloaded);
  }
  assert.deepEqual(chunks, ["ab", "cde"]);
  assert.deepEqual(counts, [2, 5]);
});

Deno.test("response: iterBytes on read content slices it", async () => {
  const response = new Response(200, { content: "Hello, world!" });
  assert.deepEqual((await all(response.iterBytes())).map(text), [
    "Hello, world!",
  ]);
  assert.deepEqual((await all(response.iterBytes(2))).map(text), [
    "He",
    "ll",
    "o,",
    " w",
    "or",
    "ld",
    "!",
  ]);
  assert.deepEqual(await all(new Response(200).iterBytes()), []);
  assert.deepEqual(await all(new Response(200).iterBytes(3)), []);
  await assert.rejects(() => all(response.iterBytes(0)), RangeError);
});

Deno.test("response: iterBytes with chunk sizes on a stream", async () => {
  const response = new Response(200, {
    stream: new ChunkStream("0123", "", "456", "789"),
  });
  assert.deepEqual((await all(response.iterBytes(4))).map(text), [
    "0123",
    "4567",
    "89",
  ]);
});

Deno.test("response: iterText with chunk sizes", async () => {
  const expected: Array<[number | undefined, string[]]> = [
    [undefined, ["Hello, world!"]],
    [5, ["Hello", ", wor", "ld!"]],
    [7, ["Hello, ", "world!"]],
    [13, ["Hello, world!"]],
    [20, ["Hello, world!"]],
  ];
  for (const [size, parts] of expected) {
    const response = new Response(200, {
      stream: new ChunkStream("Hello, world!"),
    });
    assert.deepEqual(await all(response.iterText(size)), parts);
  }
});

Deno.test("response: iterText decodes characters split across chunks", async () => {
  const euro = bytes("€"); // three bytes
  const response = new Response(200, {
    stream: new ChunkStream(euro.subarray(0, 1), euro.subarray(1), "!"),
  });
  assert.equal((await all(response.iterText())).join(""), "€!");

  const latin = new Response(200, {
    stream: new ChunkStream(new Uint8Array([0xe9, 0x20, 0xe8])),
    headers: { "Content-Type": "text/plain; charset=iso-8859-1" },
  });
  assert.deepEqual(await all(latin.iterText(1)), ["é", " ", "è"]);
});

Deno.test("response: iterLines splits on every line break", async () => {
  const response = new Response(200, {
    stream: new ChunkStream("ab\r", "\ncd\r", "\r", "ef\n", "\n"),
  });
  assert.deepEqual(await all(response.iterLines()), ["ab", "cd", "", "ef", ""]);
  const single = new Response(200, { content: "one\ntwo" });
  assert.deepEqual(await all(single.iterLines()), ["one", "two"]);
});

Deno.test("response: gzip bodies are decoded, iterRaw gives the raw bytes", async () => {
  const plain = bytes("hello ".repeat(50));
  const compressed = await gzip(plain);
  const headers = { "Content-Encoding": "gzip" };

  const decoded = new Response(200, { content: compressed, headers });
  assert.equal(decoded.isClosed, false);
  assert.throws(() => decoded.content, ResponseNotRead);
  assert.deepEqual(await decoded.read(), plain);
  assert.equal(decoded.numBytesDownloaded, compressed.byteLength);

  const raw = new Response(200, {
    stream: new ChunkStream(
      compressed.subarray(0, 10),
      compressed.subarray(10),
    ),
    headers,
  });
  const rawChunks = await all(raw.iterRaw());
  assert.deepEqual(
    rawChunks.reduce((n, c) => n + c.byteLength, 0),
    compressed.byteLength,
  );
});

Deno.test("response: several content encodings are undone in reverse order", async () => {
  const plain = bytes("layered");
  const twice = await gzip(await gzip(plain));
  const response = new Response(200, {
    stream: new ChunkStream(twice),
    headers: { "Content-Encoding": "gzip, gzip" },
  });
  assert.deepEqual(await response.read(), plain);
});

Deno.test("response: a decoding error carries the request", async () => {
  const req = request();
  const response = new Response(200, {
    stream: new ChunkStream("definitely not gzip"),
    headers: { "Content-Encoding": "gzip" },
    request: req,
  });
  const error = await response.read().then(() => null, (e) => e);
  assert.ok(error instanceof DecodingError, String(error));
  assert.equal(error.request, req);
  assert.equal(response.isClosed, true);

  const orphan = new Response(200, {
    stream: new ChunkStream("definitely not gzip"),
    headers: { "Content-Encoding": "gzip" },
  });
  const noRequest = await orphan.read().then(() => null, (e) => e);
  assert.ok(noRequest instanceof DecodingError);
  assert.equal(noRequest.hasRequest, false);
});

Deno.test("response: unknown content encodings are ignored", () => {
  const response = new Response(200, {
    content: "plain",
    headers: { "Content-Encoding": "identity, unknown" },
  });
  assert.equal(response.text, "plain");
});

// Stream misuse and closing ------------------------------------------------

Deno.test("response: a stream cannot be consumed twice", async () => {
  const response = new Response(200, { stream: new ChunkStream("abc") });
  await all(response.iterBytes());
  await assert.rejects(() => all(response.iterBytes()), StreamConsumed);
  await assert.rejects(() => all(response.iterRaw()), StreamConsumed);
  await assert.rejects(() => response.read(), StreamConsumed);
});

Deno.test("response: a closed unread stream cannot be read", async () => {
  const stream = new ChunkStream("abc");
  const response = new Response(200, { stream });
  await response.close();
  assert.equal(response.isClosed, true);
  assert.equal(stream.closed, 1);
  await assert.rejects(() => response.read(), StreamClosed);
  await assert.rejects(() => all(response.iterRaw()), StreamClosed);
  await response.close();
  await response.aclose();
  assert.equal(stream.closed, 1);
});

Deno.test("response: read content can be iterated again after closing", async () => {
  const response = new Response(200, { stream: new ChunkStream("abc") });
  await response.read();
  await response.close();
  assert.deepEqual((await all(response.iterBytes())).map(text), ["abc"]);
  assert.equal(text(await response.read()), "abc");
});

Deno.test("response: iterating to the end closes the stream", async () => {
  const stream = new ChunkStream("a", "b");
  const response = new Response(200, { stream });
  const chunks = await all(response.iterText());
  assert.deepEqual(chunks, ["a", "b"]);
  assert.equal(response.isClosed, true);
  assert.equal(stream.closed, 1);
});

Deno.test("response: stopping early closes the stream", async () => {
  const stream = new ChunkStream("a", "b", "c");
  const response = new Response(200, { stream });
  for await (const chunk of response.iterBytes()) {
    assert.equal(text(chunk), "a");
    break;
  }
  assert.equal(response.isClosed, true);
  assert.equal(stream.closed, 1);
  await assert.rejects(() => response.read(), StreamConsumed);
});

Deno.test("response: an error while iterating closes the stream and carries the request", async () => {
  const stream = new ChunkStream("a", new ReadError("Connection reset"));
  const req = request();
  const response = new Response(200, { stream, request: req });
  const seen: string[] = [];
  const error = await (async () => {
    for await (const chunk of response.iterBytes()) seen.push(text(chunk));
  })().then(() => null, (e) => e);
  assert.deepEqual(seen, ["a"]);
  assert.ok(error instanceof ReadError);
  assert.equal(error.request, req);
  assert.equal(response.isClosed, true);
  assert.equal(stream.closed, 1);
});

Deno.test("response: await using closes the response", async () => {
  const stream = new ChunkStream("abc");
  {
    await using response = new Response(200, { stream });
    assert.equal(response.isClosed, false);
  }
  assert.equal(stream.closed, 1);
});

Deno.test("response: the stream property can be replaced before reading", async () => {
  const response = new Response(200, { stream: new ChunkStream("old") });
  const replacement = new ChunkStream("new");
  response.stream = replacement;
  assert.equal(text(await response.read()), "new");
  assert.equal(replacement.closed, 1);
});
