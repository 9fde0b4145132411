/**
 * HTTP/2 frame micro-benchmarks: `deno bench bench/micro/h2_frames_bench.ts`.
 *
 * Parsing a read's worth of response frames (HEADERS + DATA for 64
 * streams, as one network read delivers them under load), serialising
 * request frames, and a whole client round through the sans-I/O core
 * (64 requests out, their responses in).
 *
 * @module
 */

import { H2Connection } from "../../src/protocol/h2/connection.ts";
import {
  type Frame,
  FrameReader,
  serializeFrame,
} from "../../src/protocol/h2/frames.ts";
import { HpackEncoder } from "../../src/protocol/hpack/encoder.ts";

const STREAMS = 64;
const body = new TextEncoder().encode("Hello, world!");

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Server frames answering streams 1, 3, … (`first` onwards). */
function responses(encoder: HpackEncoder, first = 1): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < STREAMS; i++) {
    const streamId = first + 2 * i;
    parts.push(serializeFrame({
      type: "HEADERS",
      streamId,
      endStream: false,
      endHeaders: true,
      fragment: encoder.encode([
        [":status", "200"],
        ["server", "nginx/1.22.1"],
        ["content-type", "text/plain"],
        ["content-length", "13"],
      ]),
    }));
    parts.push(
      serializeFrame({ type: "DATA", streamId, endStream: true, data: body }),
    );
  }
  return concat(parts);
}

const READ = responses(new HpackEncoder({ maxTableSize: 0 }));

Deno.bench("frames: parse one read of 64 responses (128 frames)", {
  group: "parse",
  baseline: true,
}, () => {
  const reader = new FrameReader();
  reader.push(READ);
  let frames = 0;
  for (let f: Frame | null = reader.next(); f !== null; f = reader.next()) {
    frames++;
  }
  if (frames !== 2 * STREAMS) throw new Error(`parsed ${frames} frames`);
});

Deno.bench("frames: parse the same read split into 1 KiB chunks", {
  group: "parse",
}, () => {
  const reader = new FrameReader();
  let frames = 0;
  for (let at = 0; at < READ.length; at += 1024) {
    reader.push(READ.subarray(at, at + 1024));
    for (let f: Frame | null = reader.next(); f !== null; f = reader.next()) {
      frames++;
    }
  }
  if (frames !== 2 * STREAMS) throw new Error(`parsed ${frames} frames`);
});

Deno.bench("frames: serialise 64 WINDOW_UPDATE + DATA frames", {
  group: "serialise",
}, () => {
  for (let i = 0; i < STREAMS; i++) {
    serializeFrame({
      type: "WINDOW_UPDATE",
      streamId: 2 * i + 1,
      increment: 1 << 24,
    });
    serializeFrame({
      type: "DATA",
      streamId: 2 * i + 1,
      endStream: true,
      data: body,
    });
  }
});

// A client core with the server's SETTINGS already taken in.
function openCore(): { core: H2Connection; encoder: HpackEncoder } {
  const core = new H2Connection();
  core.initiate();
  core.receiveData(concat([
    serializeFrame({ type: "SETTINGS", ack: false, settings: [[3, 128]] }),
    serializeFrame({ type: "SETTINGS", ack: true, settings: [] }),
  ]));
  core.dataToSend();
  return { core, encoder: new HpackEncoder() };
}

const REQUEST: Array<[string, string]> = [
  [":method", "GET"],
  [":authority", "localhost:19443"],
  [":scheme", "https"],
  [":path", "/13b"],
  ["accept", "*/*"],
  ["user-agent", "python-httpx/0.28.1"],
];

Deno.bench("core: 64 requests out, 64 responses in (one round)", {
  group: "core",
}, (b) => {
  const { core, encoder } = openCore();
  let next = 1;
  b.start();
  for (let round = 0; round < 20; round++) {
    const first = next;
    for (let i = 0; i < STREAMS; i++) {
      next = core.sendHeaders(undefined, REQUEST, true) + 2;
    }
    core.dataToSend();
    const events = core.receiveData(responses(encoder, first));
    for (const event of events) {
      if (event.type === "DataReceived") {
        core.acknowledgeReceivedData(
          event.streamId,
          event.flowControlledLength,
        );
      }
    }
    core.dataToSend();
  }
  b.end();
});
