import assert from "node:assert/strict";
import {
  type HeadEvent,
  ResponseParser,
} from "../../../src/protocol/h1/response_parser.ts";
import { RemoteProtocolError } from "../../../src/errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
/** Bytes given as a latin1 string, for non-UTF-8 input. */
const raw = (s: string): Uint8Array =>
  Uint8Array.from(s, (c) => c.charCodeAt(0));

interface Parsed {
  head: Omit<HeadEvent, "type"> | null;
  body: string;
  trailers: Array<[string, string]> | null;
  upgraded: Uint8Array | null;
  keepAlive: boolean;
  dataEvents: number;
}

interface ParseOptions {
  method?: string;
  requestKeepAlive?: boolean;
  eof?: boolean;
  /** Feed through one buffer that is overwritten after each `needData`. */
  reuse?: boolean;
  owned?: boolean;
}

/** Feed `pieces` in order, draining events; end of input after them when `eof`. */
function parse(pieces: Uint8Array[], options: ParseOptions = {}): Parsed {
  const parser = new ResponseParser();
  parser.startResponse(options.method ?? "GET", {
    requestKeepAlive: options.requestKeepAlive,
  });
  return drive(parser, pieces, options);
}

function drive(
  parser: ResponseParser,
  pieces: Uint8Array[],
  options: ParseOptions = {},
): Parsed {
  const out: Parsed = {
    head: null,
    body: "",
    trailers: null,
    upgraded: null,
    keepAlive: false,
    dataEvents: 0,
  };
  const chunks: Uint8Array[] = [];
  const shared = new Uint8Array(1 << 18);
  let index = 0;
  let eofSent = false;
  for (;;) {
    const event = parser.next();
    if (event.type === "head") {
      const { type: _, ...head } = event;
      out.head = head;
    } else if (event.type === "data") {
      chunks.push(event.chunk);
      out.dataEvents++;
    } else if (event.type === "end") {
      out.trailers = event.trailers;
      break;
    } else if (event.type === "upgraded") {
      out.upgraded = event.leftover;
      break;
    } else {
      if (options.reuse) shared.fill(0xaa);
      if (index < pieces.length) {
        const piece = pieces[index++];
        if (options.reuse) {
          shared.set(piece);
          parser.feed(shared.subarray(0, piece.length));
        } else {
          parser.feed(piece, options.owned);
        }
      } else if (options.eof && !eofSent) {
        eofSent = true;
        parser.feedEof();
      } else {
        throw new Error("parser wants more data than the test has");
      }
    }
  }
  // Whatever was not fed yet counts as stray bytes after the response.
  while (index < pieces.length) parser.feed(pieces[index++]);
  out.body = dec.decode(concat(chunks));
  out.keepAlive = parser.keepAlive;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Every split of `message` into two pieces, and one byte at a time. */
function splits(message: Uint8Array): Uint8Array[][] {
  const all: Uint8Array[][] = [];
  for (let i = 0; i <= message.length; i++) {
    all.push([message.slice(0, i), message.slice(i)]);
  }
  all.push([...message].map((b) => Uint8Array.of(b)));
  return all;
}

function assertProtocolError(fn: () => unknown, message?: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof RemoteProtocolError, String(error));
    if (typeof message === "string") assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Status line and headers

Deno.test("parses a Content-Length response", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
    ),
  ]);
  assert.deepEqual(r.head, {
    statusCode: 200,
    reasonPhrase: "OK",
    httpVersion: "HTTP/1.1",
    headers: [["Content-Type", "text/plain"], ["Content-Length", "5"]],
  });
  assert.equal(r.body, "hello");
  assert.deepEqual(r.trailers, []);
  assert.equal(r.keepAlive, true);
});

Deno.test("keeps header case, order, duplicates and the reason phrase", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 404 Not  Found Here\r\nX-CUSTOM: a\r\nset-cookie: a=1\r\n" +
        "Set-Cookie: b=2\r\nX-Empty:\r\nX-Spaces: \t padded value \t\r\n" +
        "Content-Length: 0\r\n\r\n",
    ),
  ]);
  assert.equal(r.head?.reasonPhrase, "Not  Found Here");
  assert.deepEqual(r.head?.headers, [
    ["X-CUSTOM", "a"],
    ["set-cookie", "a=1"],
    ["Set-Cookie", "b=2"],
    ["X-Empty", ""],
    ["X-Spaces", "padded value"],
    ["Content-Length", "0"],
  ]);
});

