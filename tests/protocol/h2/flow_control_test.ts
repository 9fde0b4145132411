import assert from "node:assert/strict";
import {
  ReceiveWindow,
  SendWindow,
} from "../../../src/protocol/h2/flow_control.ts";

Deno.test("send window: consume, grow, go negative, refuse overflow", () => {
  const window = new SendWindow(100);
  window.consume(60);
  assert.equal(window.available, 40);
  assert.equal(window.adjust(-50), true);
  assert.equal(window.size, -10);
  assert.equal(window.available, 0);
  assert.equal(window.adjust(2 ** 31 - 1 + 10), true);
  assert.equal(window.size, 2 ** 31 - 1);
  assert.equal(window.adjust(1), false);
  assert.equal(window.size, 2 ** 31 - 1);
});

Deno.test("receive window: updates once half the window is processed", () => {
  const window = new ReceiveWindow(100);
  assert.equal(window.receive(30), true);
  assert.equal(window.acknowledge(30), 0);
  assert.equal(window.receive(30), true);
  assert.equal(window.unacknowledged, 30);
  assert.equal(window.acknowledge(30), 60);
  assert.equal(window.size, 100);
  assert.equal(window.receive(101), false);
  assert.equal(window.receive(100), true);
  // An exhausted window is reopened by any acknowledgement.
  assert.equal(window.acknowledge(1), 1);
  // Acknowledging more than was received is clamped.
  assert.equal(window.acknowledge(500), 99);
  assert.equal(window.size, 100);
});

Deno.test("receive window: grow and initial-size changes", () => {
  const window = new ReceiveWindow(65535);
  assert.equal(window.grow(2 ** 24), 2 ** 24);
  assert.equal(window.max, 65535 + 2 ** 24);
  assert.equal(window.grow(2 ** 31), null);
  window.adjustInitial(-65535);
  assert.equal(window.size, 2 ** 24);
});
