import assert from "node:assert/strict";
import {
  type AppHandler,
  type AppHandlerInfo,
  AppTransport,
} from "../../src/transports/app.ts";
import { Request } from "../../src/models/request.ts";
import { RequestError } from "../../src/errors.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function send(
  app: AppHandler,
  request: Request,
  options?: ConstructorParameters<typeof AppTransport>[1],
) {
  const transport = new AppTransport(app, options);
  const response = await transport.handleRequest(request);
  await transport.close();
  return response;
}

Deno.test("app transport: hello world", async () => {
  const app = () =>
    new globalThis.Response("Hello, World!", {
      headers: { "content-type": "text/plain" },
    });
  const response = await send(
    app,
    new Request("GET", "http://www.example.org/"),
  );
  assert.equal(response.statusCode, 200);
  assert.equal(response.isClosed, false);
  assert.equal(decoder.decode(await response.read()), "Hello, World!");
  assert.equal(response.text, "Hello, World!");
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.equal(response.httpVersion, "HTTP/1.1");
  assert.equal(response.reasonPhrase, "OK");
});

Deno.test("app transport: the app sees method, url and the percent-encoded path", async () => {
  let seen: { method: string; url: string; path: string } | undefined;
  const app = (request: globalThis.Request) => {
    const url = new globalThis.URL(request.url);
    seen = { method: request.method, url: request.url, path: url.pathname };
    return new globalThis.Response(null, { status: 204 });
  };
  const request = new Request(
    "DELETE",
    "https://user:pw@www.example.org:8443/user@example.org/a%20b?x=1#frag",
  );
  const response = await send(app, request);
  assert.equal(response.statusCode, 204);
  assert.deepEqual(seen, {
    method: "DELETE",
    url: "https://www.example.org:8443/user@example.org/a%20b?x=1",
    path: "/user@example.org/a%20b",
  });
  assert.equal((await response.read()).byteLength, 0);
});

Deno.test("app transport: request bytes are echoed back", async () => {
  const app = async (request: globalThis.Request) =>
    new globalThis.Response(await request.arrayBuffer());
  const response = await send(
    app,
    new Request("POST", "http://www.example.org/", { content: "example" }),
  );
  assert.equal(decoder.decode(await response.read()), "example");
});

Deno.test("app transport: a streaming request body reaches the app as a stream", async () => {
  async function* body() {
    yield encoder.encode("part one, ");
    yield encoder.encode("part two");
  }
  let contentLength: string | null = "unset";
  const app = async (request: globalThis.Request) => {
    contentLength = request.headers.get("content-length");
    const chunks: string[] = [];
    for await (const chunk of request.body!) chunks.push(decoder.decode(chunk));
    return new globalThis.Response(chunks.join("|"));
  };
  const response = await send(
    app,
    new Request("PUT", "http://www.example.org/upload", { content: body() }),
  );
  assert.equal(contentLength, null);
  assert.equal(decoder.decode(await response.read()), "part one, |part two");
});

Deno.test("app transport: request headers are passed in order", async () => {
  const app = (request: globalThis.Request) =>
    globalThis.Response.json({ headers: [...request.headers] });
  const request = new Request("POST", "http://www.example.org/", {
    headers: { Accept: "*/*", "X-Custom": "yes" },
    json: { a: 1 },
  });
  const response = await send(app, request);
  await response.read();
  // Web Headers sort names when iterated.
  assert.deepEqual(response.json(), {
    headers: [
      ["accept", "*/*"],
      ["content-length", "7"],
      ["content-type", "application/json"],
      ["host", "www.example.org"],
      ["x-custom", "yes"],
    ],
  });
  assert.equal(response.headers.get("content-type"), "application/json");
});

Deno.test("app transport: response headers keep repeated Set-Cookie", async () => {
  const app = () =>
    new globalThis.Response("", {
      status: 201,
      statusText: "Made It",
      headers: [["set-cookie", "a=1"], ["set-cookie", "b=2"], ["x-one", "1"]],
    });
  const response = await send(app, new Request("GET", "http://example.org/"));
  assert.equal(response.statusCode, 201);
  assert.equal(response.reasonPhrase, "Made It");
  assert.deepEqual(response.headers.getList("set-cookie"), ["a=1", "b=2"]);
  await response.close();
});

Deno.test("app transport: the response streams as the app produces it", async () => {
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const app = () => {
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode("data: one\n\n"));
        await gate;
        controller.enqueue(encoder.encode("data: two\n\n"));
        controller.close();
      },
    });
    return new globalThis.Response(body, {
      headers: { "content-type": "text/event-stream" },
    });
  };
  const response = await send(
    app,
    new Request("GET", "http://example.org/sse"),
  );
  for await (const line of response.iterLines()) {
    events.push(line);
    // The first event arrives before the app has written the second one.
    if (line === "data: one") release();
  }
  assert.deepEqual(events, ["data: one", "", "data: two", ""]);
  assert.equal(response.isClosed, true);
});

Deno.test("app transport: closing the response cancels the app's body", async () => {
  let cancelled: unknown = "not cancelled";
  const app = () =>
    new globalThis.Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(encoder.encode("tick\n"));
        },
        cancel(reason) {
          cancelled = reason;
        },
      }),
    );
  const response = await send(app, new Request("GET", "http://example.org/"));
  for await (const line of response.iterLines()) {
    assert.equal(line, "tick");
    break;
  }
  assert.equal(response.isClosed, true);
  assert.equal(cancelled, undefined);

  cancelled = "not cancelled";
  const unread = await send(app, new Request("GET", "http://example.org/"));
  await unread.close();
  assert.equal(cancelled, undefined);
});

