import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import {
  RemoteProtocolError,
  StreamConsumed,
  TooManyRedirects,
  UnsupportedProtocol,
} from "../../src/errors.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import type { BaseTransport } from "../../src/transports/base.ts";
import { MockTransport } from "../../src/transports/mock.ts";

function headersOf(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of request.headers.multiItems()) {
    out[name] = value;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

async function redirects(request: Request): Promise<Response> {
  const path = request.url.path;
  const location = (status: number, to: string) =>
    new Response(status, { headers: { Location: to } });
  switch (path) {
    case "/no_redirect":
      return new Response(200);
    case "/redirect_301":
      return new Response(301, {
        headers: { Location: "https://example.org/" },
        stream: chunks("<a href='https://example.org/'>", "here</a>"),
      });
    case "/redirect_302":
      return location(302, "https://example.org/");
    case "/redirect_303":
      return location(303, "https://example.org/");
    case "/redirect_307":
      return location(307, "https://example.org/redirect_body_target");
    case "/relative_redirect":
      return location(303, "/");
    case "/malformed_redirect":
      return location(303, "https://:443/");
    case "/invalid_redirect":
      return new Response(303, {
        headers: [["Location", "https://😇/"]],
      });
    case "/no_scheme_redirect":
      return location(303, "//example.org/");
    case "/multiple_redirects": {
      const count = Number(request.url.params.get("count") ?? "0");
      if (count === 0) return new Response(200);
      const next = count - 1;
      return location(
        303,
        next ? `/multiple_redirects?count=${next}` : "/multiple_redirects",
      );
    }
    case "/redirect_loop":
      return location(303, "/redirect_loop");
    case "/cross_domain":
      return location(303, "https://example.org/cross_domain_target");
    case "/upgrade":
      return location(301, `https://${request.url.host}/cross_domain_target`);
    case "/upgrade_port":
      return location(
        301,
        `https://${request.url.host}:8443/cross_domain_target`,
      );
    case "/cross_domain_target":
      return new Response(200, { json: { headers: headersOf(request) } });
    case "/redirect_body":
      return location(308, "/redirect_body_target");
    case "/redirect_no_body":
      return location(303, "/redirect_body_target");
    case "/redirect_body_target": {
      const body = await request.read();
      return new Response(200, {
        json: {
          method: request.method,
          body: decoder.decode(body),
          headers: headersOf(request),
        },
      });
    }
    case "/cross_subdomain":
      if (request.headers.get("host") !== "www.example.org") {
        return location(308, "https://www.example.org/cross_subdomain");
      }
      return new Response(200, { text: "Hello, world!" });
    case "/redirect_custom_scheme":
      return location(301, "market://details?id=42");
  }
  if (request.method === "HEAD") return new Response(200);
  return new Response(200, { text: "Hello, world!" });
}

function client(options: ConstructorParameters<typeof Client>[0] = {}) {
  return new Client({
    transport: new MockTransport(redirects),
    followRedirects: true,
    ...options,
  });
}

Deno.test("no redirect", async () => {
  await using c = client();
  const response = await c.get("https://example.com/no_redirect");
  assert.equal(response.statusCode, 200);
  assert.equal(response.nextRequest, null);
  assert.deepEqual(response.history, []);
});

Deno.test("301 turns POST into GET", async () => {
  await using c = client();
  const response = await c.post("https://example.org/redirect_301");
  assert.equal(response.statusCode, 200);
  assert.equal(response.url.toString(), "https://example.org/");
  assert.equal(response.request.method, "GET");
  assert.equal(response.history.length, 1);
  const first = response.history[0];
  assert.equal(first.statusCode, 301);
  assert.equal(first.isClosed, true);
  assert.equal(first.text, "<a href='https://example.org/'>here</a>");
});

Deno.test("302 and 303 turn POST into GET", async () => {
  await using c = client();
  for (const path of ["/redirect_302", "/redirect_303"]) {
    const response = await c.post(`https://example.org${path}`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.url.toString(), "https://example.org/");
    assert.equal(response.request.method, "GET");
    assert.equal(response.history.length, 1);
  }
});

Deno.test("307 keeps the method and the body", async () => {
  await using c = client();
  const response = await c.put("https://example.org/redirect_307", {
    content: "payload",
  });
  const json = response.json<
    { method: string; body: string; headers: Record<string, string> }
  >();
  assert.equal(json.method, "PUT");
  assert.equal(json.body, "payload");
  assert.equal(json.headers["content-length"], "7");
});

Deno.test("followRedirects false sets nextRequest, send() continues", async () => {
  await using c = client({ followRedirects: false });
  let response = await c.post("https://example.org/redirect_303");
  assert.equal(response.statusCode, 303);
  assert.equal(response.url.toString(), "https://example.org/redirect_303");
  assert.equal(response.hasRedirectLocation, true);
  assert.deepEqual(response.history, []);
  const next = response.nextRequest;
  assert.ok(next !== null);
  assert.equal(next.method, "GET");
  assert.equal(next.url.toString(), "https://example.org/");
  response = await c.send(next);
  assert.equal(response.statusCode, 200);
  assert.equal(response.url.toString(), "https://example.org/");
  assert.equal(response.nextRequest, null);
});

Deno.test("followRedirects per request overrides the client", async () => {
  await using c = client({ followRedirects: false });
  const response = await c.get("https://example.org/redirect_302", {
    followRedirects: true,
  });
  assert.equal(response.statusCode, 200);
});

Deno.test("HEAD stays HEAD through a 302", async () => {
  await using c = client();
  const response = await c.head("https://example.org/redirect_302");
  assert.equal(response.statusCode, 200);
  assert.equal(response.url.toString(), "https://example.org/");
  assert.equal(response.request.method, "HEAD");
  assert.equal(response.history.length, 1);
  assert.equal(response.text, "");
});

Deno.test("relative Location", async () => {
  await using c = client();
  const response = await c.get("https://example.org/relative_redirect");
  assert.equal(response.statusCode, 200);
  assert.equal(response.url.toString(), "https://example.org/");
});

Deno.test("Location with a scheme and no host keeps the host", async () => {
  await using c = client();
  const response = await c.get("http://example.org/malformed_redirect");
  assert.equal(response.statusCode, 200);
  assert.equal(response.url.scheme, "https");
  assert.equal(response.url.host, "example.org");
  assert.equal(response.url.port, null);
});

Deno.test("invalid Location raises RemoteProtocolError", async () => {
  await using c = client();
  await assert.rejects(
    c.get("http://example.org/invalid_redirect"),
    (error: unknown) => {
      assert.ok(error instanceof RemoteProtocolError);
      assert.match(error.message, /^Invalid URL in location header: /);
      assert.equal(
        error.request.url.toString(),
        "http://example.org/invalid_redirect",
      );
      return true;
    },
  );
});

Deno.test("scheme-relative Location", async () => {
  await using c = client();
  const response = await c.get("https://example.org/no_scheme_redirect");
  assert.equal(response.url.toString(), "https://example.org/");
});

Deno.test("the fragment is carried over", async () => {
  await using c = client();
  const response = await c.get(
    "https://example.org/relative_redirect#fragment",
  );
  assert.equal(response.url.toString(), "https://example.org/#fragment");
});

Deno.test("multiple redirects build the history", async () => {
  await using c = client();
  const response = await c.get(
    "https://example.org/multiple_redirects?count=20",
  );
  assert.equal(response.statusCode, 200);
  assert.equal(
    response.url.toString(),
    "https://example.org/multiple_redirects",
  );
  assert.equal(response.history.length, 20);
  assert.equal(
    response.history[0].url.toString(),
    "https://example.org/multiple_redirects?count=20",
  );
  assert.equal(
    response.history[1].url.toString(),
    "https://example.org/multiple_redirects?count=19",
  );
  assert.equal(response.history[0].history.length, 0);
  assert.equal(response.history[1].history.length, 1);
  assert.ok(response.history.every((r) => r.isClosed));
});

Deno.test("too many redirects", async () => {
  await using c = client();
  await assert.rejects(
    c.get("https://example.org/multiple_redirects?count=21"),
    (error: unknown) => {
      assert.ok(error instanceof TooManyRedirects);
      assert.equal(error.message, "Exceeded maximum allowed redirects");
      return true;
    },
  );
});

Deno.test("maxRedirects is honoured, 0 refuses the first redirect", async () => {
  let sent = 0;
  const transport = new MockTransport((request) => {
    sent++;
    return redirects(request);
  });
  await using c = new Client({
    transport,
    followRedirects: true,
    maxRedirects: 0,
  });
  await assert.rejects(
    c.get("https://example.org/redirect_303"),
    TooManyRedirects,
  );
  assert.equal(sent, 1);
  c.maxRedirects = 2;
  const ok = await c.get("https://example.org/multiple_redirects?count=2");
  assert.equal(ok.history.length, 2);
  await assert.rejects(
    c.get("https://example.org/multiple_redirects?count=3"),
    TooManyRedirects,
  );
});

Deno.test("stepping by hand with send(nextRequest) walks the chain", async () => {
  await using c = client({ followRedirects: false });
  let response = await c.get(
    "https://example.org/multiple_redirects?count=21",
  );
  let steps = 0;
  while (response.nextRequest !== null) {
    response = await c.send(response.nextRequest);
    steps++;
  }
  // As in HTTPX, each send() starts a new history, so no limit applies.
  assert.equal(steps, 21);
  assert.equal(response.statusCode, 200);
  assert.equal(
    response.url.toString(),
    "https://example.org/multiple_redirects",
  );
});

Deno.test("redirect loop", async () => {
  await using c = client();
  await assert.rejects(
    c.get("https://example.org/redirect_loop"),
    TooManyRedirects,
  );
});

Deno.test("Authorization header is dropped across domains", async () => {
  await using c = client();
  const response = await c.get("https://example.com/cross_domain", {
    headers: { Authorization: "abc" },
  });
  assert.equal(
    response.url.toString(),
    "https://example.org/cross_domain_target",
  );
  const headers = response.json<{ headers: Record<string, string> }>().headers;
  assert.equal(headers.authorization, undefined);
  assert.equal(headers.host, "example.org");
});

Deno.test("auth credentials are dropped across domains", async () => {
  await using c = client();
  const response = await c.get("https://example.com/cross_domain", {
    auth: ["user", "pass"],
  });
  const headers = response.json<{ headers: Record<string, string> }>().headers;
  assert.equal(headers.authorization, undefined);
});

Deno.test("Authorization is kept on the same domain", async () => {
  await using c = client();
  const response = await c.get("https://example.org/cross_domain", {
    headers: { Authorization: "abc" },
  });
  const headers = response.json<{ headers: Record<string, string> }>().headers;
  assert.equal(headers.authorization, "abc");
});

Deno.test("Authorization is kept on an http→https upgrade", async () => {
  await using c = client();
  const response = await c.get("http://example.org/upgrade", {
    headers: { Authorization: "abc" },
  });
  assert.equal(
    response.url.toString(),
    "https://example.org/cross_domain_target",
  );
  const headers = response.json<{ headers: Record<string, string> }>().headers;
  assert.equal(headers.authorization, "abc");
});

Deno.test("Authorization is dropped on an upgrade to another port", async () => {
  await using c = client();
  const response = await c.get("http://example.org/upgrade_port", {
    headers: { Authorization: "abc" },
  });
  const headers = response.json<{ headers: Record<string, string> }>().headers;
  assert.equal(headers.authorization, undefined);
  assert.equal(headers.host, "example.org:8443");
});

Deno.test("308 keeps the body", async () => {
  await using c = client();
  const response = await c.post("https://example.org/redirect_body", {
    content: encoder.encode("Example request body"),
  });
  assert.equal(
    response.url.toString(),
    "https://example.org/redirect_body_target",
  );
  const json = response.json<
    { method: string; body: string; headers: Record<string, string> }
  >();
  assert.equal(json.method, "POST");
  assert.equal(json.body, "Example request body");
  assert.equal(json.headers["content-length"], "20");
});

Deno.test("303 drops the body and every body header", async () => {
  await using c = client();
  const response = await c.post("https://example.org/redirect_no_body", {
    json: { a: 1 },
    headers: { "Content-Encoding": "identity", "X-Keep": "yes" },
  });
  const json = response.json<
    { method: string; body: string; headers: Record<string, string> }
  >();
  assert.equal(json.method, "GET");
  assert.equal(json.body, "");
  assert.equal(json.headers["content-length"], undefined);
  assert.equal(json.headers["content-type"], undefined);
  assert.equal(json.headers["content-encoding"], undefined);
  assert.equal(json.headers["transfer-encoding"], undefined);
  assert.equal(json.headers["x-keep"], "yes");
});

Deno.test("a streamed redirect is returned unread", async () => {
  await using c = client({ followRedirects: false });
  const response = await c.stream("GET", "https://example.org/redirect_301");
  assert.equal(response.isClosed, false);
  assert.equal(response.statusCode, 301);
  assert.equal(response.headers.get("location"), "https://example.org/");
  await response.close();
  assert.equal(response.isClosed, true);
});

/** Sends like a network transport: iterates the body instead of read(). */
class StreamingTransport implements BaseTransport {
  async handleRequest(request: Request): Promise<Response> {
    const parts: string[] = [];
    for await (const chunk of request.stream) parts.push(decoder.decode(chunk));
    if (request.url.path === "/redirect_body") {
      return new Response(308, { headers: { Location: "/target" } });
    }
    return new Response(200, { text: parts.join("") });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("a one-shot body cannot be replayed on 308", async () => {
  await using c = new Client({
    transport: new StreamingTransport(),
    followRedirects: true,
  });
  async function* body() {
    yield encoder.encode("Example request body");
  }
  await assert.rejects(
    c.post("https://example.org/redirect_body", { content: body() }),
    (error: unknown) => {
      assert.ok(error instanceof StreamConsumed);
      assert.match(error.message, /308 redirect/);
      return true;
    },
  );
  // A body in memory is replayed.
  const response = await c.post("https://example.org/redirect_body", {
    content: "again",
  });
  assert.equal(response.url.toString(), "https://example.org/target");
  assert.equal(response.text, "again");
});

Deno.test("Host follows a cross-subdomain redirect", async () => {
  await using c = client();
  const response = await c.get("https://example.com/cross_subdomain");
  assert.equal(
    response.url.toString(),
    "https://www.example.org/cross_subdomain",
  );
  assert.equal(response.text, "Hello, world!");
});

Deno.test("unsupported scheme in Location", async () => {
  await using c = client();
  await assert.rejects(
    c.post("https://example.org/redirect_custom_scheme"),
    (error: unknown) => {
      assert.ok(error instanceof UnsupportedProtocol);
      assert.equal(
        error.message,
        "Request URL has an unsupported protocol 'market://'",
      );
      return true;
    },
  );
});

Deno.test("unsupported scheme in Location is fine when not followed", async () => {
  await using c = client({ followRedirects: false });
  const response = await c.post("https://example.org/redirect_custom_scheme");
  assert.equal(response.nextRequest?.url.scheme, "market");
});

function cookieSessions(request: Request): Response {
  const url = request.url.toString();
  const cookie = request.headers.get("cookie");
  if (url === "https://example.com/") {
    const text = cookie ? `Logged in as ${cookie}` : "Not logged in";
    return new Response(200, { text });
  }
  if (url === "https://example.com/login") {
    return new Response(302, {
      headers: [
        ["Location", "https://example.com/"],
        ["Set-Cookie", "session=abc; Path=/; Secure"],
      ],
    });
  }
  if (url === "https://example.com/logout") {
    return new Response(302, {
      headers: [
        ["Location", "https://example.com/"],
        [
          "Set-Cookie",
          "session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        ],
      ],
    });
  }
  if (url === "https://other.example/") {
    return new Response(200, { text: cookie ?? "no cookie" });
  }
  if (url === "https://example.com/away") {
    return new Response(302, {
      headers: { Location: "https://other.example/" },
    });
  }
  return new Response(404);
}

Deno.test("cookies are recomputed at every hop", async () => {
  await using c = new Client({
    transport: new MockTransport(cookieSessions),
    followRedirects: true,
  });
  let response = await c.get("https://example.com/");
  assert.equal(response.text, "Not logged in");

  response = await c.post("https://example.com/login");
  assert.equal(response.url.toString(), "https://example.com/");
  assert.equal(response.text, "Logged in as session=abc");

  response = await c.get("https://example.com/");
  assert.equal(response.text, "Logged in as session=abc");

  response = await c.get("https://example.com/away");
  assert.equal(response.text, "no cookie");

  response = await c.post("https://example.com/logout");
  assert.equal(response.text, "Not logged in");

  response = await c.get("https://example.com/");
  assert.equal(response.text, "Not logged in");
});
