// H2Connection driven by scripted server bytes: every scenario feeds real
// frames in and checks both the events and the exact frames sent back.

import assert from "node:assert/strict";
import { H2Connection } from "../../../src/protocol/h2/connection.ts";
import { ErrorCode } from "../../../src/protocol/h2/error_codes.ts";
import {
  H2ConnectionError,
  H2StateError,
} from "../../../src/protocol/h2/errors.ts";
import type { H2Event } from "../../../src/protocol/h2/events.ts";
import type { Frame } from "../../../src/protocol/h2/frames.ts";
import { SettingId } from "../../../src/protocol/h2/settings.ts";
import {
  concat,
  connected,
  repeated,
  REQUEST,
  ScriptedServer,
} from "./_helpers.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function connectionError(fn: () => unknown, code: number): H2ConnectionError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof H2ConnectionError, String(error));
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail("expected an H2ConnectionError");
}

function goawayCode(frames: Frame[]): number | undefined {
  const goaway = frames.find((f) => f.type === "GOAWAY");
  return goaway?.type === "GOAWAY" ? goaway.errorCode : undefined;
}

Deno.test("connection: initiate sends the preface and httpcore's settings", () => {
  const conn = new H2Connection();
  conn.initiate();
  const out = conn.dataToSend();
  const preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  assert.equal(new TextDecoder().decode(out.subarray(0, 24)), preface);
  assert.deepEqual(
    Array.from(out.subarray(24)),
    [
      0,
      0,
      18,
      4,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      0, // ENABLE_PUSH 0
      0,
      3,
      0,
      0,
      0,
      100, // MAX_CONCURRENT_STREAMS 100
      0,
      6,
      0,
      1,
      0,
      0, // MAX_HEADER_LIST_SIZE 65536
    ],
  );
  assert.equal(conn.dataToSend().length, 0);
  assert.throws(() => conn.initiate(), H2StateError);
});

Deno.test("connection: settings exchange and acknowledgement", () => {
  const conn = new H2Connection();
  const server = new ScriptedServer();
  conn.initiate();
  server.read(conn.dataToSend());
  const events = conn.receiveData(server.settings([
    [SettingId.MAX_CONCURRENT_STREAMS, 5],
    [SettingId.INITIAL_WINDOW_SIZE, 1000],
    [SettingId.MAX_FRAME_SIZE, 32768],
  ]));
  assert.deepEqual(events, [{
    type: "RemoteSettingsChanged",
    changed: [
      {
        id: SettingId.MAX_CONCURRENT_STREAMS,
        oldValue: undefined,
        newValue: 5,
      },
      { id: SettingId.INITIAL_WINDOW_SIZE, oldValue: 65535, newValue: 1000 },
      { id: SettingId.MAX_FRAME_SIZE, oldValue: 16384, newValue: 32768 },
    ],
  }]);
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "SETTINGS",
    ack: true,
    settings: [],
  }]);
  assert.equal(conn.remoteMaxConcurrentStreams, 5);
  assert.equal(conn.maxOutboundFrameSize, 32768);
  assert.equal(conn.localSettings.enablePush, true); // not acknowledged yet
  const acked = conn.receiveData(server.settingsAck());
  assert.equal(acked[0].type, "SettingsAcknowledged");
  assert.equal(conn.localSettings.enablePush, false);
  assert.equal(conn.localSettings.maxConcurrentStreams, 100);
  assert.equal(conn.localSettings.maxHeaderListSize, 65536);
});

Deno.test("connection: the server preface must start with SETTINGS", () => {
  const conn = new H2Connection();
  const server = new ScriptedServer();
  conn.initiate();
  server.read(conn.dataToSend());
  connectionError(
    () =>
      conn.receiveData(
        server.frame({ type: "PING", ack: false, data: new Uint8Array(8) }),
      ),
    ErrorCode.PROTOCOL_ERROR,
  );
  assert.equal(
    goawayCode(server.read(conn.dataToSend())),
    ErrorCode.PROTOCOL_ERROR,
  );
  assert.equal(conn.state, "closed");
  assert.deepEqual(conn.receiveData(server.settings()), []);
  assert.throws(() => conn.sendHeaders(undefined, REQUEST, true), H2StateError);
});

