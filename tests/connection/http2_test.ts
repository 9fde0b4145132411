// HTTP2Connection over scripted streams: the byte-scripted MockStream for
// plain exchanges, and a small reactive HTTP/2 server (below, built on the
// frame codec and HPACK) for concurrency, flow control and back-pressure.

import assert from "node:assert/strict";
import { HTTP2Connection } from "../../src/connection/http2.ts";
import { ConnectionNotAvailable } from "../../src/connection/_interface.ts";
import {
  LocalProtocolError,
  ReadTimeout,
  RemoteProtocolError,
} from "../../src/errors.ts";
import { Headers } from "../../src/models/headers.ts";
import { Request, type RequestOptions } from "../../src/models/request.ts";
import type { Response } from "../../src/models/response.ts";
import { AWAIT_WRITE, MockStream } from "../../src/net/mock_backend.ts";
import { HpackDecoder } from "../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../src/protocol/hpack/encoder.ts";
import { CONNECTION_PREFACE } from "../../src/protocol/h2/connection.ts";
import { ErrorCode } from "../../src/protocol/h2/error_codes.ts";
import {
  type Frame,
  FrameReader,
  serializeFrame,
} from "../../src/protocol/h2/frames.ts";
import { SettingId } from "../../src/protocol/h2/settings.ts";
import { FakeH2Server } from "./_fake_h2_server.ts";

const ORIGIN = { scheme: "https", host: "example.org", port: 443 };
const enc = new TextEncoder();
const dec = new TextDecoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function request(
  method = "GET",
  url = "https://example.org/path?q=1",
  options: RequestOptions = {},
): Request {
  return new Request(method, url, options);
}

async function readBody(response: Response): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of response.stream) parts.push(chunk);
  return concat(...parts);
}

/** The frames (and decoded request heads) a client wrote to a MockStream. */
function clientFrames(
  bytes: Uint8Array,
): { frames: Frame[]; heads: Array<Array<[string, string]>> } {
  assert.deepEqual(
    bytes.subarray(0, CONNECTION_PREFACE.length),
    CONNECTION_PREFACE,
  );
  const reader = new FrameReader();
  reader.push(bytes.subarray(CONNECTION_PREFACE.length));
  const decoder = new HpackDecoder();
  const frames: Frame[] = [];
  const heads: Array<Array<[string, string]>> = [];
  for (let f = reader.next(); f !== null; f = reader.next()) {
    frames.push(f);
    if (f.type === "HEADERS") heads.push(decoder.decode(f.fragment));
  }
  return { frames, heads };
}

/** Server frames for MockStream scripts. */
class Script {
  encoder: HpackEncoder = new HpackEncoder();
  settings(settings: Array<[number, number]> = []): Uint8Array {
    return concat(
      serializeFrame({ type: "SETTINGS", ack: false, settings }),
      serializeFrame({ type: "SETTINGS", ack: true, settings: [] }),
    );
  }
  headers(
    streamId: number,
    headers: Array<[string, string]>,
    endStream = false,
  ): Uint8Array {
    return serializeFrame({
      type: "HEADERS",
      streamId,
      endStream,
      endHeaders: true,
      fragment: this.encoder.encode(headers),
    });
  }
  data(
    streamId: number,
    data: string | Uint8Array,
    endStream = false,
  ): Uint8Array {
    return serializeFrame({
      type: "DATA",
      streamId,
      endStream,
      data: typeof data === "string" ? enc.encode(data) : data,
    });
  }
}

// ---------------------------------------------------------------------------

