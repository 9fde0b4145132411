/**
 * Broken servers, scripted byte for byte with raw `Deno.listen` sockets, and
 * what our `HTTPTransport` (through a `Client`) makes of them.
 */

import assert from "node:assert/strict";
import * as httpx from "../../mod.ts";
import {
  errorOf,
  faultClient as client,
  faultServer,
  okResponse,
  replyServer,
} from "./_fault_server.ts";

Deno.test("faults: server closes mid-body (FIN) gives RemoteProtocolError", async () => {
  await using server = replyServer(
    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100),
  );
  await using http = client();
  const error = await errorOf(http.get(server.url));
  assert.ok(error instanceof httpx.RemoteProtocolError, String(error));
  assert.ok(error.hasRequest);
  assert.equal(error.request.url.toString(), server.url);
});

Deno.test("faults: connection reset mid-body gives ReadError or RemoteProtocolError", async () => {
  await using server = faultServer(async (conn) => {
    // Leave the request unread: closing a socket with unread input makes
    // the kernel answer with RST instead of FIN.
    const first = new Uint8Array(1);
    await conn.conn.read(first);
    await conn.write(
      "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "y".repeat(1000),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  await using http = client();
  const error = await errorOf(http.get(server.url, {
    headers: { "X-Padding": "p".repeat(4000) },
  }));
  assert.ok(
    error instanceof httpx.ReadError ||
      error instanceof httpx.RemoteProtocolError,
    `got ${error}`,
  );
});

Deno.test("faults: a reset while streaming raises from iterBytes and closes the response", async () => {
  await using server = faultServer(async (conn) => {
    const first = new Uint8Array(1);
    await conn.conn.read(first);
    await conn.write(
      "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "z".repeat(10),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
  await using http = client();
  await using response = await http.stream("GET", server.url, {
    headers: { "X-Padding": "p".repeat(4000) },
  });
  assert.equal(response.statusCode, 200);
  let received = 0;
  const error = await errorOf((async () => {
    for await (const chunk of response.iterBytes()) received += chunk.length;
  })());
  assert.ok(
    error instanceof httpx.ReadError ||
      error instanceof httpx.RemoteProtocolError,
    `got ${error}`,
  );
  assert.ok(received <= 10);
  assert.ok(response.isClosed);
});

Deno.test("faults: truncated chunked body gives RemoteProtocolError", async () => {
  await using server = replyServer(
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nab",
  );
  await using http = client();
  await assert.rejects(http.get(server.url), httpx.RemoteProtocolError);
});

Deno.test("faults: chunked body without the last chunk gives RemoteProtocolError", async () => {
  await using server = replyServer(
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
  );
  await using http = client();
  await using response = await http.stream("GET", server.url);
  const chunks: string[] = [];
  await assert.rejects(async () => {
    for await (const chunk of response.iterText()) chunks.push(chunk);
  }, httpx.RemoteProtocolError);
  assert.equal(chunks.join(""), "hello");
});

Deno.test("faults: garbage status line gives RemoteProtocolError", async () => {
  await using server = replyServer("SPDY/9 WHAT EVEN\r\nFoo: bar\r\n\r\n");
  await using http = client();
  await assert.rejects(http.get(server.url), httpx.RemoteProtocolError);
});

Deno.test("faults: binary garbage instead of a response gives RemoteProtocolError", async () => {
  await using server = replyServer(
    new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xff, 0, 0, 0]),
  );
  await using http = client();
  await assert.rejects(http.get(server.url), httpx.RemoteProtocolError);
});

Deno.test("faults: a head over 100 KiB gives RemoteProtocolError", async () => {
  await using server = faultServer(async (conn) => {
    await conn.readRequest();
    await conn.write("HTTP/1.1 200 OK\r\n");
    // 200 KiB of headers and never the blank line.
    for (let i = 0; i < 200; i++) {
      if (!await conn.write(`X-Big-${i}: ${"a".repeat(1010)}\r\n`)) return;
    }
    await conn.waitForEof();
  });
  await using http = client();
  await assert.rejects(http.get(server.url), httpx.RemoteProtocolError);
});

Deno.test("faults: a head just under 100 KiB is accepted", async () => {
  await using server = faultServer(async (conn) => {
    await conn.readRequest();
    let head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n";
    for (let i = 0; i < 90; i++) head += `X-Big-${i}: ${"b".repeat(1000)}\r\n`;
    await conn.write(head + "\r\nok");
  });
  await using http = client();
  const response = await http.get(server.url);
  assert.equal(response.text, "ok");
  assert.equal(response.headers.get("x-big-89"), "b".repeat(1000));
});

Deno.test("faults: accept then close at once gives 'Server disconnected without sending a response'", async () => {
  await using server = faultServer(() => {});
  await using http = client();
  await assert.rejects(
    http.get(server.url),
    (error: unknown) => {
      assert.ok(error instanceof httpx.RemoteProtocolError, String(error));
      assert.match(
        error.message,
        /^Server disconnected without sending a response/,
      );
      return true;
    },
  );
});

Deno.test("faults: close after reading the request, before any byte", async () => {
  await using server = replyServer();
  await using http = client();
  await assert.rejects(
    http.post(server.url, { content: "body" }),
    (error: unknown) => {
      assert.ok(error instanceof httpx.RemoteProtocolError, String(error));
      assert.match(error.message, /Server disconnected/);
      return true;
    },
  );
});

Deno.test("faults: 100 Continue and 103 Early Hints are skipped before the real response", async () => {
  await using server = faultServer(async (conn) => {
    const request = await conn.readRequest();
    await conn.write("HTTP/1.1 100 Continue\r\n\r\n");
    await conn.write(
      "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n",
    );
    await conn.write(
      okResponse(new TextDecoder().decode(request!.body), [
        "Content-Type: text/plain",
      ]),
    );
  });
  await using http = client();
  const response = await http.post(server.url, {
    content: "payload",
    headers: { Expect: "100-continue" },
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.text, "payload");
  assert.equal(response.headers.get("link"), undefined);
  assert.equal(response.history.length, 0);
});

Deno.test("faults: HTTP/1.0 response without length is read until close", async () => {
  await using server = replyServer(
    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n",
    "first part, ",
    "second part",
  );
  await using http = client();
  const response = await http.get(server.url);
  assert.equal(response.httpVersion, "HTTP/1.0");
  assert.equal(response.text, "first part, second part");
});

Deno.test("faults: HTTP/1.0 connections are not reused", async () => {
  await using server = faultServer(async (conn) => {
    const request = await conn.readRequest();
    if (request === null) return;
    await conn.write(
      `HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n${conn.index}${conn.index}`,
    );
    // An HTTP/1.0 server without keep-alive closes after the response.
  });
  await using http = client();
  const first = await http.get(server.url);
  const second = await http.get(server.url);
  assert.equal(first.text, "00");
  assert.equal(second.text, "11");
  assert.equal(server.accepted, 2);
});

Deno.test("faults: reason phrase and header case are kept as received", async () => {
  await using server = replyServer(
    "HTTP/1.1 299 Quite Fine Thanks\r\nX-MiXeD-CaSe: v\r\nContent-Length: 0\r\n\r\n",
  );
  await using http = client();
  const response = await http.get(server.url);
  assert.equal(response.statusCode, 299);
  assert.equal(response.reasonPhrase, "Quite Fine Thanks");
  assert.deepEqual(
    [...response.headers.raw].map(([name]) => new TextDecoder().decode(name)),
    ["X-MiXeD-CaSe", "Content-Length"],
  );
});