Deno.test("connection: invalid settings values are connection errors", () => {
  const cases: Array<[[number, number], number]> = [
    [[SettingId.ENABLE_PUSH, 2], ErrorCode.PROTOCOL_ERROR],
    [[SettingId.INITIAL_WINDOW_SIZE, 2 ** 31], ErrorCode.FLOW_CONTROL_ERROR],
    [[SettingId.MAX_FRAME_SIZE, 16383], ErrorCode.PROTOCOL_ERROR],
    [[SettingId.MAX_FRAME_SIZE, 2 ** 24], ErrorCode.PROTOCOL_ERROR],
  ];
  for (const [setting, code] of cases) {
    const conn = new H2Connection();
    conn.initiate();
    connectionError(
      () => conn.receiveData(new ScriptedServer().settings([setting])),
      code,
    );
  }
});

Deno.test("connection: a request and its response", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(
    undefined,
    [...REQUEST, ["user-agent", "test"]],
    true,
  );
  assert.equal(id, 1);
  assert.equal(conn.streamState(1), "half_closed_local");
  const [headers] = server.read(conn.dataToSend());
  assert.ok(
    headers.type === "HEADERS" && headers.endStream && headers.endHeaders,
  );
  assert.deepEqual(server.decodeHeaders(headers), [...REQUEST, [
    "user-agent",
    "test",
  ]]);

  const events = conn.receiveData(concat(
    server.headers(1, [[":status", "200"], ["content-type", "text/plain"], [
      "content-length",
      "11",
    ]]),
    server.data(1, "hello "),
    server.data(1, "world", true),
  ));
  assert.deepEqual(events, [
    {
      type: "ResponseReceived",
      streamId: 1,
      headers: [[":status", "200"], ["content-type", "text/plain"], [
        "content-length",
        "11",
      ]],
      streamEnded: false,
    },
    {
      type: "DataReceived",
      streamId: 1,
      data: text("hello "),
      flowControlledLength: 6,
      streamEnded: false,
    },
    {
      type: "DataReceived",
      streamId: 1,
      data: text("world"),
      flowControlledLength: 5,
      streamEnded: true,
    },
    { type: "StreamEnded", streamId: 1 },
  ]);
  assert.equal(conn.streamState(1), "closed");
  assert.equal(conn.openStreamCount, 0);
  // Small bodies do not trigger WINDOW_UPDATEs.
  conn.acknowledgeReceivedData(1, 11);
  assert.equal(conn.dataToSend().length, 0);
  assert.equal(conn.nextStreamId, 3);
});

Deno.test("connection: the same bytes fed one octet at a time give the same events", () => {
  const script = (
    feed: (conn: H2Connection, bytes: Uint8Array) => H2Event[],
  ): H2Event[] => {
    const { conn, server } = connected();
    conn.sendHeaders(undefined, REQUEST, true);
    conn.dataToSend();
    return feed(
      conn,
      concat(
        server.headers(1, [[":status", "404"]]),
        server.data(1, "not found", false, 3),
        server.headers(1, [["x-trailer", "1"]], true),
      ),
    );
  };
  const whole = script((conn, bytes) => conn.receiveData(bytes));
  const split = script((conn, bytes) =>
    bytes.reduce<H2Event[]>(
      (all, _, i) => [...all, ...conn.receiveData(bytes.subarray(i, i + 1))],
      [],
    )
  );
  assert.deepEqual(split, whole);
  assert.deepEqual(whole.map((e) => e.type), [
    "ResponseReceived",
    "DataReceived",
    "TrailersReceived",
    "StreamEnded",
  ]);
  const data = whole[1];
  assert.ok(data.type === "DataReceived");
  assert.equal(data.flowControlledLength, 9 + 1 + 3); // padding counts
});

Deno.test("connection: informational responses come before the final one", () => {
  const { conn, server } = connected();
  conn.sendHeaders(undefined, REQUEST, false);
  conn.dataToSend();
  const events = conn.receiveData(concat(
    server.headers(1, [[":status", "100"]]),
    server.headers(1, [[":status", "103"], ["link", "</a.css>"]]),
    server.headers(1, [[":status", "204"]], true),
  ));
  assert.deepEqual(events.map((e) => e.type), [
    "InformationalResponseReceived",
    "InformationalResponseReceived",
    "ResponseReceived",
    "StreamEnded",
  ]);
  assert.equal(conn.streamState(1), "half_closed_remote");
});

Deno.test("connection: request trailers end the stream", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, false);
  assert.equal(conn.sendData(id, text("body")), 4);
  assert.throws(
    () => conn.sendHeaders(id, [["x-t", "1"]], false),
    H2StateError,
  );
  conn.sendHeaders(id, [["x-checksum", "abc"]], true);
  const frames = server.read(conn.dataToSend());
  assert.deepEqual(frames.map((f) => f.type), ["HEADERS", "DATA", "HEADERS"]);
  assert.deepEqual(server.decodeHeaders(frames[0]), REQUEST);
  assert.deepEqual(server.decodeHeaders(frames[2]), [["x-checksum", "abc"]]);
  assert.ok(frames[2].type === "HEADERS" && frames[2].endStream);
  assert.equal(conn.streamState(id), "half_closed_local");
  assert.throws(() => conn.sendData(id, text("x")), H2StateError);
});