Deno.test("http2: a GET over a scripted MockStream", async () => {
  const script = new Script();
  const stream = new MockStream([
    script.settings(),
    AWAIT_WRITE,
    concat(
      script.headers(1, [[":status", "200"], ["content-type", "text/plain"]]),
      script.data(1, "hello, "),
      script.data(1, "world", true),
    ),
  ]);
  const connection = new HTTP2Connection(ORIGIN, stream);
  assert.equal(connection.isAvailable(), true);
  const response = await connection.handleRequest(
    request("GET", "https://example.org/path?q=1", {
      headers: { "User-Agent": "t", Connection: "keep-alive" },
    }),
  );
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.extensions.httpVersion, "HTTP/2");
  assert.equal(response.extensions.streamId, 1);
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.equal(dec.decode(await readBody(response)), "hello, world");

  const { frames, heads } = clientFrames(stream.writtenBytes());
  assert.deepEqual(frames[0], {
    type: "SETTINGS",
    ack: false,
    settings: [[2, 0], [3, 100], [6, 65536]],
  });
  assert.deepEqual(frames[1], {
    type: "WINDOW_UPDATE",
    streamId: 0,
    increment: 2 ** 24,
  });
  const headers = frames.find((f) => f.type === "HEADERS");
  assert.ok(headers?.type === "HEADERS" && headers.endStream);
  assert.deepEqual(heads[0].slice(0, 4), [
    [":method", "GET"],
    [":authority", "example.org"],
    [":scheme", "https"],
    [":path", "/path?q=1"],
  ]);
  const names = heads[0].map(([n]) => n);
  assert.ok(names.includes("user-agent"));
  assert.ok(!names.includes("host") && !names.includes("connection"));
  assert.ok(
    frames.some((f) =>
      f.type === "WINDOW_UPDATE" && f.streamId === 1 && f.increment === 2 ** 24
    ),
  );
  assert.ok(frames.some((f) => f.type === "SETTINGS" && f.ack));
  // The script ended (EOF): the connection closed itself once idle.
  assert.equal(connection.isClosed(), true);
});

Deno.test("http2: trace events in httpcore's order", async () => {
  const script = new Script();
  const stream = new MockStream([
    script.settings(),
    AWAIT_WRITE,
    concat(script.headers(1, [[":status", "201"]]), script.data(1, "ok", true)),
  ]);
  const connection = new HTTP2Connection(ORIGIN, stream);
  const events: string[] = [];
  const response = await connection.handleRequest(
    request("POST", "https://example.org/", {
      content: "body",
      extensions: { trace: (name: string) => void events.push(name) },
    }),
  );
  await readBody(response);
  // The server's SETTINGS are reported whenever the reader meets them.
  const settings = events.filter((e) => e.startsWith("http2.receive_remote"));
  assert.deepEqual(settings, [
    "http2.receive_remote_settings.started",
    "http2.receive_remote_settings.complete",
  ]);
  assert.deepEqual(events.filter((e) => !settings.includes(e)), [
    "http2.send_connection_init.started",
    "http2.send_connection_init.complete",
    "http2.send_request_headers.started",
    "http2.send_request_headers.complete",
    "http2.send_request_body.started",
    "http2.send_request_body.complete",
    "http2.receive_response_headers.started",
    "http2.receive_response_headers.complete",
    "http2.receive_response_body.started",
    "http2.receive_response_body.complete",
    "http2.response_closed.started",
    "http2.response_closed.complete",
  ]);
  const { frames } = clientFrames(stream.writtenBytes());
  const data = frames.filter((f) => f.type === "DATA");
  assert.deepEqual(
    data.map((f) => f.type === "DATA" ? [dec.decode(f.data), f.endStream] : []),
    [["body", false], ["", true]],
  );
});

Deno.test("http2: server disconnecting before the response", async () => {
  const stream = new MockStream([new Script().settings()]);
  const connection = new HTTP2Connection(ORIGIN, stream);
  await assert.rejects(
    () => connection.handleRequest(request()),
    (e) => e instanceof RemoteProtocolError && /disconnected/.test(e.message),
  );
  assert.equal(connection.isClosed(), true);
  assert.equal(connection.isAvailable(), false);
});

Deno.test("http2: a protocol error from the server is a RemoteProtocolError with GOAWAY sent", async () => {
  const stream = new MockStream([
    new Script().settings(),
    AWAIT_WRITE,
    serializeFrame({
      type: "DATA",
      streamId: 0,
      endStream: false,
      data: enc.encode("x"),
    }),
  ]);
  const connection = new HTTP2Connection(ORIGIN, stream);
  await assert.rejects(
    () => connection.handleRequest(request()),
    RemoteProtocolError,
  );
  const { frames } = clientFrames(stream.writtenBytes());
  const goaway = frames.find((f) => f.type === "GOAWAY");
  assert.ok(goaway?.type === "GOAWAY");
  assert.equal(goaway.errorCode, ErrorCode.PROTOCOL_ERROR);
});

