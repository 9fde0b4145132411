import assert from "node:assert/strict";
import * as api from "../../src/client/api.ts";
import { UnsupportedProtocol } from "../../src/errors.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import type { BaseTransport } from "../../src/transports/base.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Echoes method and body; counts closes; streams the body in two parts. */
class EchoTransport implements BaseTransport {
  closed = 0;
  bodyClosed = false;
  async handleRequest(request: Request): Promise<Response> {
    const body = decoder.decode(await request.read());
    if (request.url.path === "/redirect") {
      return new Response(302, { headers: { Location: "/" } });
    }
    const onClose = () => {
      this.bodyClosed = true;
    };
    const text = `${request.method} ${body} ${
      request.headers.get("cookie") ?? ""
    }`;
    return new Response(200, {
      stream: {
        async *[Symbol.asyncIterator]() {
          yield encoder.encode(text.slice(0, 3));
          yield encoder.encode(text.slice(3));
        },
        close: onClose,
      },
    });
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

Deno.test("top-level functions send, read and close", async () => {
  const cases: Array<
    [string, (t: EchoTransport) => Promise<Response>, string]
  > = [
    [
      "GET",
      (transport) => api.get("https://example.org/", { transport }),
      "GET  ",
    ],
    [
      "HEAD",
      (transport) => api.head("https://example.org/", { transport }),
      "HEAD  ",
    ],
    [
      "OPTIONS",
      (transport) => api.options("https://example.org/", { transport }),
      "OPTIONS  ",
    ],
    [
      "DELETE",
      (transport) => api.delete("https://example.org/", { transport }),
      "DELETE  ",
    ],
    [
      "POST",
      (transport) =>
        api.post("https://example.org/", { transport, content: "x" }),
      "POST x ",
    ],
    [
      "PUT",
      (transport) =>
        api.put("https://example.org/", { transport, content: "y" }),
      "PUT y ",
    ],
    [
      "PATCH",
      (transport) => api.patch("https://example.org/", { transport, json: 1 }),
      "PATCH 1 ",
    ],
    [
      "QUERY",
      (transport) =>
        api.request("QUERY", "https://example.org/", { transport }),
      "QUERY  ",
    ],
  ];
  for (const [method, call, expected] of cases) {
    const transport = new EchoTransport();
    const response = await call(transport);
    assert.equal(response.statusCode, 200, method);
    assert.equal(response.text, expected);
    assert.equal(response.isClosed, true);
    assert.equal(transport.closed, 1);
    assert.equal(transport.bodyClosed, true);
  }
});

Deno.test("top-level post with a byte iterator", async () => {
  const transport = new EchoTransport();
  async function* body() {
    yield encoder.encode("Hello, ");
    yield encoder.encode("world!");
  }
  const response = await api.post("https://example.org/", {
    content: body(),
    transport,
  });
  assert.equal(response.text, "POST Hello, world! ");
});

Deno.test("top-level cookies go to the client and follow redirects", async () => {
  const transport = new EchoTransport();
  const response = await api.get("https://example.org/redirect", {
    transport,
    cookies: { a: "1" },
    followRedirects: true,
  });
  assert.equal(response.history.length, 1);
  assert.equal(response.text, "GET  a=1");
});

Deno.test("top-level stream returns an unread response; close closes the client", async () => {
  const transport = new EchoTransport();
  const response = await api.stream("POST", "https://example.org/", {
    transport,
    content: "z",
  });
  assert.equal(response.isClosed, false);
  assert.equal(transport.closed, 0);
  const parts: string[] = [];
  for await (const chunk of response.iterText()) parts.push(chunk);
  assert.deepEqual(parts, ["POS", "T z "]);
  assert.equal(response.isClosed, true);
  assert.equal(transport.closed, 1);
});

Deno.test("top-level stream with await using", async () => {
  const transport = new EchoTransport();
  {
    await using response = await api.stream("GET", "https://example.org/", {
      transport,
    });
    assert.equal(response.statusCode, 200);
  }
  assert.equal(transport.bodyClosed, true);
  assert.equal(transport.closed, 1);
});

Deno.test("top-level invalid URL closes the client", async () => {
  const transport = new EchoTransport();
  await assert.rejects(
    api.get("invalid://example.org", { transport }),
    UnsupportedProtocol,
  );
  assert.equal(transport.closed, 1);
  await assert.rejects(
    api.stream("GET", "invalid://example.org", { transport }),
    UnsupportedProtocol,
  );
  assert.equal(transport.closed, 2);
});