Deno.test("connection: flow-control stall on the stream window and resumption", () => {
  const { conn, server } = connected({}, [[SettingId.INITIAL_WINDOW_SIZE, 10]]);
  const id = conn.sendHeaders(undefined, [...REQUEST.slice(1), [
    ":method",
    "POST",
  ]], false);
  const body = text("0123456789abcdefghijklmno"); // 25 octets
  assert.equal(conn.availableWindow(id), 10);
  assert.equal(conn.sendData(id, body, true), 10);
  assert.equal(conn.availableWindow(id), 0);
  assert.equal(conn.sendData(id, body.subarray(10), true), 0);
  let frames = server.read(conn.dataToSend());
  assert.deepEqual(frames.map((f) => f.type), ["HEADERS", "DATA"]);
  assert.ok(
    frames[1].type === "DATA" && !frames[1].endStream &&
      frames[1].data.length === 10,
  );

  const events = conn.receiveData(
    server.frame({ type: "WINDOW_UPDATE", streamId: id, increment: 100 }),
  );
  assert.deepEqual(events, [{
    type: "WindowUpdated",
    streamId: id,
    delta: 100,
  }]);
  assert.equal(conn.availableWindow(id), 100);
  assert.equal(conn.sendData(id, body.subarray(10), true), 15);
  frames = server.read(conn.dataToSend());
  assert.equal(frames.length, 1);
  assert.ok(frames[0].type === "DATA" && frames[0].endStream);
  assert.deepEqual(frames[0].data, body.subarray(10));
  assert.equal(conn.streamState(id), "half_closed_local");
});

Deno.test("connection: the connection window stalls all streams until WINDOW_UPDATE on stream 0", () => {
  const { conn, server } = connected({}, [[
    SettingId.INITIAL_WINDOW_SIZE,
    1 << 20,
  ]]);
  const a = conn.sendHeaders(undefined, REQUEST, false);
  const b = conn.sendHeaders(undefined, REQUEST, false);
  assert.equal(conn.sendData(a, new Uint8Array(60000)), 60000);
  assert.equal(conn.sendData(b, new Uint8Array(60000)), 5535);
  assert.equal(conn.availableWindow(a), 0);
  const frames = server.read(conn.dataToSend()).filter((f) =>
    f.type === "DATA"
  );
  // 16384-octet frames: the peer's default MAX_FRAME_SIZE.
  assert.deepEqual(frames.map((f) => f.type === "DATA" ? f.data.length : 0), [
    16384,
    16384,
    16384,
    10848,
    5535,
  ]);
  conn.receiveData(
    server.frame({ type: "WINDOW_UPDATE", streamId: 0, increment: 50000 }),
  );
  assert.equal(conn.availableWindow(b), 50000);
});

Deno.test("connection: MAX_FRAME_SIZE from the server sizes DATA and header frames", () => {
  const { conn, server } = connected({}, [[SettingId.MAX_FRAME_SIZE, 20000]]);
  const id = conn.sendHeaders(undefined, [...REQUEST, [
    "x-big",
    "v".repeat(50000),
  ]], false);
  conn.sendData(id, new Uint8Array(50000));
  const frames = server.read(conn.dataToSend());
  assert.deepEqual(frames.map((f) => f.type), [
    "HEADERS",
    "CONTINUATION",
    "CONTINUATION",
    "DATA",
    "DATA",
    "DATA",
  ]);
  assert.ok(
    frames[0].type === "HEADERS" && !frames[0].endHeaders &&
      frames[0].fragment.length === 20000,
  );
  assert.ok(frames[1].type === "CONTINUATION" && !frames[1].endHeaders);
  assert.ok(frames[2].type === "CONTINUATION" && frames[2].endHeaders);
  const block = concat(
    ...frames.slice(0, 3).map((f) =>
      f.type === "HEADERS" || f.type === "CONTINUATION"
        ? f.fragment
        : new Uint8Array(0)
    ),
  );
  assert.deepEqual(server.decoder.decode(block), [
    ...REQUEST,
    ["x-big", "v".repeat(50000)],
  ]);
  assert.deepEqual(
    frames.slice(3).map((f) => f.type === "DATA" ? f.data.length : 0),
    [20000, 20000, 10000],
  );
});