Deno.test("http2: concurrent requests multiplexed on one connection", async () => {
  const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 10]]);
  server.onRequest = (req) => {
    const path = req.headers.find(([n]) => n === ":path")![1];
    server.respond(req.streamId, 200, `you asked for ${path}`);
  };
  const connection = new HTTP2Connection(ORIGIN, server);
  const responses = await Promise.all(
    ["/a", "/b", "/c"].map((p) =>
      connection.handleRequest(request("GET", `https://example.org${p}`))
    ),
  );
  assert.deepEqual(
    responses.map((r) => r.extensions.streamId).sort(),
    [1, 3, 5],
  );
  const bodies = await Promise.all(
    responses.map(async (r) => dec.decode(await readBody(r))),
  );
  assert.deepEqual(bodies.sort(), [
    "you asked for /a",
    "you asked for /b",
    "you asked for /c",
  ]);
  assert.equal(connection.isIdle(), true);
  assert.equal(connection.requestCount, 3);
  assert.match(connection.info(), /HTTP\/2, IDLE, Request Count: 3/);
  connection.close();
  assert.equal(connection.isClosed(), true);
});

Deno.test("http2: streams are bounded by the server's MAX_CONCURRENT_STREAMS", async () => {
  const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 2]]);
  const connection = new HTTP2Connection(ORIGIN, server);
  // Before the server's SETTINGS, one stream goes out and the others wait;
  // once they say 2, the request beyond that goes back to the pool.
  const first = connection.handleRequest(request());
  const second = connection.handleRequest(request());
  const third = connection.handleRequest(request());
  await assert.rejects(() => third, ConnectionNotAvailable);
  await server.until(() => server.requests.size === 2);
  // Give a waiting request every chance to (wrongly) go out.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(server.requests.size, 2);
  assert.equal(connection.maxConcurrentStreams, 2);
  // Full: the pool must not hand it another request.
  assert.equal(connection.isAvailable(), false);
  server.respond(1, 200, "r1");
  server.respond(3, 200, "r3");
  const responses = await Promise.all([first, second]);
  assert.equal(connection.isAvailable(), false, "bodies still open");
  assert.deepEqual(
    await Promise.all(
      responses.map(async (r) => dec.decode(await readBody(r))),
    ),
    ["r1", "r3"],
  );
  assert.equal(connection.isAvailable(), true);
  connection.close();
});

Deno.test("http2: MAX_CONCURRENT_STREAMS 1 serialises streams on one connection", async () => {
  const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 1]]);
  server.onRequest = (req) => server.respond(req.streamId, 200, "x");
  const connection = new HTTP2Connection(ORIGIN, server);
  for (const id of [1, 3, 5]) {
    const response = await connection.handleRequest(request());
    assert.equal(response.extensions.streamId, id);
    assert.equal(connection.isAvailable(), false);
    assert.equal(dec.decode(await readBody(response)), "x");
    assert.equal(connection.isAvailable(), true);
  }
  connection.close();
});

Deno.test("http2: request body waits for WINDOW_UPDATE", async () => {
  const server = new FakeH2Server([[SettingId.INITIAL_WINDOW_SIZE, 10]]);
  server.onFrame = (frame) => {
    if (frame.type === "DATA" && frame.data.length > 0 && !frame.endStream) {
      // Grant more only once the first 10 octets arrived.
      server.send({
        type: "WINDOW_UPDATE",
        streamId: frame.streamId,
        increment: 7,
      });
    }
  };
  server.onRequest = (req) =>
    server.respond(req.streamId, 200, dec.decode(concat(...req.body)));
  const connection = new HTTP2Connection(ORIGIN, server);
  const body = "0123456789abcdefghijklmno";
  const response = await connection.handleRequest(
    request("POST", "https://example.org/upload", { content: body }),
  );
  assert.equal(dec.decode(await readBody(response)), body);
  const sizes = server.received
    .filter((f) => f.type === "DATA")
    .map((f) => f.type === "DATA" ? f.data.length : 0);
  assert.deepEqual(sizes, [10, 7, 7, 1, 0]);
  connection.close();
});

Deno.test("http2: response bodies are acknowledged as they are read (back-pressure)", async () => {
  const server = new FakeH2Server();
  const chunk = new Uint8Array(16384).fill(0x61);
  server.onRequest = (req) => {
    server.send({
      type: "HEADERS",
      streamId: req.streamId,
      endStream: false,
      endHeaders: true,
      fragment: server.encoder.encode([[":status", "200"]]),
    });
    // Three quarters of the stream's initial window (65535).
    for (let i = 0; i < 3; i++) {
      server.send({
        type: "DATA",
        streamId: req.streamId,
        endStream: false,
        data: chunk,
      });
    }
  };
  const connection = new HTTP2Connection(ORIGIN, server, {
    streamWindowIncrement: 0,
  });
  const response = await connection.handleRequest(request());
  const updates = (): number[] =>
    server.received
      .filter((f) => f.type === "WINDOW_UPDATE" && f.streamId === 1)
      .map((f) => f.type === "WINDOW_UPDATE" ? f.increment : 0);
  // Let the reader take everything in: nothing is acknowledged yet.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(updates(), []);
  const iterator = response.stream[Symbol.asyncIterator]();
  await iterator.next();
  assert.deepEqual(updates(), []);
  await iterator.next();
  // Half the window was consumed: the stream's window is given back.
  assert.deepEqual(updates(), [32768]);
  server.send({
    type: "DATA",
    streamId: 1,
    endStream: true,
    data: enc.encode("end"),
  });
  let rest = 0;
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
    rest += r.value.length;
  }
  assert.equal(rest, 16384 + 3);
  connection.close();
});