Deno.test("accepts status lines without a reason phrase", () => {
  for (const line of ["HTTP/1.1 200", "HTTP/1.1 200 "]) {
    const r = parse([bytes(`${line}\r\nContent-Length: 0\r\n\r\n`)]);
    assert.equal(r.head?.statusCode, 200);
    assert.equal(r.head?.reasonPhrase, "");
  }
});

Deno.test("parses HTTP/1.0 status lines", () => {
  const r = parse([bytes("HTTP/1.0 200 OK\r\n\r\nbody")], { eof: true });
  assert.equal(r.head?.httpVersion, "HTTP/1.0");
  assert.equal(r.body, "body");
  assert.equal(r.keepAlive, false);
});

Deno.test("rejects garbage status lines", () => {
  for (
    const line of [
      "HTTP/2 200 OK",
      "HTTP/2.0 200 OK",
      "HTTP/1.2 200 OK",
      "http/1.1 200 OK",
      "HTTP/1.1 20 OK",
      "HTTP/1.1 2000 OK",
      "HTTP/1.1  200 OK",
      "HTTP/1.1 abc OK",
      "ICY 200 OK",
      "<html>",
      " HTTP/1.1 200 OK",
    ]
  ) {
    assertProtocolError(
      () => parse([bytes(`${line}\r\nContent-Length: 0\r\n\r\n`)]),
      /^Invalid status line/,
    );
  }
});

Deno.test("rejects malformed header lines", () => {
  for (
    const line of [
      "No-Colon",
      ": no-name",
      "Space Before: x",
      "Space-Before-Colon : x",
      "Bad\u00e9Name: x",
      "Tab\tName: x",
    ]
  ) {
    assertProtocolError(
      () =>
        parse([
          bytes(`HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`),
        ]),
      /^Invalid header line/,
    );
  }
  assertProtocolError(
    () => parse([bytes("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n")]),
    "Invalid bare CR in response head",
  );
  assertProtocolError(
    () => parse([bytes("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n")]),
    "Invalid NUL in response head",
  );
});

Deno.test("joins obs-folded header lines with a space", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second\r\n\tthird\r\n" +
        "X-Next: n\r\nContent-Length: 0\r\n\r\n",
    ),
  ]);
  assert.deepEqual(r.head?.headers, [
    ["X-Folded", "first second third"],
    ["X-Next", "n"],
    ["Content-Length", "0"],
  ]);
  assertProtocolError(
    () => parse([bytes("HTTP/1.1 200 OK\r\n folded: x\r\n\r\n")]),
    "Invalid obs-fold before the first header line",
  );
});

Deno.test("decodes header bytes as UTF-8 when valid, else latin1", () => {
  const r = parse([
    raw(
      "HTTP/1.1 200 caf\xc3\xa9\r\nX-Utf8: \xe2\x82\xac1\r\nX-Latin1: caf\xe9\r\n" +
        "Content-Length: 0\r\n\r\n",
    ),
  ]);
  assert.equal(r.head?.reasonPhrase, "caf\u00e9");
  assert.deepEqual(r.head?.headers.slice(0, 2), [
    ["X-Utf8", "\u20ac1"],
    ["X-Latin1", "caf\u00e9"],
  ]);
  // All valid UTF-8: decoded in one go.
  const utf8 = parse([
    raw("HTTP/1.1 200 OK\r\nX: \xc3\xa9\r\nContent-Length: 0\r\n\r\n"),
  ]);
  assert.deepEqual(utf8.head?.headers[0], ["X", "\u00e9"]);
});

Deno.test("accepts LF-only line endings and leading blank lines", () => {
  const r = parse([
    bytes("\r\n\nHTTP/1.1 200 OK\nX: 1\nContent-Length: 2\n\nhi"),
  ]);
  assert.equal(r.head?.statusCode, 200);
  assert.deepEqual(r.head?.headers, [["X", "1"], ["Content-Length", "2"]]);
  assert.equal(r.body, "hi");
});