Deno.test("connection: SETTINGS_INITIAL_WINDOW_SIZE changes apply to open streams", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, false);
  assert.equal(conn.sendData(id, new Uint8Array(1000)), 1000);
  assert.equal(conn.availableWindow(id), 64535);
  conn.receiveData(server.settings([[SettingId.INITIAL_WINDOW_SIZE, 500]]));
  // 500 - 1000: the window is now negative.
  assert.equal(conn.availableWindow(id), 0);
  conn.receiveData(
    server.frame({ type: "WINDOW_UPDATE", streamId: id, increment: 600 }),
  );
  assert.equal(conn.availableWindow(id), 100);
  conn.receiveData(server.settings([[SettingId.INITIAL_WINDOW_SIZE, 2000]]));
  assert.equal(conn.availableWindow(id), 1600);
  // New streams start from the new value.
  const next = conn.sendHeaders(undefined, REQUEST, false);
  assert.equal(conn.availableWindow(next), 2000);
  // Growing an open stream past 2^31-1 is a FLOW_CONTROL_ERROR.
  conn.receiveData(
    server.frame({
      type: "WINDOW_UPDATE",
      streamId: next,
      increment: 2 ** 31 - 1 - 2000,
    }),
  );
  connectionError(
    () =>
      conn.receiveData(
        server.settings([[SettingId.INITIAL_WINDOW_SIZE, 3000]]),
      ),
    ErrorCode.FLOW_CONTROL_ERROR,
  );
});

Deno.test("connection: window overflow beyond 2^31-1", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, false);
  conn.dataToSend();
  const events = conn.receiveData(
    server.frame({
      type: "WINDOW_UPDATE",
      streamId: id,
      increment: 2 ** 31 - 1,
    }),
  );
  assert.deepEqual(
    events.map((e) =>
      e.type === "StreamReset" ? [e.type, e.errorCode, e.remote] : e.type
    ),
    [
      ["StreamReset", ErrorCode.FLOW_CONTROL_ERROR, false],
    ],
  );
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "RST_STREAM",
    streamId: id,
    errorCode: ErrorCode.FLOW_CONTROL_ERROR,
  }]);
  assert.equal(conn.streamState(id), "closed");
  connectionError(
    () =>
      conn.receiveData(
        server.frame({
          type: "WINDOW_UPDATE",
          streamId: 0,
          increment: 2 ** 31 - 1,
        }),
      ),
    ErrorCode.FLOW_CONTROL_ERROR,
  );
  assert.equal(
    goawayCode(server.read(conn.dataToSend())),
    ErrorCode.FLOW_CONTROL_ERROR,
  );
});

Deno.test("connection: received data is acknowledged with WINDOW_UPDATEs", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  conn.incrementFlowControlWindow(2 ** 24);
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "WINDOW_UPDATE",
    streamId: 0,
    increment: 2 ** 24,
  }]);
  const chunk = new Uint8Array(16384);
  const events = conn.receiveData(concat(
    server.headers(id, [[":status", "200"]]),
    server.data(id, chunk),
    server.data(id, chunk),
  ));
  assert.equal(conn.inboundWindow(id), 65535 - 32768);
  let acked = 0;
  for (const event of events) {
    if (event.type === "DataReceived") {
      conn.acknowledgeReceivedData(id, event.flowControlledLength);
      acked += event.flowControlledLength;
    }
  }
  assert.equal(acked, 32768);
  // Half the stream window processed: the stream gets its window back.
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "WINDOW_UPDATE",
    streamId: id,
    increment: 32768,
  }]);
  assert.equal(conn.inboundWindow(id), 65535);
});

Deno.test("connection: data beyond the stream window resets the stream", () => {
  const { conn, server } = connected({
    localSettings: [[SettingId.INITIAL_WINDOW_SIZE, 16384]],
  });
  const id = conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  assert.equal(conn.inboundWindow(id), 16384);
  const chunk = new Uint8Array(16384);
  const events = conn.receiveData(concat(
    server.headers(id, [[":status", "200"]]),
    server.data(id, chunk),
    server.data(id, chunk),
  ));
  const reset = events.at(-1);
  assert.ok(reset?.type === "StreamReset");
  assert.equal(reset.errorCode, ErrorCode.FLOW_CONTROL_ERROR);
  // The connection window of the dropped data is given back.
  assert.deepEqual(server.read(conn.dataToSend()), [
    {
      type: "RST_STREAM",
      streamId: id,
      errorCode: ErrorCode.FLOW_CONTROL_ERROR,
    },
    { type: "WINDOW_UPDATE", streamId: 0, increment: 32768 },
  ]);
  assert.equal(conn.inboundWindow(0), 65535);
});