Deno.test("http2: closing a response early sends RST_STREAM(CANCEL)", async () => {
  const server = new FakeH2Server();
  server.onRequest = (req) => {
    server.send({
      type: "HEADERS",
      streamId: req.streamId,
      endStream: false,
      endHeaders: true,
      fragment: server.encoder.encode([[":status", "200"]]),
    });
    server.send({
      type: "DATA",
      streamId: req.streamId,
      endStream: false,
      data: enc.encode("partial"),
    });
  };
  const connection = new HTTP2Connection(ORIGIN, server);
  const events: string[] = [];
  const response = await connection.handleRequest(
    request("GET", "https://example.org/", {
      extensions: { trace: (name: string) => void events.push(name) },
    }),
  );
  await response.stream.close?.();
  await server.until(() =>
    server.received.some((f) => f.type === "RST_STREAM")
  );
  const reset = server.received.find((f) => f.type === "RST_STREAM");
  assert.deepEqual(reset, {
    type: "RST_STREAM",
    streamId: 1,
    errorCode: ErrorCode.CANCEL,
  });
  assert.deepEqual(events.slice(-2), [
    "http2.response_closed.started",
    "http2.response_closed.complete",
  ]);
  assert.equal(connection.isIdle(), true);
  // The connection is still usable.
  server.onRequest = (req) => server.respond(req.streamId, 204);
  const next = await connection.handleRequest(request());
  assert.equal(next.statusCode, 204);
  await readBody(next);
  connection.close();
});

Deno.test("http2: RST_STREAM from the server is a RemoteProtocolError for that stream", async () => {
  const server = new FakeH2Server();
  server.onRequest = (req) =>
    server.send({
      type: "RST_STREAM",
      streamId: req.streamId,
      errorCode: ErrorCode.REFUSED_STREAM,
    });
  const connection = new HTTP2Connection(ORIGIN, server);
  await assert.rejects(
    () => connection.handleRequest(request()),
    (e) => e instanceof RemoteProtocolError && /REFUSED_STREAM/.test(e.message),
  );
  assert.equal(connection.isAvailable(), true);
  connection.close();
});

Deno.test("http2: GOAWAY sends unprocessed streams back to the pool", async () => {
  const server = new FakeH2Server();
  let seen = 0;
  server.onRequest = () => {
    if (++seen < 2) return;
    server.send({
      type: "GOAWAY",
      lastStreamId: 1,
      errorCode: ErrorCode.NO_ERROR,
      debugData: new Uint8Array(0),
    });
    server.respond(1, 200, "first");
  };
  const connection = new HTTP2Connection(ORIGIN, server, {});
  const first = connection.handleRequest(request());
  const second = connection.handleRequest(request());
  await assert.rejects(() => second, ConnectionNotAvailable);
  const response = await first;
  assert.equal(connection.isAvailable(), false);
  await assert.rejects(
    () => connection.handleRequest(request()),
    ConnectionNotAvailable,
  );
  assert.equal(dec.decode(await readBody(response)), "first");
  // Nothing left in flight after GOAWAY: the connection closes.
  assert.equal(connection.isClosed(), true);
});

Deno.test("http2: GOAWAY with an error fails processed streams with RemoteProtocolError", async () => {
  const server = new FakeH2Server();
  server.onRequest = () =>
    server.send({
      type: "GOAWAY",
      lastStreamId: 1,
      errorCode: ErrorCode.INTERNAL_ERROR,
      debugData: new Uint8Array(0),
    });
  const connection = new HTTP2Connection(ORIGIN, server);
  await assert.rejects(
    () => connection.handleRequest(request()),
    (e) => e instanceof RemoteProtocolError && /INTERNAL_ERROR/.test(e.message),
  );
  assert.equal(connection.isClosed(), true);
});

