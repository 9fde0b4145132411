import assert from "node:assert/strict";
import {
  headLines,
  parseFieldLines,
  parseHeadFast,
  parseStatusLine,
} from "../../../src/protocol/h1/_head_parser.ts";
import {
  responseFraming,
  simpleResponseFraming,
} from "../../../src/protocol/h1/response_framing.ts";

const encoder = new TextEncoder();

/** What the full rules give for a head region, or the error they raise. */
function slow(bytes: Uint8Array) {
  try {
    const lines = headLines(bytes, 0, bytes.length);
    const status = parseStatusLine(lines.length > 0 ? lines[0] : "");
    return { ...status, headers: parseFieldLines(lines, 1) };
  } catch (error) {
    return { error };
  }
}

function framingOrError(run: () => unknown) {
  try {
    return run();
  } catch (error) {
    return { error: String(error) };
  }
}

/** The fast parse, when it accepts the head, agrees with the full rules. */
function checkAgrees(bytes: Uint8Array): boolean {
  const fast = parseHeadFast(bytes, 0, bytes.length);
  if (fast === null) return false;
  const full = slow(bytes);
  assert.ok(!("error" in full), `fast path accepted a bad head: ${bytes}`);
  assert.deepEqual(
    {
      httpVersion: fast.httpVersion,
      statusCode: fast.statusCode,
      reasonPhrase: fast.reasonPhrase,
      headers: fast.headers,
    },
    full,
  );
  if (fast.simple) {
    for (const method of ["GET", "HEAD", "CONNECT"]) {
      for (const requestKeepAlive of [true, false]) {
        assert.deepEqual(
          simpleResponseFraming(
            method,
            fast.statusCode,
            fast.httpVersion,
            fast.contentLength,
            fast.close,
            fast.keepAlive,
            requestKeepAlive,
          ),
          framingOrError(() =>
            responseFraming(
              method,
              fast.statusCode,
              fast.httpVersion,
              fast.headers,
              requestKeepAlive,
            )
          ),
        );
      }
    }
  }
  return true;
}

Deno.test("the one-pass head parse reads a typical nginx head", () => {
  const head = encoder.encode(
    "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 13\r\n" +
      'Connection: keep-alive\r\nETag: "x"\r\n',
  );
  const fast = parseHeadFast(head, 0, head.length)!;
  assert.equal(fast.statusCode, 200);
  assert.equal(fast.reasonPhrase, "OK");
  assert.equal(fast.httpVersion, "HTTP/1.1");
  assert.deepEqual(fast.headers, [
    ["Server", "nginx"],
    ["Content-Length", "13"],
    ["Connection", "keep-alive"],
    ["ETag", '"x"'],
  ]);
  assert.equal(fast.simple, true);
  assert.equal(fast.contentLength, 13);
  assert.equal(fast.keepAlive, true);
  assert.equal(fast.close, false);
  assert.ok(checkAgrees(head));
});

Deno.test("the one-pass head parse leaves unusual heads to the full rules", () => {
  const declined = [
    "HTTP/1.1 200 OK\r\nX: caf\u00e9\r\n", // a byte above 0x7F
    "HTTP/1.1 200 OK\r\nX: a\rb\r\n", // a bare CR
    "HTTP/1.1 200 OK\r\nX: a\0b\r\n", // NUL
    "HTTP/1.1 200 OK\r\nX: a\r\n  folded\r\n", // obs-fold
    "HTTP/1.1 200 OK\r\nBad Name: a\r\n",
    "HTTP/1.1 200 OK\r\nNo colon\r\n",
    "HTTP/1.1 200 OK\r\n: empty name\r\n",
    "HTTP/2 200 OK\r\n",
    "HTTP/1.1 20 OK\r\n",
    "HTTP/1.1 2000 OK\r\n",
    "HTTP/1.1  200 OK\r\n",
    "http/1.1 200 OK\r\n",
  ];
  for (const text of declined) {
    const bytes = encoder.encode(text);
    assert.equal(parseHeadFast(bytes, 0, bytes.length), null, text);
  }
});

Deno.test("the one-pass head parse notes what framing needs the full rules", () => {
  const cases: Array<[string, boolean, number]> = [
    ["Content-Length: 5", true, 5],
    ["content-LENGTH: 007", true, 7],
    ["Content-Length: 5, 5", false, -1],
    ["Content-Length: 5\r\nContent-Length: 5", false, 5],
    ["Content-Length: x", false, -1],
    ["Content-Length: 1234567890123456", false, -1],
    ["Transfer-Encoding: chunked", false, -1],
    ["Connection: keep-alive, Upgrade", false, -1],
    ["Connection: CLOSE", true, -1],
    ["", true, -1],
  ];
  for (const [fields, simple, length] of cases) {
    const bytes = encoder.encode(
      `HTTP/1.1 200 OK\r\n${fields === "" ? "" : fields + "\r\n"}`,
    );
    const fast = parseHeadFast(bytes, 0, bytes.length)!;
    assert.equal(fast.simple, simple, fields);
    if (simple) assert.equal(fast.contentLength, length, fields);
    assert.ok(checkAgrees(bytes));
  }
});

Deno.test("the one-pass head parse agrees with the full rules on varied and mutated heads", () => {
  // A small deterministic PRNG (xorshift32).
  let seed = 0x2545f491;
  const random = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const statusLines = [
    "HTTP/1.1 200 OK",
    "HTTP/1.0 200 OK",
    "HTTP/1.1 204",
    "HTTP/1.1 304 ",
    "HTTP/1.1 101 Switching Protocols",
    "HTTP/1.1 404 Not Found",
    "HTTP/1.0 500 Internal  Server Error ",
  ];
  const fields = [
    "Content-Length: 13",
    "content-length:0",
    "Content-Length:\t42 \t",
    "Connection: keep-alive",
    "Connection: close",
    "CONNECTION: Keep-Alive",
    "Connection: upgrade",
    "Transfer-Encoding: chunked",
    "X-Empty:",
    "X-Spaces:   ",
    "Server: nginx/1.22.1",
    "Set-Cookie: a=b; Path=/",
    'ETag: "674ce2e0-d"',
    "X-Odd-Name!#$%&'*+-.^_`|~: v",
  ];
  const noise = [13, 10, 0x3a, 0x20, 0x09, 0, 0x80, 0x61, 0x2c, 0x30, 0x7f];
  let accepted = 0;
  for (let round = 0; round < 3000; round++) {
    const eol = random(4) === 0 ? "\n" : "\r\n";
    let text = statusLines[random(statusLines.length)] + eol;
    const count = random(6);
    for (let i = 0; i < count; i++) {
      text += fields[random(fields.length)] + eol;
    }
    const bytes = encoder.encode(text);
    // Half of them get a few bytes replaced (the final LF is kept, as the
    // parser only hands over regions that end with one).
    if (random(2) === 0) {
      const changes = 1 + random(3);
      for (let i = 0; i < changes; i++) {
        bytes[random(bytes.length - 1)] = noise[random(noise.length)];
      }
    }
    if (checkAgrees(bytes)) accepted++;
  }
  // Most unmutated heads take the one-pass parse.
  assert.ok(accepted > 1000, `only ${accepted} heads took the fast path`);
});
