import assert from "node:assert/strict";
import { ErrorCode } from "../../../src/protocol/h2/error_codes.ts";
import {
  H2ConnectionError,
  H2StreamError,
} from "../../../src/protocol/h2/errors.ts";
import {
  type Frame,
  FrameReader,
  serializeFrame,
} from "../../../src/protocol/h2/frames.ts";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function parseAll(data: Uint8Array, chunk = data.length): Frame[] {
  const reader = new FrameReader();
  const frames: Frame[] = [];
  for (let at = 0; at < data.length; at += chunk) {
    reader.push(data.subarray(at, at + chunk));
    for (let f = reader.next(); f !== null; f = reader.next()) frames.push(f);
  }
  assert.equal(reader.bufferedLength, 0);
  return frames;
}

/** A raw frame: header fields and payload. */
function raw(
  type: number,
  flags: number,
  streamId: number,
  payload: number[],
): Uint8Array {
  const n = payload.length;
  return bytes(
    n >> 16,
    (n >> 8) & 0xff,
    n & 0xff,
    type,
    flags,
    (streamId >>> 24) & 0xff,
    (streamId >> 16) & 0xff,
    (streamId >> 8) & 0xff,
    streamId & 0xff,
    ...payload,
  );
}

function parseError(data: Uint8Array): unknown {
  try {
    parseAll(data);
  } catch (error) {
    return error;
  }
  return null;
}

Deno.test("frames: exact wire form of each type", () => {
  assert.deepEqual(
    serializeFrame({
      type: "DATA",
      streamId: 1,
      endStream: true,
      data: bytes(0x61),
    }),
    raw(0, 0x1, 1, [0x61]),
  );
  assert.deepEqual(
    serializeFrame({
      type: "SETTINGS",
      ack: false,
      settings: [[2, 0], [3, 100]],
    }),
    raw(4, 0, 0, [0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]),
  );
  assert.deepEqual(
    serializeFrame({ type: "SETTINGS", ack: true, settings: [] }),
    raw(4, 1, 0, []),
  );
  assert.deepEqual(
    serializeFrame({ type: "WINDOW_UPDATE", streamId: 0, increment: 2 ** 24 }),
    raw(8, 0, 0, [1, 0, 0, 0]),
  );
  assert.deepEqual(
    serializeFrame({
      type: "RST_STREAM",
      streamId: 3,
      errorCode: ErrorCode.CANCEL,
    }),
    raw(3, 0, 3, [0, 0, 0, 8]),
  );
  assert.deepEqual(
    serializeFrame({
      type: "GOAWAY",
      lastStreamId: 5,
      errorCode: ErrorCode.PROTOCOL_ERROR,
      debugData: bytes(0x78),
    }),
    raw(7, 0, 0, [0, 0, 0, 5, 0, 0, 0, 1, 0x78]),
  );
  assert.deepEqual(
    serializeFrame({
      type: "DATA",
      streamId: 1,
      endStream: false,
      data: bytes(0x61),
      padLength: 2,
    }),
    raw(0, 0x8, 1, [2, 0x61, 0, 0]),
  );
});

Deno.test("frames: every type round-trips, in one chunk and byte by byte", () => {
  const frames: Frame[] = [
    {
      type: "DATA",
      streamId: 1,
      endStream: false,
      data: bytes(1, 2, 3),
      padLength: 0,
      flowControlledLength: 3,
    },
    {
      type: "DATA",
      streamId: 3,
      endStream: true,
      data: bytes(9),
      padLength: 4,
      flowControlledLength: 6,
    },
    {
      type: "HEADERS",
      streamId: 1,
      endStream: true,
      endHeaders: false,
      fragment: bytes(0x82),
      padLength: 0,
    },
    {
      type: "HEADERS",
      streamId: 5,
      endStream: false,
      endHeaders: true,
      fragment: bytes(0x82, 0x84),
      priority: { dependsOn: 3, exclusive: true, weight: 256 },
      padLength: 3,
    },
    {
      type: "PRIORITY",
      streamId: 7,
      priority: { dependsOn: 0, exclusive: false, weight: 16 },
    },
    { type: "RST_STREAM", streamId: 1, errorCode: 0xdeadbeef },
    {
      type: "SETTINGS",
      ack: false,
      settings: [[1, 0], [4, 2 ** 31 - 1], [0x99, 0xffffffff]],
    },
    { type: "SETTINGS", ack: true, settings: [] },
    {
      type: "PUSH_PROMISE",
      streamId: 1,
      endHeaders: true,
      promisedStreamId: 2,
      fragment: bytes(0x82),
      padLength: 0,
    },
    { type: "PING", ack: false, data: bytes(1, 2, 3, 4, 5, 6, 7, 8) },
    { type: "PING", ack: true, data: bytes(8, 7, 6, 5, 4, 3, 2, 1) },
    {
      type: "GOAWAY",
      lastStreamId: 2 ** 31 - 1,
      errorCode: 0,
      debugData: bytes(),
    },
    { type: "WINDOW_UPDATE", streamId: 9, increment: 2 ** 31 - 1 },
    {
      type: "CONTINUATION",
      streamId: 1,
      endHeaders: true,
      fragment: bytes(0x84),
    },
    {
      type: "UNKNOWN",
      frameType: 0xfa,
      streamId: 3,
      flags: 0xff,
      payload: bytes(1, 2),
    },
  ];
  const wire = new Uint8Array(
    frames.flatMap((f) => Array.from(serializeFrame(f))),
  );
  assert.deepEqual(parseAll(wire), frames);
  assert.deepEqual(parseAll(wire, 1), frames);
  assert.deepEqual(parseAll(wire, 7), frames);
});