Deno.test("connection: data beyond the connection window is a connection error", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, true);
  conn.incrementFlowControlWindow(2 ** 20, id);
  conn.dataToSend();
  const chunk = new Uint8Array(16384);
  conn.receiveData(server.headers(id, [[":status", "200"]]));
  connectionError(
    () =>
      conn.receiveData(
        repeated(4, () => server.data(id, chunk)),
      ),
    ErrorCode.FLOW_CONTROL_ERROR,
  );
});

Deno.test("connection: RST_STREAM from the server and late frames on the stream", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  const events = conn.receiveData(concat(
    server.headers(id, [[":status", "200"]]),
    server.frame({
      type: "RST_STREAM",
      streamId: id,
      errorCode: ErrorCode.INTERNAL_ERROR,
    }),
  ));
  assert.deepEqual(events.at(-1), {
    type: "StreamReset",
    streamId: id,
    errorCode: ErrorCode.INTERNAL_ERROR,
    remote: true,
  });
  assert.equal(conn.openStreamCount, 0);
  // Late DATA and HEADERS on the reset stream are dropped (HPACK still decoded).
  assert.deepEqual(
    conn.receiveData(
      concat(
        server.data(id, new Uint8Array(40000).subarray(0, 16000)),
        server.headers(id, [["x-a", "b"]], true),
      ),
    ),
    [],
  );
  assert.deepEqual(
    conn.receiveData(server.headers(id, [["x-a", "b"]], true)),
    [],
  );
  assert.throws(() => conn.sendData(id, text("x")), H2StateError);
  conn.resetStream(id); // no-op
  assert.equal(
    server.read(conn.dataToSend()).filter((f) => f.type === "RST_STREAM")
      .length,
    0,
  );
});

Deno.test("connection: resetStream sends RST_STREAM(CANCEL) and returns the window", () => {
  const { conn, server } = connected();
  const id = conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  conn.receiveData(
    concat(
      server.headers(id, [[":status", "200"]]),
      server.data(id, new Uint8Array(16000)),
      server.data(id, new Uint8Array(16000)),
      server.data(id, new Uint8Array(1000)),
    ),
  );
  assert.equal(conn.inboundWindow(0), 65535 - 33000);
  conn.resetStream(id);
  const frames = server.read(conn.dataToSend());
  assert.deepEqual(frames[0], {
    type: "RST_STREAM",
    streamId: id,
    errorCode: ErrorCode.CANCEL,
  });
  assert.deepEqual(frames[1], {
    type: "WINDOW_UPDATE",
    streamId: 0,
    increment: 33000,
  });
  // Acknowledging afterwards does not give it back twice.
  conn.acknowledgeReceivedData(id, 33000);
  assert.equal(conn.dataToSend().length, 0);
  assert.throws(() => conn.resetStream(99), H2StateError);
});

Deno.test("connection: GOAWAY stops new streams and lets existing ones finish", () => {
  const { conn, server } = connected();
  const a = conn.sendHeaders(undefined, REQUEST, true);
  const b = conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  const events = conn.receiveData(
    server.frame({
      type: "GOAWAY",
      lastStreamId: a,
      errorCode: ErrorCode.NO_ERROR,
      debugData: text("bye"),
    }),
  );
  assert.deepEqual(events, [{
    type: "ConnectionTerminated",
    errorCode: 0,
    lastStreamId: a,
    debugData: text("bye"),
  }]);
  assert.equal(conn.state, "closing");
  assert.equal(conn.goawayLastStreamId, a);
  assert.equal(conn.canOpenStream(), false);
  assert.throws(() => conn.sendHeaders(undefined, REQUEST, true), H2StateError);
  const done = conn.receiveData(server.headers(a, [[":status", "200"]], true));
  assert.deepEqual(done.map((e) => e.type), [
    "ResponseReceived",
    "StreamEnded",
  ]);
  assert.equal(conn.streamState(b), "half_closed_local");
  conn.closeConnection();
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "GOAWAY",
    lastStreamId: 0,
    errorCode: 0,
    debugData: new Uint8Array(0),
  }]);
  assert.equal(conn.state, "closed");
});

Deno.test("connection: PING is answered and our PING acknowledged", () => {
  const { conn, server } = connected();
  const payload = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const events = conn.receiveData(
    server.frame({ type: "PING", ack: false, data: payload }),
  );
  assert.deepEqual(events, [{ type: "PingReceived", data: payload }]);
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "PING",
    ack: true,
    data: payload,
  }]);
  const sent = conn.ping(Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1));
  assert.deepEqual(server.read(conn.dataToSend()), [{
    type: "PING",
    ack: false,
    data: sent,
  }]);
  assert.deepEqual(
    conn.receiveData(server.frame({ type: "PING", ack: true, data: sent })),
    [{ type: "PingAckReceived", data: sent }],
  );
  assert.throws(() => conn.ping(new Uint8Array(7)), H2StateError);
});

