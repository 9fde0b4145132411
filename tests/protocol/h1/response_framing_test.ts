import assert from "node:assert/strict";
import { responseFraming } from "../../../src/protocol/h1/response_framing.ts";
import { RemoteProtocolError } from "../../../src/errors.ts";

Deno.test("responseFraming decides framing from the head", () => {
  assert.deepEqual(
    responseFraming("GET", 200, "HTTP/1.1", [["Content-Length", "7"]], true),
    {
      kind: "length",
      length: 7,
      keepAlive: true,
    },
  );
  assert.deepEqual(responseFraming("GET", 200, "HTTP/1.1", [], true), {
    kind: "close",
    length: 0,
    keepAlive: false,
  });
  assert.deepEqual(
    responseFraming("GET", 101, "HTTP/1.1", [["Content-Length", "7"]], true),
    {
      kind: "upgrade",
      length: 0,
      keepAlive: false,
    },
  );
  assert.deepEqual(
    responseFraming("GET", 200, "HTTP/1.1", [[
      "transfer-encoding",
      "gzip , Chunked",
    ]], true),
    { kind: "chunked", length: 0, keepAlive: true },
  );
  // Content-Length is not even looked at where there is no body.
  assert.equal(
    responseFraming("HEAD", 200, "HTTP/1.1", [["Content-Length", "bad"]], true)
      .kind,
    "none",
  );
});

Deno.test("responseFraming: keep-alive and Content-Length rules", () => {
  const frame = (
    version: string,
    headers: Array<[string, string]>,
    requestKeepAlive = true,
  ) => responseFraming("GET", 200, version, headers, requestKeepAlive);
  assert.equal(frame("HTTP/1.1", [["Content-Length", "1"]]).keepAlive, true);
  assert.equal(
    frame("HTTP/1.1", [["Content-Length", "1"]], false).keepAlive,
    false,
  );
  assert.equal(
    frame("HTTP/1.1", [["connection", "Close"], ["Content-Length", "1"]])
      .keepAlive,
    false,
  );
  assert.equal(frame("HTTP/1.0", [["Content-Length", "1"]]).keepAlive, false);
  assert.equal(
    frame("HTTP/1.0", [["Connection", "keep-alive"], ["Content-Length", "1"]])
      .keepAlive,
    true,
  );
  assert.deepEqual(frame("HTTP/1.1", [["Content-Length", "0"]]), {
    kind: "none",
    length: 0,
    keepAlive: true,
  });
  assert.deepEqual(
    frame("HTTP/1.1", [["Content-Length", "5"], [
      "Transfer-Encoding",
      "chunked",
    ]]),
    { kind: "chunked", length: 0, keepAlive: false },
  );
  assert.throws(
    () => frame("HTTP/1.1", [["Content-Length", "5"], ["Content-Length", "6"]]),
    RemoteProtocolError,
  );
  for (const status of [100, 103, 204, 304]) {
    assert.equal(
      responseFraming(
        "GET",
        status,
        "HTTP/1.1",
        [["Content-Length", "5"]],
        true,
      ).kind,
      "none",
    );
  }
  assert.equal(
    responseFraming("CONNECT", 204, "HTTP/1.1", [], true).kind,
    "upgrade",
  );
  assert.equal(
    responseFraming("CONNECT", 407, "HTTP/1.1", [["Content-Length", "0"]], true)
      .kind,
    "none",
  );
});
