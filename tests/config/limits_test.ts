import assert from "node:assert/strict";
import { Limits } from "../../src/config/limits.ts";

Deno.test("Limits defaults are HTTPX's pool defaults", () => {
  const limits = new Limits();
  assert.equal(limits.maxConnections, 100);
  assert.equal(limits.maxKeepaliveConnections, 20);
  assert.equal(limits.keepaliveExpiry, 5);
  assert.equal(
    limits.toString(),
    "Limits(maxConnections=100, maxKeepaliveConnections=20, keepaliveExpiry=5)",
  );
});

Deno.test("Limits clamps keep-alive connections to the maximum", () => {
  assert.equal(
    new Limits({ maxConnections: 4 }).maxKeepaliveConnections,
    4,
  );
  assert.equal(
    new Limits({ maxConnections: 4, maxKeepaliveConnections: null })
      .maxKeepaliveConnections,
    4,
  );
  assert.equal(
    new Limits({ maxConnections: null, maxKeepaliveConnections: null })
      .maxKeepaliveConnections,
    null,
  );
});

Deno.test("Limits equality and validation", () => {
  assert.ok(new Limits().equals(new Limits({ maxConnections: 100 })));
  assert.ok(!new Limits().equals(new Limits({ keepaliveExpiry: 1 })));
  assert.throws(() => new Limits({ maxConnections: -1 }), RangeError);
  assert.throws(() => new Limits({ maxConnections: 1.5 }), RangeError);
  assert.throws(() => new Limits({ keepaliveExpiry: -2 }), RangeError);
});
