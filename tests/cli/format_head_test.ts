import assert from "node:assert/strict";
import {
  formatRequestHead,
  formatResponseHead,
} from "../../src/cli/format_head.ts";
import { createStyle, shouldColor } from "../../src/cli/style.ts";

const plain = createStyle(false);

Deno.test("formatResponseHead keeps the reason and header names as received", () => {
  const text = formatResponseHead({
    httpVersion: "HTTP/1.1",
    statusCode: 200,
    reasonPhrase: "Fine Thanks",
    headers: [["X-Custom", "a"], ["content-length", "0"], ["X-Custom", "b"]],
  }, plain);
  assert.equal(
    text,
    "HTTP/1.1 200 Fine Thanks\nX-Custom: a\ncontent-length: 0\nX-Custom: b\n\n",
  );
});

Deno.test("formatResponseHead uses the standard phrase when there is none", () => {
  assert.equal(
    formatResponseHead({
      httpVersion: "HTTP/2",
      statusCode: 404,
      reasonPhrase: null,
      headers: [],
    }, plain),
    "HTTP/2 404 Not Found\n\n",
  );
  assert.equal(
    formatResponseHead({
      httpVersion: "HTTP/1.1",
      statusCode: 299,
      reasonPhrase: null,
      headers: [],
    }, plain),
    "HTTP/1.1 299\n\n",
  );
});

Deno.test("formatRequestHead: HTTP/1.1 keeps case, HTTP/2 lower-cases", () => {
  const head = {
    method: "POST",
    target: "/a?b=1",
    headers: [["Host", "example.org"], ["X-Thing", "1"]] as Array<
      [string, string]
    >,
  };
  assert.equal(
    formatRequestHead(head, false, plain),
    "POST /a?b=1 HTTP/1.1\nHost: example.org\nX-Thing: 1\n\n",
  );
  assert.equal(
    formatRequestHead(head, true, plain),
    "POST /a?b=1 HTTP/2\nhost: example.org\nx-thing: 1\n\n",
  );
});

Deno.test("colours: status by class, none without a terminal or with NO_COLOR", () => {
  const color = createStyle(true);
  const ok = formatResponseHead(
    {
      httpVersion: "HTTP/1.1",
      statusCode: 201,
      reasonPhrase: "Created",
      headers: [["A", "b"]],
    },
    color,
  );
  assert.ok(ok.includes("\x1b[32m201 Created\x1b[0m"));
  assert.ok(ok.includes("\x1b[36mA\x1b[0m: b"));
  const bad = formatResponseHead(
    {
      httpVersion: "HTTP/1.1",
      statusCode: 503,
      reasonPhrase: "Busy",
      headers: [],
    },
    color,
  );
  assert.ok(bad.includes("\x1b[31m503 Busy\x1b[0m"));
  const moved = formatResponseHead(
    {
      httpVersion: "HTTP/1.1",
      statusCode: 301,
      reasonPhrase: "Moved",
      headers: [],
    },
    color,
  );
  assert.ok(moved.includes("\x1b[33m301 Moved\x1b[0m"));

  assert.equal(shouldColor(true, undefined), true);
  assert.equal(shouldColor(true, ""), true);
  assert.equal(shouldColor(true, "1"), false);
  assert.equal(shouldColor(false, undefined), false);
});