Deno.test("connection: MAX_CONCURRENT_STREAMS and stream-id exhaustion", () => {
  const { conn, server } = connected({}, [[
    SettingId.MAX_CONCURRENT_STREAMS,
    1,
  ]]);
  const a = conn.sendHeaders(undefined, REQUEST, true);
  assert.equal(conn.canOpenStream(), false);
  assert.throws(() => conn.sendHeaders(undefined, REQUEST, true), H2StateError);
  conn.receiveData(server.headers(a, [[":status", "200"]], true));
  assert.equal(conn.canOpenStream(), true);
  assert.equal(conn.sendHeaders(undefined, REQUEST, true), 3);

  const { conn: last, server: lastServer } = connected();
  assert.equal(last.sendHeaders(2 ** 31 - 1, REQUEST, true), 2 ** 31 - 1);
  assert.equal(last.nextStreamId, null);
  assert.equal(last.canOpenStream(), false);
  assert.throws(() => last.sendHeaders(undefined, REQUEST, true), H2StateError);
  assert.throws(() => last.sendHeaders(4, REQUEST, true), H2StateError);
  // The last stream still works.
  const events = last.receiveData(
    lastServer.headers(2 ** 31 - 1, [[":status", "200"]], true),
  );
  assert.equal(events[0].type, "ResponseReceived");
});

Deno.test("connection: the server's HEADER_TABLE_SIZE applies to our encoder", () => {
  const { conn, server } = connected({}, [[SettingId.HEADER_TABLE_SIZE, 0]]);
  conn.sendHeaders(undefined, [...REQUEST, ["x-custom", "value"]], true);
  const [frame] = server.read(conn.dataToSend());
  assert.ok(frame.type === "HEADERS");
  assert.equal(frame.fragment[0], 0x20); // size update to 0 first
  server.decoder.setMaxAllowedTableSize(0);
  assert.deepEqual(server.decodeHeaders(frame), [...REQUEST, [
    "x-custom",
    "value",
  ]]);
  assert.equal(server.decoder.table.length, 0);
});

Deno.test("connection: an HPACK error is a COMPRESSION_ERROR", () => {
  const { conn, server } = connected();
  conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  connectionError(
    () =>
      conn.receiveData(
        server.frame({
          type: "HEADERS",
          streamId: 1,
          endStream: true,
          endHeaders: true,
          fragment: Uint8Array.of(0xff, 0xff, 0x7f),
        }),
      ),
    ErrorCode.COMPRESSION_ERROR,
  );
  assert.equal(
    goawayCode(server.read(conn.dataToSend())),
    ErrorCode.COMPRESSION_ERROR,
  );
});

Deno.test("connection: invalid response heads reset the stream", () => {
  const cases: Array<[string, Array<[string, string]>]> = [
    ["no :status", [["content-type", "text/plain"]]],
    ["bad :status", [[":status", "20"]]],
    ["request pseudo-header", [[":status", "200"], [":path", "/"]]],
    ["pseudo-header after a regular one", [["server", "x"], [
      ":status",
      "200",
    ]]],
    ["connection-specific header", [[":status", "200"], [
      "connection",
      "keep-alive",
    ]]],
    ["transfer-encoding", [[":status", "200"], [
      "transfer-encoding",
      "chunked",
    ]]],
    ["uppercase name", [[":status", "200"], ["Content-Type", "text/plain"]]],
    ["101 in HTTP/2", [[":status", "101"]]],
  ];
  for (const [what, headers] of cases) {
    const { conn, server } = connected();
    conn.sendHeaders(undefined, REQUEST, true);
    conn.dataToSend();
    const events = conn.receiveData(server.headers(1, headers));
    assert.equal(events.length, 1, what);
    const [event] = events;
    assert.ok(
      event.type === "StreamReset" && !event.remote &&
        event.errorCode === ErrorCode.PROTOCOL_ERROR,
      what,
    );
    assert.deepEqual(server.read(conn.dataToSend()), [{
      type: "RST_STREAM",
      streamId: 1,
      errorCode: ErrorCode.PROTOCOL_ERROR,
    }], what);
    // The connection goes on.
    assert.equal(conn.sendHeaders(undefined, REQUEST, true), 3, what);
  }
});

