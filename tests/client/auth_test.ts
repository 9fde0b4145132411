import assert from "node:assert/strict";
import { Auth, BasicAuth, FunctionAuth } from "../../src/auth/auth.ts";
import { DigestAuth } from "../../src/auth/digest_auth.ts";
import { Client } from "../../src/client/client.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { MockTransport } from "../../src/transports/mock.ts";

const decoder = new TextDecoder();

/** Answers with the Authorization header it got. */
function authEcho(request: Request): Response {
  return new Response(200, {
    json: { auth: request.headers.get("authorization") ?? null },
  });
}

function client(options: ConstructorParameters<typeof Client>[0] = {}) {
  return new Client({ transport: new MockTransport(authEcho), ...options });
}

const basic = (user: string, pass: string) =>
  `Basic ${btoa(`${user}:${pass}`)}`;

Deno.test("auth as a pair is Basic", async () => {
  await using c = client();
  const response = await c.get("https://example.org/", {
    auth: ["user", "password123"],
  });
  assert.deepEqual(response.json(), { auth: basic("user", "password123") });
});

Deno.test("Basic auth with a streaming body", async () => {
  await using c = client();
  async function* body() {
    yield new TextEncoder().encode("data");
  }
  const response = await c.post("https://example.org/", {
    auth: ["user", "password123"],
    content: body(),
  });
  assert.deepEqual(response.json(), { auth: basic("user", "password123") });
});

Deno.test("URL userinfo becomes Basic auth and is not sent", async () => {
  let seen: Request | undefined;
  const transport = new MockTransport((request) => {
    seen = request;
    return authEcho(request);
  });
  await using c = new Client({ transport });
  const response = await c.get("https://tom:pass%20word@example.org/");
  assert.deepEqual(response.json(), { auth: basic("tom", "pass word") });
  assert.equal(seen?.headers.get("host"), "example.org");
});

Deno.test("client-level auth and the auth property", async () => {
  await using c = client({ auth: ["user", "password123"] });
  assert.ok(c.auth instanceof BasicAuth);
  let response = await c.get("https://example.org/");
  assert.deepEqual(response.json(), { auth: basic("user", "password123") });

  c.auth = ["other", "pw"];
  response = await c.get("https://example.org/");
  assert.deepEqual(response.json(), { auth: basic("other", "pw") });

  c.auth = null;
  assert.equal(c.auth, null);
  response = await c.get("https://example.org/");
  assert.deepEqual(response.json(), { auth: null });
});

Deno.test("request auth overrides client auth; null disables it", async () => {
  await using c = client({ auth: ["user", "password123"] });
  let response = await c.get("https://example.org/", { auth: ["a", "b"] });
  assert.deepEqual(response.json(), { auth: basic("a", "b") });
  response = await c.get("https://example.org/", { auth: null });
  assert.deepEqual(response.json(), { auth: null });
  // auth: null still leaves URL credentials in force.
  response = await c.get("https://u:p@example.org/", { auth: null });
  assert.deepEqual(response.json(), { auth: basic("u", "p") });
});

Deno.test("a function is wrapped in FunctionAuth, sync or async", async () => {
  await using c = client();
  let response = await c.get("https://example.org/", {
    auth: (request) => {
      request.headers.set("Authorization", "Token 123");
      return request;
    },
  });
  assert.deepEqual(response.json(), { auth: "Token 123" });
  response = await c.get("https://example.org/", {
    auth: async (request) => {
      await Promise.resolve();
      request.headers.set("Authorization", "Token async");
      return request;
    },
  });
  assert.deepEqual(response.json(), { auth: "Token async" });
  const clientWithFn = client({ auth: (r) => r });
  assert.ok(clientWithFn.auth instanceof FunctionAuth);
});

Deno.test("an invalid auth value is refused", () => {
  assert.throws(
    () => client({ auth: 123 as unknown as [string, string] }),
    TypeError,
  );
  assert.throws(
    () => client({ auth: ["only-one"] as unknown as [string, string] }),
    TypeError,
  );
});

/** Asks for credentials `repeat` times before answering 200. */
class RepeatAuth extends Auth {
  #repeat: number;
  constructor(repeat: number) {
    super();
    this.#repeat = repeat;
  }
  override *authFlow(request: Request): Generator<Request, void, Response> {
    const nonces: string[] = [];
    for (let i = 0; i < this.#repeat; i++) {
      request.headers.set("Authorization", "Repeat");
      const response = yield request;
      nonces.push(response.headers.get("www-authenticate") ?? "");
    }
    request.headers.set("Authorization", `Repeat ${nonces.join(",")}`);
    yield request;
  }
}

function challenging(request: Request): Response {
  const auth = request.headers.get("authorization");
  if (auth === "Repeat") {
    return new Response(401, {
      headers: {
        "WWW-Authenticate": `n${Math.random().toString(36).slice(2, 6)}`,
      },
      text: "challenge",
    });
  }
  return new Response(200, { json: { auth } });
}