Deno.test("rejects a head over 100 KiB, complete or not", () => {
  const big = "X-Big: " + "a".repeat(100 * 1024) + "\r\n";
  assertProtocolError(
    () => parse([bytes("HTTP/1.1 200 OK\r\n" + big + "\r\n")]),
    "Response head is larger than 102400 bytes",
  );
  // Incomplete: rejected as soon as the buffer passes the limit.
  const parser = new ResponseParser();
  parser.startResponse("GET");
  parser.feed(bytes("HTTP/1.1 200 OK\r\n"));
  assert.equal(parser.next().type, "needData");
  parser.feed(bytes(big));
  assertProtocolError(() => parser.next(), /larger than 102400/);
  // Just under the limit is fine.
  const fits = "X-Big: " + "a".repeat(100 * 1024 - 100) + "\r\n";
  const r = parse([
    bytes("HTTP/1.1 200 OK\r\n" + fits + "Content-Length: 0\r\n\r\n"),
  ]);
  assert.equal(r.head?.headers[0][1].length, 100 * 1024 - 100);
});

Deno.test("a smaller head limit can be configured", () => {
  const parser = new ResponseParser({ maxHeadSize: 64 });
  parser.startResponse("GET");
  parser.feed(bytes("HTTP/1.1 200 OK\r\nX: " + "a".repeat(80) + "\r\n\r\n"));
  assertProtocolError(
    () => parser.next(),
    "Response head is larger than 64 bytes",
  );
});

// ---------------------------------------------------------------------------
// Interim and upgrade responses

Deno.test("skips 100 Continue and 103 Early Hints", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" +
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    ),
  ]);
  assert.equal(r.head?.statusCode, 200);
  assert.deepEqual(r.head?.headers, [["Content-Length", "2"]]);
  assert.equal(r.body, "ok");
  assert.equal(r.keepAlive, true);
});

Deno.test("101 Switching Protocols hands back the bytes after the head", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello",
    ),
  ]);
  assert.equal(r.head?.statusCode, 101);
  assert.deepEqual([...r.upgraded!], [...bytes("\x81\x05hello")]);
  assert.equal(r.keepAlive, false);
});

Deno.test("a 2xx answer to CONNECT is an upgrade, other answers are not", () => {
  const ok = parse([
    bytes("HTTP/1.1 200 Connection established\r\n\r\n\x16\x03"),
  ], {
    method: "CONNECT",
  });
  assert.equal(ok.head?.statusCode, 200);
  assert.deepEqual([...ok.upgraded!], [0x16, 0x03]);
  const empty = parse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")], {
    method: "CONNECT",
  });
  assert.equal(empty.upgraded?.length, 0);
  const denied = parse([
    bytes(
      "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 4\r\n\r\nauth",
    ),
  ], { method: "CONNECT" });
  assert.equal(denied.upgraded, null);
  assert.equal(denied.body, "auth");
});

// ---------------------------------------------------------------------------
// Body framing

Deno.test("no body for HEAD, 204 and 304, whatever the headers say", () => {
  const head = parse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")], {
    method: "HEAD",
  });
  assert.equal(head.body, "");
  assert.deepEqual(head.trailers, []);
  assert.equal(head.keepAlive, true);
  for (const status of ["204 No Content", "304 Not Modified"]) {
    const r = parse([
      bytes(`HTTP/1.1 ${status}\r\nContent-Length: 10\r\n\r\n`),
    ]);
    assert.equal(r.body, "");
    assert.equal(r.keepAlive, true);
  }
  // Same for a chunked HEAD response.
  const chunked = parse([
    bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
  ], {
    method: "head",
  });
  assert.deepEqual(chunked.trailers, []);
});

Deno.test("Content-Length: 0 ends at the head", () => {
  const r = parse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")]);
  assert.equal(r.body, "");
  assert.equal(r.dataEvents, 0);
  assert.equal(r.keepAlive, true);
});

Deno.test("decodes chunked bodies, ignoring extensions, with trailers", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
        "5;name=value\r\nhello\r\nA ; ext\r\n, world!!!\r\n1a\r\n" +
        "abcdefghijklmnopqrstuvwxyz\r\n0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n",
    ),
  ]);
  assert.equal(r.body, "hello, world!!!abcdefghijklmnopqrstuvwxyz");
  assert.deepEqual(r.trailers, [["Expires", "never"], ["X-Sum", "1"]]);
  assert.equal(r.keepAlive, true);
});

