import assert from "node:assert/strict";
import {
  Auth,
  BasicAuth,
  basicAuthHeader,
  FunctionAuth,
} from "../../src/auth/auth.ts";
import { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

Deno.test("Auth: the base class sends the request unchanged, once", async () => {
  const request = new Request("GET", "https://www.example.com");
  const flow = new Auth().asyncAuthFlow(request);
  const first = await flow.next();
  assert.equal(first.value, request);
  assert.equal(request.headers.has("authorization"), false);
  assert.deepEqual(await flow.next(new Response(200)), {
    done: true,
    value: undefined,
  });
});

Deno.test("BasicAuth: sets Authorization and makes no other request", async () => {
  const request = new Request("GET", "https://www.example.com");
  const flow = new BasicAuth("user", "pass").asyncAuthFlow(request);
  const first = await flow.next();
  assert.equal(
    (first.value as Request).headers.get("Authorization"),
    "Basic dXNlcjpwYXNz",
  );
  const done = await flow.next(new Response(200, { content: "Hello" }));
  assert.equal(done.done, true);
});

Deno.test("BasicAuth: UTF-8 strings and raw bytes; replaces an existing header", () => {
  const request = new Request("GET", "https://example.com", {
    headers: { Authorization: "Bearer old" },
  });
  const flow = new BasicAuth("usér", "pässword").authFlow(request) as Generator<
    Request,
    void,
    Response
  >;
  flow.next();
  // base64 of the UTF-8 bytes of "usér:pässword"
  assert.deepEqual(request.headers.getList("authorization"), [
    "Basic dXPDqXI6cMOkc3N3b3Jk",
  ]);
  assert.equal(
    basicAuthHeader(new Uint8Array([0xff, 0x00]), new Uint8Array([0x80])),
    `Basic ${new Uint8Array([0xff, 0x00, 0x3a, 0x80]).toBase64()}`,
  );
  assert.equal(basicAuthHeader("", ""), "Basic Og==");
  assert.equal(
    basicAuthHeader("Aladdin", "open sesame"),
    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
  );
});

Deno.test("FunctionAuth: sync and async functions", async () => {
  const sync = new FunctionAuth((request) => {
    request.headers.set("X-Auth", "sync");
    return request;
  });
  const asyncAuth = new FunctionAuth(async (request) => {
    await Promise.resolve();
    request.headers.set("X-Auth", "async");
    return request;
  });
  for (
    const [auth, expected] of [[sync, "sync"], [asyncAuth, "async"]] as const
  ) {
    const flow = auth.asyncAuthFlow(new Request("GET", "https://example.com"));
    const step = await flow.next();
    assert.equal((step.value as Request).headers.get("x-auth"), expected);
    assert.equal((await flow.next(new Response(200))).done, true);
  }
});

// A scheme that needs several round trips, collecting what each response said.
class RepeatAuth extends Auth {
  override requiresRequestBody = true;
  #repeat: number;
  constructor(repeat: number) {
    super();
    this.#repeat = repeat;
  }
  override *authFlow(request: Request): Generator<Request, void, Response> {
    const nonces: string[] = [];
    for (let index = 0; index < this.#repeat; index++) {
      request.headers.set("Authorization", `Repeat ${index}`);
      const response = yield request;
      nonces.push(response.headers.get("www-authenticate") ?? "");
    }
    request.headers.set("Authorization", `Repeat ${nonces.join(".")}`);
    yield request;
  }
}

Deno.test("asyncAuthFlow: drives a multi-step sync flow and reads the request body first", async () => {
  const request = new Request("POST", "https://example.com", {
    content: chunks("a", "b", "c"),
  });
  const flow = new RepeatAuth(2).asyncAuthFlow(request);
  const seen: string[] = [];
  let step = await flow.next();
  // requiresRequestBody: the streaming body was read before the first yield.
  assert.equal(decoder.decode(request.content), "abc");
  let count = 0;
  while (!step.done) {
    seen.push(step.value.headers.get("authorization") ?? "");
    step = await flow.next(
      new Response(401, { headers: { "WWW-Authenticate": `n${count++}` } }),
    );
  }
  assert.deepEqual(seen, ["Repeat 0", "Repeat 1", "Repeat n0.n1"]);
});

class ResponseBodyAuth extends Auth {
  override requiresResponseBody = true;
  override async *authFlow(
    request: Request,
  ): AsyncGenerator<Request, void, Response> {
    request.headers.set("Authorization", "initial");
    const response = yield request;
    // Without requiresResponseBody, `content` of a streamed body would throw.
    request.headers.set("Authorization", decoder.decode(response.content));
    yield request;
  }
}

Deno.test("asyncAuthFlow: requiresResponseBody reads each response before the flow sees it", async () => {
  const flow = new ResponseBodyAuth().asyncAuthFlow(
    new Request("GET", "https://example.com"),
  );
  const first = await flow.next();
  assert.equal(
    (first.value as Request).headers.get("authorization"),
    "initial",
  );
  const streamed = new Response(200, { stream: chunks("from ", "server") });
  const second = await flow.next(streamed);
  assert.equal(
    (second.value as Request).headers.get("authorization"),
    "from server",
  );
  assert.equal((await flow.next(new Response(200))).done, true);
});

Deno.test("asyncAuthFlow: closing the wrapper closes the inner flow", async () => {
  let cleaned = false;
  class Cleanup extends Auth {
    override *authFlow(request: Request): Generator<Request, void, Response> {
      try {
        yield request;
        yield request;
      } finally {
        cleaned = true;
      }
    }
  }
  const flow = new Cleanup().asyncAuthFlow(
    new Request("GET", "https://example.com"),
  );
  await flow.next();
  await flow.return();
  assert.equal(cleaned, true);
});