Deno.test("http2: read timeout while waiting for the response resets the stream", async () => {
  const server = new FakeH2Server();
  const connection = new HTTP2Connection(ORIGIN, server);
  await assert.rejects(
    () =>
      connection.handleRequest(request("GET", "https://example.org/", {
        extensions: {
          timeout: { connect: null, read: 0.02, write: null, pool: null },
        },
      })),
    ReadTimeout,
  );
  await server.until(() =>
    server.received.some((f) => f.type === "RST_STREAM")
  );
  connection.close();
});

Deno.test("http2: an aborted signal cancels the stream", async () => {
  const server = new FakeH2Server();
  const controller = new AbortController();
  const connection = new HTTP2Connection(ORIGIN, server);
  server.onRequest = () => controller.abort(new Error("stop"));
  await assert.rejects(
    () =>
      connection.handleRequest(
        request("GET", "https://example.org/", {
          extensions: { signal: controller.signal },
        }),
      ),
    (e) => e instanceof Error && e.name === "RequestError",
  );
  await server.until(() =>
    server.received.some((f) => f.type === "RST_STREAM")
  );
  assert.equal(connection.isAvailable(), true);
  connection.close();
});

Deno.test("http2: headers outside latin1 are a LocalProtocolError", async () => {
  const server = new FakeH2Server();
  const connection = new HTTP2Connection(ORIGIN, server);
  const req = request();
  // Bypass the Headers model (which stores UTF-8 bytes) to reach the encoder.
  req.headers.wireItems = () => [["host", "example.org"], ["x", "\u2603"]];
  await assert.rejects(() => connection.handleRequest(req), LocalProtocolError);
  assert.equal(connection.isAvailable(), true);
  connection.close();
});

Deno.test("http2: trailers end the body and are exposed as extensions.trailers", async () => {
  const server = new FakeH2Server();
  server.onRequest = (req) => {
    server.send({
      type: "HEADERS",
      streamId: req.streamId,
      endStream: false,
      endHeaders: true,
      fragment: server.encoder.encode([[":status", "200"], [
        "trailer",
        "x-checksum",
      ]]),
    });
    server.send({
      type: "DATA",
      streamId: req.streamId,
      endStream: false,
      data: enc.encode("data"),
    });
    server.send({
      type: "HEADERS",
      streamId: req.streamId,
      endStream: true,
      endHeaders: true,
      fragment: server.encoder.encode([["x-checksum", "abc"]]),
    });
  };
  const connection = new HTTP2Connection(ORIGIN, server);
  const response = await connection.handleRequest(request());
  assert.equal(response.extensions.trailers, undefined, "not before the body");
  assert.equal(dec.decode(await readBody(response)), "data");
  const trailers: unknown = response.extensions.trailers;
  assert.ok(trailers instanceof Headers);
  assert.deepEqual([...trailers], [["x-checksum", "abc"]]);
  assert.equal(response.headers.get("trailer"), "x-checksum");
  assert.equal(connection.isIdle(), true);
  connection.close();
});

Deno.test("http2: a stalled upload resumes when SETTINGS raise INITIAL_WINDOW_SIZE", async () => {
  const server = new FakeH2Server([[SettingId.INITIAL_WINDOW_SIZE, 4]]);
  let raised = false;
  server.onFrame = (frame) => {
    if (frame.type === "DATA" && !raised) {
      raised = true;
      // The window is spent: only new settings can let the rest through.
      server.send({
        type: "SETTINGS",
        ack: false,
        settings: [[SettingId.INITIAL_WINDOW_SIZE, 100]],
      });
    }
  };
  server.onRequest = (req) =>
    server.respond(req.streamId, 200, String(concat(...req.body).length));
  const connection = new HTTP2Connection(ORIGIN, server);
  const response = await connection.handleRequest(
    request("POST", "https://example.org/", { content: "0123456789" }),
  );
  assert.equal(dec.decode(await readBody(response)), "10");
  const sizes = server.received
    .filter((f) => f.type === "DATA")
    .map((f) => f.type === "DATA" ? f.data.length : 0);
  assert.deepEqual(sizes, [4, 6, 0]);
  connection.close();
});