Deno.test("a chunked body may end without trailers", () => {
  const r = parse([
    bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
  ]);
  assert.equal(r.body, "");
  assert.deepEqual(r.trailers, []);
  assert.equal(r.keepAlive, true);
});

Deno.test("rejects bad chunk size lines", () => {
  for (const line of ["zz", "", "-5", "5 x", "0x5", "5;\r", ";5"]) {
    assertProtocolError(
      () =>
        parse([
          bytes(
            `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${line}\r\nhello\r\n0\r\n\r\n`,
          ),
        ]),
      /^Invalid chunk size line/,
    );
  }
  assertProtocolError(
    () =>
      parse([
        bytes(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n",
        ),
      ]),
    "Chunk size is too large",
  );
});

Deno.test("rejects chunk data not followed by CRLF", () => {
  for (const after of ["!!", "\n", "\rX", "0\r\n"]) {
    assertProtocolError(
      () =>
        parse([
          bytes(
            `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello${after}\r\n0\r\n\r\n`,
          ),
        ]),
      "Missing CRLF after chunk data",
    );
  }
});

Deno.test("reads a body without length until the server closes", () => {
  const r = parse([
    bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome "),
    bytes("data"),
  ], { eof: true });
  assert.equal(r.body, "some data");
  assert.equal(r.keepAlive, false);
});

Deno.test("Transfer-Encoding without a final chunked reads until close", () => {
  const r = parse([
    bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz"),
  ], {
    eof: true,
  });
  assert.equal(r.body, "xyz");
  assert.equal(r.keepAlive, false);
});