Deno.test("auth round trips go into the history", async () => {
  await using c = new Client({ transport: new MockTransport(challenging) });
  const response = await c.get("https://example.org/", {
    auth: new RepeatAuth(2),
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.history.length, 2);
  const [first, second] = response.history;
  assert.equal(first.statusCode, 401);
  assert.equal(second.statusCode, 401);
  assert.equal(first.isClosed, true);
  assert.equal(first.text, "challenge");
  assert.equal(first.history.length, 0);
  assert.equal(second.history.length, 1);
  const nonces = [first, second].map((r) => r.headers.get("www-authenticate"));
  assert.deepEqual(response.json(), { auth: `Repeat ${nonces.join(",")}` });
});

Deno.test("auth round trips count towards maxRedirects", async () => {
  await using c = new Client({
    transport: new MockTransport(challenging),
    maxRedirects: 1,
  });
  await assert.rejects(
    c.get("https://example.org/", { auth: new RepeatAuth(3) }),
    (error: unknown) =>
      error instanceof Error && /redirects/.test(error.message),
  );
});

/** An async flow that reads the response body before deciding. */
class ResponseBodyAuth extends Auth {
  override requiresResponseBody = true;
  seen: string[] = [];
  override async *authFlow(
    request: Request,
  ): AsyncGenerator<Request, void, Response> {
    request.headers.set("Authorization", "first");
    const response = yield request;
    this.seen.push(response.text);
    request.headers.set("Authorization", `second ${response.text}`);
    const final = yield request;
    this.seen.push(final.text);
  }
}

Deno.test("requiresResponseBody reads each response (async flow)", async () => {
  let n = 0;
  const transport = new MockTransport((request) =>
    new Response(200, {
      stream: (async function* () {
        yield new TextEncoder().encode(
          `reply ${++n} to ${request.headers.get("authorization")}`,
        );
      })(),
    })
  );
  await using c = new Client({ transport });
  const auth = new ResponseBodyAuth();
  const response = await c.get("https://example.org/", { auth });
  assert.deepEqual(auth.seen, [
    "reply 1 to first",
    "reply 2 to second reply 1 to first",
  ]);
  assert.equal(response.text, "reply 2 to second reply 1 to first");
  assert.equal(response.history.length, 1);
});

/** Signs the body: needs it read before the flow starts. */
class BodySignatureAuth extends Auth {
  override requiresRequestBody = true;
  override *authFlow(request: Request): Generator<Request, void, Response> {
    request.headers.set("X-Body-Length", String(request.content.length));
    yield request;
  }
}

Deno.test("requiresRequestBody reads a streamed body first", async () => {
  const transport = new MockTransport((request) =>
    new Response(200, {
      text: `${request.headers.get("x-body-length")}:${
        decoder.decode(request.content)
      }`,
    })
  );
  await using c = new Client({ transport });
  async function* body() {
    yield new TextEncoder().encode("abc");
    yield new TextEncoder().encode("de");
  }
  const response = await c.post("https://example.org/", {
    content: body(),
    auth: new BodySignatureAuth(),
  });
  assert.equal(response.text, "5:abcde");
});

Deno.test("the flow is closed when sending fails", async () => {
  let finalized = false;
  class Tracking extends Auth {
    override *authFlow(request: Request): Generator<Request, void, Response> {
      try {
        yield request;
      } finally {
        finalized = true;
      }
    }
  }
  const transport = new MockTransport(() => {
    throw new Error("network down");
  });
  await using c = new Client({ transport });
  await assert.rejects(
    c.get("https://example.org/", { auth: new Tracking() }),
    /network down/,
  );
  assert.equal(finalized, true);
});

Deno.test("digest auth through the client", async () => {
  const transport = new MockTransport((request) => {
    const auth = request.headers.get("authorization");
    if (auth === undefined) {
      return new Response(401, {
        headers: {
          "WWW-Authenticate":
            'Digest realm="httpx@example.org", qop="auth", nonce="abc123", opaque="xyz"',
        },
      });
    }
    return new Response(200, { json: { auth } });
  });
  await using c = new Client({ transport });
  const response = await c.get("https://example.org/private", {
    auth: new DigestAuth("user", "pass"),
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.history.length, 1);
  assert.equal(response.history[0].statusCode, 401);
  const auth = response.json<{ auth: string }>().auth;
  assert.match(auth, /^Digest username="user", realm="httpx@example.org"/);
  assert.match(auth, /uri="\/private"/);
});

Deno.test("Auth base class sends the request unchanged", async () => {
  await using c = client();
  const response = await c.get("https://example.org/", { auth: new Auth() });
  assert.deepEqual(response.json(), { auth: null });
  assert.equal(response.history.length, 0);
});