Deno.test("frames: payloads are copies that survive later pushes", () => {
  const reader = new FrameReader();
  const chunk = serializeFrame({
    type: "DATA",
    streamId: 1,
    endStream: false,
    data: bytes(1, 2, 3),
  });
  reader.push(chunk);
  const frame = reader.next();
  chunk.fill(0xee);
  for (let i = 0; i < 5000; i++) {
    reader.push(
      serializeFrame({ type: "PING", ack: false, data: new Uint8Array(8) }),
    );
  }
  assert.ok(frame?.type === "DATA");
  assert.deepEqual(frame.data, bytes(1, 2, 3));
  let n = 0;
  while (reader.next() !== null) n++;
  assert.equal(n, 5000);
});

Deno.test("frames: reserved stream id bit is ignored", () => {
  const [frame] = parseAll(raw(8, 0, 0x80000001, [0x80, 0, 0, 1]));
  assert.deepEqual(frame, { type: "WINDOW_UPDATE", streamId: 1, increment: 1 });
});

Deno.test("frames: malformed frames raise the right error", () => {
  const connection: Array<[string, Uint8Array, number]> = [
    ["DATA on stream 0", raw(0, 0, 0, [1]), ErrorCode.PROTOCOL_ERROR],
    ["HEADERS on stream 0", raw(1, 4, 0, [0x82]), ErrorCode.PROTOCOL_ERROR],
    [
      "CONTINUATION on stream 0",
      raw(9, 4, 0, [0x82]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "RST_STREAM on stream 0",
      raw(3, 0, 0, [0, 0, 0, 0]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    ["SETTINGS on stream 1", raw(4, 0, 1, []), ErrorCode.PROTOCOL_ERROR],
    [
      "PING on stream 1",
      raw(6, 0, 1, [0, 0, 0, 0, 0, 0, 0, 0]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "GOAWAY on stream 1",
      raw(7, 0, 1, [0, 0, 0, 0, 0, 0, 0, 0]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "padding as long as the payload",
      raw(0, 8, 1, [3, 0, 0]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "padded frame without pad length",
      raw(0, 8, 1, []),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "SETTINGS not a multiple of 6",
      raw(4, 0, 0, [0, 1, 0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "SETTINGS ACK with payload",
      raw(4, 1, 0, [0, 1, 0, 0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "PING of 7 octets",
      raw(6, 0, 0, [0, 0, 0, 0, 0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "RST_STREAM of 3 octets",
      raw(3, 0, 1, [0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "WINDOW_UPDATE of 5 octets",
      raw(8, 0, 1, [0, 0, 0, 1, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "GOAWAY of 7 octets",
      raw(7, 0, 0, [0, 0, 0, 0, 0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "HEADERS too short for priority",
      raw(1, 0x24, 1, [0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "connection WINDOW_UPDATE of 0",
      raw(8, 0, 0, [0, 0, 0, 0]),
      ErrorCode.PROTOCOL_ERROR,
    ],
    [
      "PUSH_PROMISE too short",
      raw(5, 4, 1, [0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
  ];
  for (const [what, wire, code] of connection) {
    const error = parseError(wire);
    assert.ok(error instanceof H2ConnectionError, what);
    assert.equal(error.code, code, what);
  }
  const stream: Array<[string, Uint8Array, number]> = [
    [
      "PRIORITY of 4 octets",
      raw(2, 0, 1, [0, 0, 0, 0]),
      ErrorCode.FRAME_SIZE_ERROR,
    ],
    [
      "stream WINDOW_UPDATE of 0",
      raw(8, 0, 3, [0, 0, 0, 0]),
      ErrorCode.PROTOCOL_ERROR,
    ],
  ];
  for (const [what, wire, code] of stream) {
    const error = parseError(wire);
    assert.ok(error instanceof H2StreamError, what);
    assert.equal(error.code, code, what);
  }
});

Deno.test("frames: a frame above the maximum size is a FRAME_SIZE_ERROR before its payload arrives", () => {
  const reader = new FrameReader();
  reader.push(bytes(0x00, 0x40, 0x01, 0, 0, 0, 0, 0, 1)); // 16385 octets announced
  assert.throws(
    () => reader.next(),
    (e) =>
      e instanceof H2ConnectionError && e.code === ErrorCode.FRAME_SIZE_ERROR,
  );
  const larger = new FrameReader();
  larger.maxFrameSize = 1 << 20;
  larger.push(
    serializeFrame({
      type: "DATA",
      streamId: 1,
      endStream: false,
      data: new Uint8Array(20000),
    }),
  );
  assert.equal(larger.next()?.type, "DATA");
});

Deno.test("frames: partial frames wait for more bytes", () => {
  const reader = new FrameReader();
  const wire = serializeFrame({
    type: "PING",
    ack: false,
    data: new Uint8Array(8),
  });
  reader.push(wire.subarray(0, 5));
  assert.equal(reader.next(), null);
  reader.push(wire.subarray(5, 16));
  assert.equal(reader.next(), null);
  reader.push(wire.subarray(16));
  assert.equal(reader.next()?.type, "PING");
  assert.equal(reader.next(), null);
});