Deno.test("identical Content-Length values collapse, conflicting ones fail", () => {
  const twice = parse([
    bytes(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc",
    ),
  ]);
  assert.equal(twice.body, "abc");
  assert.equal(twice.keepAlive, true);
  const list = parse([
    bytes("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc"),
  ]);
  assert.equal(list.body, "abc");
  assertProtocolError(
    () =>
      parse([
        bytes(
          "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        ),
      ]),
    "Conflicting Content-Length headers",
  );
  assertProtocolError(
    () => parse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd")]),
    "Conflicting Content-Length headers",
  );
  for (const value of ["abc", "-1", "1.5", "", "+3", "0x10"]) {
    assertProtocolError(
      () =>
        parse([bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\n`)]),
      /^Invalid Content-Length/,
    );
  }
  assertProtocolError(
    () =>
      parse([
        bytes(
          "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
        ),
      ]),
    "Content-Length is too large",
  );
});

Deno.test("Transfer-Encoding beats Content-Length, and the connection is not reused", () => {
  const r = parse([
    bytes(
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    ),
  ]);
  assert.equal(r.body, "abc");
  assert.equal(r.keepAlive, false);
});

// ---------------------------------------------------------------------------
// Keep-alive

Deno.test("keep-alive follows the version and Connection headers", () => {
  const cases: Array<[string, boolean, boolean]> = [
    ["HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, true],
    [
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      true,
      false,
    ],
    [
      "HTTP/1.1 200 OK\r\nConnection: keep-alive, CLOSE\r\nContent-Length: 0\r\n\r\n",
      true,
      false,
    ],
    ["HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, false],
    ["HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true, false],
    [
      "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
      true,
      true,
    ],
    [
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
      false,
      false,
    ],
  ];
  for (const [message, requestKeepAlive, expected] of cases) {
    assert.equal(
      parse([bytes(message)], { requestKeepAlive }).keepAlive,
      expected,
      `${JSON.stringify(message)} ${requestKeepAlive}`,
    );
  }
});

Deno.test("bytes after a complete response make it not reusable", () => {
  const r = parse([
    bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
    bytes("garbage"),
  ]);
  assert.equal(r.body, "ok");
  assert.equal(r.keepAlive, false);
  const sameRead = parse([
    bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"),
  ]);
  assert.equal(sameRead.body, "ok");
  assert.equal(sameRead.keepAlive, false);
});

Deno.test("keepAlive is false until the response is complete", () => {
  const parser = new ResponseParser();
  parser.startResponse("GET");
  parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab"));
  assert.equal(parser.next().type, "head");
  assert.equal(parser.keepAlive, false);
  assert.equal(parser.next().type, "data");
  assert.equal(parser.next().type, "needData");
  assert.equal(parser.keepAlive, false);
  parser.feed(bytes("cd"));
  assert.equal(parser.next().type, "data");
  assert.equal(parser.next().type, "end");
  assert.equal(parser.keepAlive, true);
  // `end` repeats once done.
  assert.equal(parser.next().type, "end");
});

// ---------------------------------------------------------------------------
// End of input

Deno.test("end of input before or inside the head", () => {
  for (const sent of ["", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 20"]) {
    assertProtocolError(
      () => parse(sent ? [bytes(sent)] : [], { eof: true }),
      "Server disconnected without sending a response",
    );
  }
});

Deno.test("end of input inside a Content-Length body", () => {
  assertProtocolError(
    () =>
      parse([bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")], {
        eof: true,
      }),
    "Server disconnected without sending complete message body: received 5 bytes, expected 10",
  );
});

Deno.test("end of input inside a chunked body", () => {
  const head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (
    const body of [
      "",
      "5",
      "5\r\nhel",
      "5\r\nhello",
      "5\r\nhello\r",
      "5\r\nhello\r\n0\r\n",
      "0\r\nX: 1\r\n",
    ]
  ) {
    assertProtocolError(
      () => parse([bytes(head + body)], { eof: true }),
      "Server disconnected without sending complete message body: incomplete chunked read",
    );
  }
});

// ---------------------------------------------------------------------------
// Incremental feeding

const MESSAGES: Array<
  { name: string; message: string; method?: string; eof?: boolean }
> = [
  {
    name: "content-length",
    message:
      "HTTP/1.1 200 OK\r\nServer: test\r\nContent-Length: 11\r\n\r\nhello world",
  },
  {
    name: "chunked with trailers",
    message: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "4;x=1\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer-One: 1\r\n\r\n",
  },
  {
    name: "interim then close-delimited",
    message:
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nX-Fold: a\r\n b\r\n\r\nuntil the end",
    eof: true,
  },
  {
    name: "LF-only chunked",
    message:
      "HTTP/1.1 201 Created\nTransfer-Encoding: chunked\n\n3\nabc\r\n0\n\n",
  },
];

for (const { name, message, method, eof } of MESSAGES) {
  Deno.test(`feeding split at every byte gives the same result: ${name}`, () => {
    const whole = bytes(message);
    const expected = parse([whole], { method, eof });
    assert.ok(expected.head !== null);
    for (const pieces of splits(whole)) {
      for (const reuse of [false, true]) {
        const got = parse(pieces, { method, eof, reuse });
        assert.deepEqual(
          { ...got, dataEvents: 0 },
          { ...expected, dataEvents: 0 },
          `split ${pieces.map((p) => p.length).join("+")} reuse=${reuse}`,
        );
      }
    }
  });
}

Deno.test("a 101 split at every byte hands back the same leftover", () => {
  const whole = bytes(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\nPRI * HTTP/2.0",
  );
  for (const pieces of splits(whole)) {
    const parser = new ResponseParser();
    parser.startResponse("GET");
    let leftover: Uint8Array | null = null;
    let i = 0;
    while (leftover === null) {
      const event = parser.next();
      if (event.type === "needData") parser.feed(pieces[i++]);
      else if (event.type === "upgraded") leftover = event.leftover;
    }
    const tail = concat([leftover, ...pieces.slice(i)]);
    assert.equal(dec.decode(tail), "PRI * HTTP/2.0");
  }
});

Deno.test("data events copy the fed view unless it is owned", () => {
  const input = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  const copied = new ResponseParser();
  copied.startResponse("GET");
  copied.feed(input);
  copied.next();
  const a = copied.next();
  assert.equal(a.type, "data");
  if (a.type === "data") assert.notEqual(a.chunk.buffer, input.buffer);

  const owned = new ResponseParser();
  owned.startResponse("GET");
  owned.feed(input, true);
  owned.next();
  const b = owned.next();
  assert.equal(b.type, "data");
  if (b.type === "data") {
    assert.equal(b.chunk.buffer, input.buffer);
    assert.equal(dec.decode(b.chunk), "hello");
  }
});

Deno.test("unparsed bytes survive the caller reusing its buffer", () => {
  const parser = new ResponseParser();
  parser.startResponse("GET");
  const buffer = new Uint8Array(64);
  const first = bytes("HTTP/1.1 200 OK\r\nContent-Le");
  buffer.set(first);
  parser.feed(buffer.subarray(0, first.length));
  assert.equal(parser.next().type, "needData");
  buffer.fill(0);
  const second = bytes("ngth: 3\r\n\r\nabc");
  buffer.set(second);
  parser.feed(buffer.subarray(0, second.length));
  const head = parser.next();
  assert.equal(head.type, "head");
  if (head.type === "head") {
    assert.deepEqual(head.headers, [["Content-Length", "3"]]);
  }
  const data = parser.next();
  buffer.fill(0);
  if (data.type === "data") assert.equal(dec.decode(data.chunk), "abc");
  else assert.fail("expected data");
});

Deno.test("one parser reads several responses in turn", () => {
  const parser = new ResponseParser();
  parser.startResponse("GET");
  const first = drive(parser, [
    bytes("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"),
  ]);
  assert.equal(first.body, "a");
  assert.equal(parser.receivedBytes, true);
  parser.startResponse("HEAD");
  assert.equal(parser.receivedBytes, false);
  assert.equal(parser.state, "HEAD");
  const second = drive(parser, [
    bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"),
  ]);
  assert.equal(second.body, "");
  assert.equal(second.keepAlive, true);
  parser.startResponse("GET");
  const third = drive(parser, [
    bytes(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
    ),
  ]);
  assert.equal(third.body, "z");
});

Deno.test("a parser that was not started refuses input", () => {
  const parser = new ResponseParser();
  assertProtocolError(() => parser.next(), "No response is expected");
});

Deno.test("feeding after end of input fails", () => {
  const parser = new ResponseParser();
  parser.startResponse("GET");
  parser.feedEof();
  assertProtocolError(
    () => parser.feed(bytes("x")),
    "Received data after end of input",
  );
});

Deno.test("large bodies stream in pieces as they are fed", () => {
  const body = new Uint8Array(300_000).map((_, i) => i % 251);
  const head = bytes(
    `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`,
  );
  const parser = new ResponseParser();
  parser.startResponse("GET");
  const received: Uint8Array[] = [];
  const wire = concat([head, body]);
  let offset = 0;
  for (;;) {
    const event = parser.next();
    if (event.type === "end") break;
    if (event.type === "data") received.push(event.chunk);
    if (event.type === "needData") {
      parser.feed(wire.subarray(offset, offset + 65536));
      offset += 65536;
    }
  }
  assert.deepEqual(concat(received), body);
  assert.ok(received.length >= 4);
});

Deno.test("bodyBuffered, bodyRemaining and headIsAscii describe the current response", () => {
  const parser = new ResponseParser();
  parser.startResponse("GET");
  parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"));
  assert.equal(parser.next().type, "head");
  assert.equal(parser.headIsAscii, true);
  assert.equal(parser.bodyRemaining, 10);
  // Half of the body is buffered: the rest needs a read.
  assert.equal(parser.bodyBuffered, false);
  assert.equal(parser.next().type, "data");
  assert.equal(parser.bodyRemaining, 5);
  assert.equal(parser.next().type, "needData");
  parser.feed(bytes("world"));
  assert.equal(parser.bodyBuffered, true);
  assert.equal(parser.next().type, "data");
  assert.equal(parser.bodyBuffered, true);
  assert.equal(parser.next().type, "end");
  assert.equal(parser.bodyRemaining, 0);

  // A head with a byte above 0x7F takes the full rules: not known ASCII.
  parser.startResponse("GET");
  parser.feed(
    raw("HTTP/1.1 200 OK\r\nX: caf\xe9\r\nContent-Length: 2\r\n\r\nhi"),
  );
  assert.equal(parser.next().type, "head");
  assert.equal(parser.headIsAscii, false);
  assert.equal(parser.bodyBuffered, true);

  // Chunked bodies are never "buffered to the end" nor of known length.
  parser.startResponse("GET");
  parser.feed(
    bytes(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    ),
  );
  assert.equal(parser.next().type, "head");
  assert.equal(parser.bodyBuffered, false);
  assert.equal(parser.bodyRemaining, 0);
});
