import assert from "node:assert/strict";
import {
  responseHeaderProblem,
  responseStatus,
} from "../../../src/protocol/h2/header_validation.ts";

Deno.test("header validation: valid responses and trailers", () => {
  assert.equal(
    responseHeaderProblem([[":status", "200"], ["content-type", "text/html"], [
      "te",
      "trailers",
    ]], "response"),
    null,
  );
  assert.equal(responseHeaderProblem([["grpc-status", "0"]], "trailers"), null);
  assert.equal(responseStatus([[":status", "304"]]), 304);
  assert.equal(responseStatus([[":status", "abc"]]), null);
  assert.equal(responseStatus([]), null);
});

Deno.test("header validation: each rule", () => {
  const bad: Array<[Array<[string, string]>, "response" | "trailers", RegExp]> =
    [
      [[["server", "x"]], "response", /no :status/],
      [[[":status", "2000"]], "response", /Invalid :status/],
      [[[":status", "200"], [":status", "204"]], "response", /Duplicate/],
      [[["server", "x"], [":status", "200"]], "response", /after regular/],
      [
        [[":status", "200"], [":method", "GET"]],
        "response",
        /Unexpected pseudo-header/,
      ],
      [[[":status", "200"], ["Server", "x"]], "response", /lowercase/],
      [
        [[":status", "200"], ["keep-alive", "5"]],
        "response",
        /Connection-specific/,
      ],
      [[[":status", "200"], ["te", "gzip"]], "response", /te header/],
      [[[":status", "200"], ["", "x"]], "response", /Empty/],
      [[[":status", "200"]], "trailers", /in trailers/],
    ];
  for (const [headers, kind, pattern] of bad) {
    const problem = responseHeaderProblem(headers, kind);
    assert.ok(
      problem !== null && pattern.test(problem),
      `${JSON.stringify(headers)}: ${problem}`,
    );
  }
});