Deno.test("connection: validation can be turned off, :status is still required", () => {
  const { conn, server } = connected({ validateResponseHeaders: false });
  conn.sendHeaders(undefined, REQUEST, true);
  conn.sendHeaders(undefined, REQUEST, true);
  const events = conn.receiveData(concat(
    server.headers(1, [[":status", "200"], ["Connection", "close"]], true),
    server.headers(3, [["x", "y"]], true),
  ));
  assert.deepEqual(events.map((e) => e.type), [
    "ResponseReceived",
    "StreamEnded",
    "StreamReset",
  ]);
});

Deno.test("connection: trailers and Content-Length checks", () => {
  const { conn, server } = connected();
  const a = conn.sendHeaders(undefined, REQUEST, true);
  const b = conn.sendHeaders(undefined, REQUEST, true);
  const c = conn.sendHeaders(undefined, REQUEST, true);
  const d = conn.sendHeaders(undefined, [
    [":method", "HEAD"],
    ...REQUEST.slice(1),
  ], true);
  const events = conn.receiveData(concat(
    server.headers(a, [[":status", "200"], ["content-length", "5"]]),
    server.data(a, "hello"),
    server.headers(a, [["grpc-status", "0"]], true),
    server.headers(b, [[":status", "200"], ["content-length", "5"]]),
    server.data(b, "hi", true),
    server.headers(c, [[":status", "200"]]),
    server.headers(c, [["x-t", "1"]], false),
    server.headers(d, [[":status", "200"], ["content-length", "500"]], true),
  ));
  const summary = events.map((e) => [e.type, "streamId" in e ? e.streamId : 0]);
  assert.deepEqual(summary, [
    ["ResponseReceived", a],
    ["DataReceived", a],
    ["TrailersReceived", a],
    ["StreamEnded", a],
    ["ResponseReceived", b],
    ["DataReceived", b],
    ["StreamReset", b], // 2 of 5 octets
    ["ResponseReceived", c],
    ["StreamReset", c], // trailers without END_STREAM
    ["ResponseReceived", d],
    ["StreamEnded", d], // HEAD: no body despite Content-Length
  ]);
  const trailers = events[2];
  assert.ok(trailers.type === "TrailersReceived");
  assert.deepEqual(trailers.headers, [["grpc-status", "0"]]);
});

Deno.test("connection: frames on idle streams and PUSH_PROMISE are connection errors", () => {
  const cases: Array<[string, (s: ScriptedServer) => Uint8Array]> = [
    ["DATA on an idle stream", (s) => s.data(5, "x")],
    ["HEADERS on a server stream", (s) => s.headers(2, [[":status", "200"]])],
    [
      "RST_STREAM on an idle stream",
      (s) => s.frame({ type: "RST_STREAM", streamId: 7, errorCode: 0 }),
    ],
    [
      "WINDOW_UPDATE on an idle stream",
      (s) => s.frame({ type: "WINDOW_UPDATE", streamId: 9, increment: 1 }),
    ],
    [
      "PUSH_PROMISE",
      (s) =>
        s.frame({
          type: "PUSH_PROMISE",
          streamId: 1,
          endHeaders: true,
          promisedStreamId: 2,
          fragment: s.encoder.encode(REQUEST),
        }),
    ],
    [
      "CONTINUATION without HEADERS",
      (s) => s.continuation(1, new Uint8Array(0), true),
    ],
    [
      "another frame inside a header block",
      (s) =>
        concat(
          s.headersFrame(1, s.encoder.encode([[":status", "200"]])),
          s.frame({ type: "PING", ack: false, data: new Uint8Array(8) }),
        ),
    ],
  ];
  for (const [what, build] of cases) {
    const { conn, server } = connected();
    conn.sendHeaders(undefined, REQUEST, true);
    conn.dataToSend();
    connectionError(
      () => conn.receiveData(build(server)),
      ErrorCode.PROTOCOL_ERROR,
    );
    assert.equal(
      goawayCode(server.read(conn.dataToSend())),
      ErrorCode.PROTOCOL_ERROR,
      what,
    );
  }
});

Deno.test("connection: header blocks split over CONTINUATION frames", () => {
  const { conn, server } = connected();
  conn.sendHeaders(undefined, REQUEST, true);
  const block = server.encoder.encode([[":status", "200"], [
    "x-long",
    "y".repeat(3000),
  ]]);
  const events = conn.receiveData(concat(
    server.headersFrame(1, block.subarray(0, 10), true),
    server.continuation(1, block.subarray(10, 1000)),
    server.continuation(1, block.subarray(1000), true),
  ));
  assert.deepEqual(events.map((e) => e.type), [
    "ResponseReceived",
    "StreamEnded",
  ]);
  const response = events[0];
  assert.ok(response.type === "ResponseReceived");
  assert.equal(response.headers[1][1].length, 3000);
});

