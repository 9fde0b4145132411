import assert from "node:assert/strict";
import { maskOutput } from "./_mask.ts";

Deno.test("maskOutput masks ports, dates, uuids, durations and the version", () => {
  const text = [
    "URL('http://127.0.0.1:41234/get') localhost:8443",
    "'date': 'Wed, 14 Sep 2022 08:02:08 GMT'",
    "uuid 0b0e3a1c-5f7d-4d7e-9a1b-2c3d4e5f6a7b nonce 0123456789abcdef0123456789abcdef",
    "took 0.123s and 12.5 ms",
    "User-Agent: x-httpx/0.1.0",
  ].join("\n");
  assert.equal(
    maskOutput(text),
    [
      "URL('http://127.0.0.1:<port>/get') localhost:<port>",
      "'date': '<date>'",
      "uuid <uuid> nonce <hex>",
      "took <duration> and <duration>",
      "User-Agent: x-httpx/<version>",
    ].join("\n"),
  );
});

Deno.test("maskOutput keeps what is not volatile", () => {
  const text =
    "x-runtime: 148ms\nstatus 200 after 3 attempts\nretrying in 50 ms\n";
  assert.equal(maskOutput(text), text);
});