Deno.test("app transport: an app error is raised as is by default", async () => {
  class AppFailure extends Error {}
  const app = () => {
    throw new AppFailure("boom");
  };
  await assert.rejects(
    () => send(app, new Request("GET", "http://example.org/")),
    AppFailure,
  );
  const asyncApp = () => Promise.reject(new AppFailure("later"));
  await assert.rejects(
    () => send(asyncApp, new Request("GET", "http://example.org/")),
    AppFailure,
  );
});

Deno.test("app transport: an app error becomes a 500 when not raised", async () => {
  const app = () => {
    throw new Error("boom");
  };
  const response = await send(app, new Request("GET", "http://example.org/"), {
    raiseAppExceptions: false,
  });
  assert.equal(response.statusCode, 500);
  assert.equal((await response.read()).byteLength, 0);
});

Deno.test("app transport: an error after the response started", async () => {
  const failing = () =>
    new globalThis.Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode("Hello"));
        },
        pull(controller) {
          controller.error(new TypeError("body failed"));
        },
      }),
    );
  const raised = await send(failing, new Request("GET", "http://example.org/"));
  await assert.rejects(() => raised.read(), TypeError);
  assert.equal(raised.isClosed, true);

  const quiet = await send(failing, new Request("GET", "http://example.org/"), {
    raiseAppExceptions: false,
  });
  assert.equal(quiet.statusCode, 200);
  assert.equal(decoder.decode(await quiet.read()), "Hello");
});

Deno.test("app transport: the root path is removed before the app sees the path", async () => {
  const app = (request: globalThis.Request) =>
    new globalThis.Response(
      new globalThis.URL(request.url).pathname +
        new globalThis.URL(request.url).search,
    );
  const options = { rootPath: "/api/" };
  const paths: Array<[string, string]> = [
    ["http://example.org/api/users?id=1", "/users?id=1"],
    ["http://example.org/api", "/"],
    ["http://example.org/api?x=1", "/?x=1"],
    ["http://example.org/apis/users", "/apis/users"],
    ["http://example.org/other", "/other"],
  ];
  for (const [url, expected] of paths) {
    const response = await send(app, new Request("GET", url), options);
    assert.equal(decoder.decode(await response.read()), expected, url);
  }
});

Deno.test("app transport: remote address and completion are passed like Deno.serve", async () => {
  const infos: AppHandlerInfo[] = [];
  const app = (_request: globalThis.Request, info: AppHandlerInfo) => {
    infos.push(info);
    return new globalThis.Response(
      `${info.remoteAddr.hostname}:${info.remoteAddr.port}`,
    );
  };
  const first = await send(app, new Request("GET", "http://example.org/"));
  assert.equal(decoder.decode(await first.read()), "127.0.0.1:123");
  assert.deepEqual(infos[0].remoteAddr, {
    transport: "tcp",
    hostname: "127.0.0.1",
    port: 123,
  });
  await infos[0].completed;

  const second = await send(app, new Request("GET", "http://example.org/"), {
    remoteAddr: { hostname: "192.168.1.5", port: 4321 },
  });
  let completed = false;
  infos[1].completed.then(() => {
    completed = true;
  });
  await Promise.resolve();
  assert.equal(completed, false);
  assert.equal(decoder.decode(await second.read()), "192.168.1.5:4321");
  await infos[1].completed;
  assert.equal(completed, true);
});

Deno.test("app transport: a Deno.serve handler type is accepted", async () => {
  const handler: Deno.ServeHandler<Deno.NetAddr> = (_request, info) =>
    new globalThis.Response(info.remoteAddr.transport);
  const response = await send(
    handler,
    new Request("GET", "http://example.org/"),
  );
  assert.equal(decoder.decode(await response.read()), "tcp");
});

Deno.test("app transport: HEAD responses have no body", async () => {
  const app = () => new globalThis.Response("ignored body");
  const response = await send(app, new Request("HEAD", "http://example.org/"));
  assert.equal((await response.read()).byteLength, 0);
});

Deno.test("app transport: a GET with a body does not send it to the app", async () => {
  let sawBody = true;
  const app = (request: globalThis.Request) => {
    sawBody = request.body !== null;
    return new globalThis.Response("ok");
  };
  const response = await send(
    app,
    new Request("GET", "http://example.org/", { content: "x" }),
  );
  await response.read();
  assert.equal(sawBody, false);
});

Deno.test("app transport: an aborted signal cancels the request", async () => {
  const controller = new AbortController();
  controller.abort(new Error("stop"));
  let called = false;
  const app = () => {
    called = true;
    return new globalThis.Response("never");
  };
  await assert.rejects(
    () =>
      send(
        app,
        new Request("GET", "http://example.org/", {
          extensions: { signal: controller.signal },
        }),
      ),
    RequestError,
  );
  assert.equal(called, false);
});

Deno.test("app transport: aborting while the body streams stops it", async () => {
  const controller = new AbortController();
  let cancelled = false;
  const app = () =>
    new globalThis.Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(encoder.encode("first\n"));
        },
        cancel() {
          cancelled = true;
        },
      }),
    );
  const response = await send(
    app,
    new Request("GET", "http://example.org/", {
      extensions: { signal: controller.signal },
    }),
  );
  const lines: string[] = [];
  await assert.rejects(async () => {
    for await (const line of response.iterLines()) {
      lines.push(line);
      controller.abort(new Error("user stop"));
    }
  }, RequestError);
  assert.deepEqual(lines, ["first"]);
  assert.equal(response.isClosed, true);
  assert.equal(cancelled, true);
});

Deno.test("app transport: the app must return a Response", async () => {
  const app = (() => "nope") as unknown as AppHandler;
  await assert.rejects(
    () => send(app, new Request("GET", "http://example.org/")),
    TypeError,
  );
});
