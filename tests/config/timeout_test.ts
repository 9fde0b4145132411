import assert from "node:assert/strict";
import { Timeout } from "../../src/config/timeout.ts";

Deno.test("Timeout(5) sets the four operation timeouts and no total", () => {
  const t = new Timeout(5);
  assert.deepEqual(
    [t.connect, t.read, t.write, t.pool, t.total],
    [5, 5, 5, 5, null],
  );
  assert.equal(t.toString(), "Timeout(timeout=5)");
});

Deno.test("Timeout() defaults to 5 seconds each", () => {
  assert.ok(new Timeout().equals(new Timeout(5)));
});

Deno.test("Timeout(null) disables every timeout", () => {
  const t = new Timeout(null);
  assert.deepEqual(t.asExtension(), {
    connect: null,
    read: null,
    write: null,
    pool: null,
  });
});

Deno.test("Timeout(default, overrides) overrides single fields", () => {
  const t = new Timeout(10, { connect: 60, total: 120 });
  assert.deepEqual(
    [t.connect, t.read, t.write, t.pool, t.total],
    [60, 10, 10, 10, 120],
  );
  assert.equal(
    t.toString(),
    "Timeout(connect=60, read=10, write=10, pool=10, total=120)",
  );
});

Deno.test("Timeout(object) fills omitted fields with the default", () => {
  const t = new Timeout({ read: 1, pool: null });
  assert.deepEqual([t.connect, t.read, t.write, t.pool], [5, 1, 5, null]);
});

Deno.test("Timeout copies a Timeout and from() keeps instances", () => {
  const t = new Timeout(3, { total: 9 });
  assert.ok(new Timeout(t).equals(t));
  assert.equal(Timeout.from(t), t);
  assert.equal(Timeout.from(2).write, 2);
  assert.ok(!new Timeout(2).equals(new Timeout(3)));
});

Deno.test("Timeout rejects negative and non-numeric values", () => {
  assert.throws(() => new Timeout(-1), TypeError);
  assert.throws(() => new Timeout({ read: Number.NaN }), TypeError);
  assert.throws(
    () => new Timeout("5" as unknown as number),
    /Timeout must be a number of seconds/,
  );
});

Deno.test("Timeout accepts HTTPX's [connect, read, write?, pool?] tuples", () => {
  // Verified against HTTPX 0.28: Timeout((1, 2)) leaves write and pool None.
  let t = new Timeout([1, 2]);
  assert.deepEqual(t.asExtension(), {
    connect: 1,
    read: 2,
    write: null,
    pool: null,
  });
  t = new Timeout([1, 2, 3, 4]);
  assert.equal(t.toString(), "Timeout(connect=1, read=2, write=3, pool=4)");
  assert.equal(Timeout.from([null, 5]).read, 5);
  assert.throws(
    () => new Timeout([1] as unknown as [number, number]),
    TypeError,
  );
});
