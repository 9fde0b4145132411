import assert from "node:assert/strict";
import {
  DynamicTable,
  entrySize,
} from "../../../src/protocol/hpack/dynamic_table.ts";

Deno.test("dynamic table: size is name + value + 32 and eviction is oldest first", () => {
  const table = new DynamicTable(100);
  table.add("a", "1"); // 34
  table.add("b", "22"); // 35
  assert.equal(table.size, 69);
  assert.deepEqual(table.entries(), [["b", "22"], ["a", "1"]]);
  table.add("c", "333"); // 36: evicts "a"
  assert.deepEqual(table.entries(), [["c", "333"], ["b", "22"]]);
  assert.equal(table.size, 71);
  assert.equal(entrySize("c", "333"), 36);
  assert.equal(table.get(3), undefined);
  assert.equal(table.get(0), undefined);
});

Deno.test("dynamic table: an entry larger than the table empties it", () => {
  const table = new DynamicTable(64);
  table.add("a", "b");
  table.add("x".repeat(20), "y".repeat(20));
  assert.equal(table.length, 0);
  assert.equal(table.size, 0);
});

Deno.test("dynamic table: shrinking evicts, zero empties", () => {
  const table = new DynamicTable(4096);
  for (let i = 0; i < 10; i++) table.add(`n${i}`, `v${i}`);
  table.setMaxSize(36 * 3);
  assert.deepEqual(table.entries(), [["n9", "v9"], ["n8", "v8"], ["n7", "v7"]]);
  table.setMaxSize(0);
  assert.equal(table.length, 0);
  table.add("a", "b");
  assert.equal(table.length, 0);
});

Deno.test("dynamic table: ring buffer grows and wraps with lookups in step", () => {
  const table = new DynamicTable(40 * 50, { lookups: true });
  for (let i = 0; i < 1000; i++) {
    const name = `h${i % 7}`;
    const value = String(i).padStart(6, "0");
    table.add(name, value);
    assert.ok(table.size <= table.maxSize);
    assert.deepEqual(table.get(1), [name, value]);
    assert.deepEqual(table.find(name, value), { full: 1, name: 1 });
  }
  assert.equal(table.length, 50);
  // Entry 50 is the oldest still present, entry 51 was evicted.
  assert.deepEqual(table.get(50), ["h5", "000950"]);
  assert.equal(table.find("h6", "000949").full, 0);
  assert.equal(table.find("h3", "000955").full, 45);
  assert.equal(table.find("h3", "x").name, table.find("h3", "000997").full);
});