Deno.test("http2: a malformed header block fails every stream with COMPRESSION_ERROR", async () => {
  const server = new FakeH2Server();
  let seen = 0;
  server.onRequest = () => {
    if (++seen < 2) return;
    server.send({
      type: "HEADERS",
      streamId: 1,
      endStream: true,
      endHeaders: true,
      // An indexed field beyond both tables.
      fragment: new Uint8Array([0xff, 0x7f]),
    });
  };
  const connection = new HTTP2Connection(ORIGIN, server);
  const results = await Promise.allSettled([
    connection.handleRequest(request()),
    connection.handleRequest(request()),
  ]);
  for (const result of results) {
    assert.equal(result.status, "rejected");
    assert.ok(
      (result as PromiseRejectedResult).reason instanceof RemoteProtocolError,
    );
  }
  const goaway = server.received.find((f) => f.type === "GOAWAY");
  assert.ok(goaway?.type === "GOAWAY");
  assert.equal(goaway.errorCode, ErrorCode.COMPRESSION_ERROR);
  assert.equal(connection.isAvailable(), false);
  assert.equal(connection.isClosed(), true);
});

Deno.test("http2: GOAWAY after a streamed body was sent is not retried (RemoteProtocolError)", async () => {
  const server = new FakeH2Server();
  server.onRequest = (req) => {
    if (req.streamId === 1) return;
    server.send({
      type: "GOAWAY",
      lastStreamId: 1,
      errorCode: ErrorCode.NO_ERROR,
      debugData: new Uint8Array(0),
    });
    server.respond(1, 200, "ok");
  };
  const connection = new HTTP2Connection(ORIGIN, server);
  async function* body(): AsyncGenerator<Uint8Array> {
    yield enc.encode("once only");
  }
  const first = connection.handleRequest(request());
  const streamed = connection.handleRequest(
    request("POST", "https://example.org/", { content: body() }),
  );
  await assert.rejects(
    () => streamed,
    (e) => e instanceof RemoteProtocolError && /replayed/.test(e.message),
  );
  assert.equal(dec.decode(await readBody(await first)), "ok");
  assert.equal(connection.isClosed(), true);
});

Deno.test("http2: out of stream ids, the connection is unavailable and retires when idle", async () => {
  const server = new FakeH2Server();
  server.onRequest = (req) => server.respond(req.streamId, 200, "last");
  const connection = new HTTP2Connection(ORIGIN, server, {
    firstStreamId: 2 ** 31 - 1,
  });
  const response = await connection.handleRequest(request());
  assert.equal(response.extensions.streamId, 2 ** 31 - 1);
  assert.equal(connection.isAvailable(), false);
  await assert.rejects(
    () => connection.handleRequest(request()),
    ConnectionNotAvailable,
  );
  assert.equal(dec.decode(await readBody(response)), "last");
  assert.equal(connection.isClosed(), true);
  assert.equal(server.isClosed, true);
});

Deno.test("http2: requests started in one turn go out in one write", async () => {
  const server = new FakeH2Server([[SettingId.MAX_CONCURRENT_STREAMS, 100]]);
  server.onRequest = (req) => server.respond(req.streamId, 200, "ok");
  const connection = new HTTP2Connection(ORIGIN, server);
  // Open the connection and learn the server's limit first.
  await readBody(await connection.handleRequest(request()));
  const writes: number[] = [];
  const write = server.write.bind(server);
  server.write = (data, timeout) => {
    let headers = 0;
    const reader = new FrameReader();
    reader.push(data);
    for (let f = reader.next(); f !== null; f = reader.next()) {
      if (f.type === "HEADERS") headers++;
    }
    writes.push(headers);
    return write(data, timeout);
  };
  const responses = await Promise.all(
    Array.from({ length: 20 }, () => connection.handleRequest(request())),
  );
  assert.equal(writes[0], 20, "all twenty HEADERS in the first write");
  await Promise.all(responses.map(readBody));
  connection.close();
});

Deno.test("http2: read timeouts of concurrent streams are independent", async () => {
  const server = new FakeH2Server();
  const connection = new HTTP2Connection(ORIGIN, server);
  const timeout = (read: number) => ({
    extensions: { timeout: { connect: null, read, write: null, pool: null } },
  });
  const patient = connection.handleRequest(
    request("GET", "https://example.org/patient", timeout(30)),
  );
  const hasty = connection.handleRequest(
    request("GET", "https://example.org/hasty", timeout(0.02)),
  );
  await assert.rejects(() => hasty, ReadTimeout);
  // The patient one still waits (the shared timer re-armed for it).
  await server.until(() => server.requests.has(1));
  server.respond(1, 200, "worth the wait");
  const response = await patient;
  assert.equal(dec.decode(await readBody(response)), "worth the wait");
  connection.close();
});
