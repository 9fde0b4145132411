import assert from "node:assert/strict";
import { Client } from "../../src/client/client.ts";
import { HTTPStatusError } from "../../src/errors.ts";
import type { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";
import { MockTransport } from "../../src/transports/mock.ts";

function app(request: Request): Response {
  if (request.url.path === "/redirect") {
    return new Response(303, { headers: { Location: "/" } });
  }
  if (request.url.path === "/error") return new Response(500);
  return new Response(200, {
    stream: (async function* () {
      yield new TextEncoder().encode("body");
    })(),
  });
}

Deno.test("request and response hooks get the objects", async () => {
  const events: string[] = [];
  await using c = new Client({
    transport: new MockTransport(app),
    eventHooks: {
      request: [(request) => {
        events.push(`request ${request.method} ${request.url}`);
      }],
      response: [(response) => {
        events.push(
          `response ${response.statusCode} consumed=${response.isStreamConsumed}`,
        );
      }],
    },
  });
  const response = await c.get("http://example.org/");
  assert.equal(response.text, "body");
  assert.deepEqual(events, [
    "request GET http://example.org/",
    "response 200 consumed=false",
  ]);
});

Deno.test("async hooks are awaited and may read the response", async () => {
  const bodies: string[] = [];
  await using c = new Client({
    transport: new MockTransport(app),
    eventHooks: {
      request: [async (request) => {
        await Promise.resolve();
        request.headers.set("X-Hooked", "yes");
      }],
      response: [async (response) => {
        await response.read();
        bodies.push(
          `${response.request.headers.get("x-hooked")} ${response.text}`,
        );
      }],
    },
  });
  const response = await c.get("http://example.org/");
  assert.equal(response.text, "body");
  assert.deepEqual(bodies, ["yes body"]);
});

Deno.test("an exception in a hook propagates and closes the response", async () => {
  let seen: Response | undefined;
  await using c = new Client({
    transport: new MockTransport(app),
    eventHooks: {
      response: [(response) => {
        seen = response;
        response.raiseForStatus();
      }],
    },
  });
  await assert.rejects(c.get("http://example.org/error"), HTTPStatusError);
  assert.equal(seen?.isClosed, true);

  await using d = new Client({
    transport: new MockTransport(app),
    eventHooks: {
      response: [(response) => {
        seen = response;
        throw new Error("hook");
      }],
    },
  });
  await assert.rejects(d.get("http://example.org/"), /hook/);
  assert.equal(seen?.isClosed, true);
});

Deno.test("hooks run for every hop of a redirect chain", async () => {
  const events: string[] = [];
  await using c = new Client({
    transport: new MockTransport(app),
    followRedirects: true,
    eventHooks: {
      request: [(request) => {
        events.push(`request ${request.url}`);
      }],
      response: [(response) => {
        events.push(`response ${response.statusCode} ${response.url}`);
      }],
    },
  });
  const response = await c.get("http://example.org/redirect");
  assert.equal(response.statusCode, 200);
  assert.deepEqual(events, [
    "request http://example.org/redirect",
    "response 303 http://example.org/redirect",
    "request http://example.org/",
    "response 200 http://example.org/",
  ]);
});