Deno.test("connection: unknown frame types and PRIORITY are ignored", () => {
  const { conn, server } = connected();
  conn.sendHeaders(undefined, REQUEST, true);
  const events = conn.receiveData(concat(
    server.frame({
      type: "UNKNOWN",
      frameType: 0xbb,
      streamId: 1,
      flags: 0,
      payload: text("whatever"),
    }),
    server.frame({
      type: "PRIORITY",
      streamId: 1,
      priority: { dependsOn: 0, exclusive: false, weight: 16 },
    }),
    server.frame({
      type: "PRIORITY",
      streamId: 11,
      priority: { dependsOn: 0, exclusive: false, weight: 16 },
    }),
    server.headers(1, [[":status", "200"]], true),
  ));
  assert.deepEqual(events.map((e) => e.type), [
    "ResponseReceived",
    "StreamEnded",
  ]);
});

Deno.test("connection: floods end the connection with ENHANCE_YOUR_CALM", () => {
  const floods: Array<[string, (s: ScriptedServer) => Uint8Array]> = [
    [
      "PING flood",
      (s) =>
        repeated(
          101,
          () => s.frame({ type: "PING", ack: false, data: new Uint8Array(8) }),
        ),
    ],
    [
      "SETTINGS flood",
      (s) =>
        repeated(
          101,
          () => s.settings([[SettingId.MAX_CONCURRENT_STREAMS, 10]]),
        ),
    ],
    [
      "CONTINUATION flood",
      (s) =>
        concat(
          s.headersFrame(1, new Uint8Array(16384)),
          repeated(20, () => s.continuation(1, new Uint8Array(16384))),
        ),
    ],
    [
      "empty CONTINUATION flood",
      (s) =>
        concat(
          s.headersFrame(1, s.encoder.encode([[":status", "200"]])),
          repeated(101, () => s.continuation(1, new Uint8Array(0))),
        ),
    ],
    [
      "empty DATA flood",
      (s) =>
        concat(
          s.headers(1, [[":status", "200"]]),
          repeated(101, () => s.data(1, "")),
        ),
    ],
  ];
  for (const [what, build] of floods) {
    const { conn, server } = connected();
    conn.sendHeaders(undefined, REQUEST, true);
    conn.dataToSend();
    const error = connectionError(
      () => conn.receiveData(build(server)),
      ErrorCode.ENHANCE_YOUR_CALM,
    );
    assert.ok(error.message.length > 0, what);
    assert.equal(
      goawayCode(server.read(conn.dataToSend())),
      ErrorCode.ENHANCE_YOUR_CALM,
      what,
    );
  }
  // Many PINGs are fine when their answers are sent between reads.
  const { conn, server } = connected();
  for (let i = 0; i < 500; i++) {
    conn.receiveData(
      server.frame({ type: "PING", ack: false, data: new Uint8Array(8) }),
    );
    conn.dataToSend();
  }
  // Empty DATA frames interleaved with real data are fine.
  conn.sendHeaders(undefined, REQUEST, true);
  conn.receiveData(server.headers(1, [[":status", "200"]]));
  for (let i = 0; i < 500; i++) {
    conn.receiveData(concat(server.data(1, ""), server.data(1, "x")));
  }
  conn.acknowledgeReceivedData(1, 500);
});

Deno.test("connection: oversized response headers reset only that stream", () => {
  const { conn, server } = connected();
  conn.receiveData(server.settingsAck());
  conn.sendHeaders(undefined, REQUEST, true);
  conn.sendHeaders(undefined, REQUEST, true);
  conn.dataToSend();
  const big: Array<[string, string]> = [[":status", "200"]];
  for (let i = 0; i < 40; i++) big.push([`x-h${i}`, "v".repeat(2000)]);
  const block = server.encoder.encode(big);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < block.length; at += 16384) {
    const fragment = block.subarray(at, at + 16384);
    frames.push(
      at === 0
        ? server.frame({
          type: "HEADERS",
          streamId: 1,
          endStream: true,
          endHeaders: at + 16384 >= block.length,
          fragment,
        })
        : server.continuation(1, fragment, at + 16384 >= block.length),
    );
  }
  const events = conn.receiveData(
    concat(...frames, server.headers(3, [[":status", "200"]], true)),
  );
  assert.deepEqual(
    events.map((e) => [e.type, "streamId" in e ? e.streamId : 0]),
    [
      ["StreamReset", 1],
      ["ResponseReceived", 3],
      ["StreamEnded", 3],
    ],
  );
});
