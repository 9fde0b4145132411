import assert from "node:assert/strict";
import { MockTransport } from "../../src/transports/mock.ts";
import type { BaseTransport } from "../../src/transports/base.ts";
import { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { ConnectError } from "../../src/errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("mock transport: the handler answers each request", async () => {
  const seen: string[] = [];
  const transport: BaseTransport = new MockTransport((request) => {
    seen.push(`${request.method} ${request.url}`);
    return new Response(200, { text: `hello ${request.url.path}` });
  });
  const response = await transport.handleRequest(
    new Request("GET", "https://example.org/one"),
  );
  assert.equal(response.statusCode, 200);
  assert.equal(response.text, "hello /one");
  assert.deepEqual(seen, ["GET https://example.org/one"]);
  await transport.close();
});

Deno.test("mock transport: async handlers are awaited", async () => {
  const transport = new MockTransport(async (request) => {
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    return new Response(201, { json: { method: request.method } });
  });
  const response = await transport.handleRequest(
    new Request("PUT", "https://example.org/"),
  );
  assert.equal(response.statusCode, 201);
  assert.deepEqual(response.json(), { method: "PUT" });
});

Deno.test("mock transport: a streaming request body is read before the handler runs", async () => {
  async function* body() {
    yield encoder.encode("chunk 1, ");
    yield encoder.encode("chunk 2");
  }
  let content = "";
  const transport = new MockTransport((request) => {
    content = decoder.decode(request.content);
    return new Response(200, { content: request.content });
  });
  const request = new Request("POST", "https://example.org/", {
    content: body(),
  });
  const response = await transport.handleRequest(request);
  assert.equal(content, "chunk 1, chunk 2");
  assert.equal(response.text, "chunk 1, chunk 2");
  // The body is replayable now, as a redirect or auth retry needs.
  assert.equal(decoder.decode(await request.read()), "chunk 1, chunk 2");
});

Deno.test("mock transport: handler errors reach the caller unchanged", async () => {
  const failure = new ConnectError("Connection refused");
  const transport = new MockTransport(() => {
    throw failure;
  });
  await assert.rejects(
    () => transport.handleRequest(new Request("GET", "https://example.org/")),
    (error) => error === failure,
  );
  const rejecting = new MockTransport(() => Promise.reject(failure));
  await assert.rejects(
    () => rejecting.handleRequest(new Request("GET", "https://example.org/")),
    (error) => error === failure,
  );
});

Deno.test("mock transport: the response is returned as the handler made it", async () => {
  const made = new Response(204);
  const transport = new MockTransport(() => made);
  const response = await transport.handleRequest(
    new Request("DELETE", "https://example.org/x"),
  );
  assert.equal(response, made);
  // As in HTTPX, attaching the request is the client's job.
  assert.throws(() => response.request, Error);
});
