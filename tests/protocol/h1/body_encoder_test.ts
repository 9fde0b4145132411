import assert from "node:assert/strict";
import {
  BodyEncoder,
  requestBodyFraming,
} from "../../../src/protocol/h1/body_encoder.ts";
import { LocalProtocolError } from "../../../src/errors.ts";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (parts: Uint8Array[]): string =>
  parts.map((p) => new TextDecoder().decode(p)).join("");

Deno.test("requestBodyFraming reads the framing headers", () => {
  assert.deepEqual(requestBodyFraming([["Host", "x"]]), { kind: "none" });
  assert.deepEqual(requestBodyFraming([["Content-Length", "12"]]), {
    kind: "length",
    length: 12,
  });
  assert.deepEqual(requestBodyFraming([["content-length", "3, 3"]]), {
    kind: "length",
    length: 3,
  });
  assert.deepEqual(
    requestBodyFraming([["Transfer-Encoding", "Chunked"]]),
    { kind: "chunked" },
  );
  assert.deepEqual(
    requestBodyFraming([["transfer-encoding", "gzip, chunked"]]),
    { kind: "chunked" },
  );
});

Deno.test("requestBodyFraming rejects unusable framing", () => {
  for (
    const headers of [
      [["Content-Length", "abc"]],
      [["Content-Length", "-1"]],
      [["Content-Length", ""]],
      [["Content-Length", "1"], ["Content-Length", "2"]],
      [["Transfer-Encoding", "gzip"]],
      [["Transfer-Encoding", "chunked"], ["Content-Length", "5"]],
    ] as Array<Array<[string, string]>>
  ) {
    assert.throws(
      () => requestBodyFraming(headers),
      LocalProtocolError,
      JSON.stringify(headers),
    );
  }
});

Deno.test("BodyEncoder passes Content-Length bodies through and checks the length", () => {
  const encoder = new BodyEncoder({ kind: "length", length: 5 });
  const a = bytes("he");
  assert.deepEqual(encoder.encode(a), [a]);
  assert.deepEqual(encoder.encode(new Uint8Array(0)), []);
  assert.throws(() => encoder.encode(bytes("llo!")), LocalProtocolError);
  encoder.encode(bytes("llo"));
  assert.equal(encoder.bytesSent, 5);
  assert.equal(encoder.finish(), null);
});

Deno.test("BodyEncoder rejects a body shorter than its Content-Length", () => {
  const encoder = new BodyEncoder({ kind: "length", length: 5 });
  encoder.encode(bytes("abc"));
  assert.throws(
    () => encoder.finish(),
    (e: unknown) =>
      e instanceof LocalProtocolError &&
      e.message ===
        "Too little data for declared Content-Length: sent 3 bytes, expected 5",
  );
});

Deno.test("BodyEncoder allows no body bytes without framing headers", () => {
  const encoder = new BodyEncoder({ kind: "none" });
  assert.deepEqual(encoder.encode(new Uint8Array(0)), []);
  assert.equal(encoder.finish(), null);
  assert.throws(() => encoder.encode(bytes("x")), LocalProtocolError);
});

Deno.test("BodyEncoder frames a chunked body", () => {
  const encoder = new BodyEncoder({ kind: "chunked" });
  const wire = [
    ...encoder.encode(bytes("Hello, ")),
    ...encoder.encode(new Uint8Array(0)),
    ...encoder.encode(bytes("world!")),
    encoder.finish()!,
  ];
  assert.equal(text(wire), "7\r\nHello, \r\n6\r\nworld!\r\n0\r\n\r\n");
});

Deno.test("BodyEncoder.encodeInto frames chunked data in place and counts it", () => {
  const scratch = new Uint8Array(64);
  const chunked = new BodyEncoder({ kind: "chunked" });
  const framed = chunked.encodeInto(bytes("hello"), scratch)!;
  assert.equal(framed.buffer, scratch.buffer);
  assert.equal(text([framed]), "5\r\nhello\r\n");
  assert.equal(chunked.bytesSent, 5);
  // Too big for the buffer, or empty: nothing done, encode() is the way.
  assert.equal(chunked.encodeInto(new Uint8Array(100), scratch), null);
  assert.equal(chunked.encodeInto(new Uint8Array(0), scratch), null);
  assert.equal(chunked.bytesSent, 5);
  // Other framings never use it.
  const length = new BodyEncoder({ kind: "length", length: 5 });
  assert.equal(length.encodeInto(bytes("hello"), scratch), null);
  assert.equal(length.bytesSent, 0);
});
