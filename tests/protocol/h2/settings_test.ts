import assert from "node:assert/strict";
import { ErrorCode } from "../../../src/protocol/h2/error_codes.ts";
import { H2ConnectionError } from "../../../src/protocol/h2/errors.ts";
import { SettingId, Settings } from "../../../src/protocol/h2/settings.ts";

Deno.test("settings: defaults", () => {
  const settings = new Settings();
  assert.equal(settings.headerTableSize, 4096);
  assert.equal(settings.enablePush, true);
  assert.equal(settings.maxConcurrentStreams, Infinity);
  assert.equal(settings.initialWindowSize, 65535);
  assert.equal(settings.maxFrameSize, 16384);
  assert.equal(settings.maxHeaderListSize, Infinity);
});

Deno.test("settings: apply reports real changes, last value wins", () => {
  const settings = new Settings();
  const changed = settings.apply([
    [SettingId.MAX_CONCURRENT_STREAMS, 10],
    [SettingId.HEADER_TABLE_SIZE, 4096],
    [SettingId.MAX_CONCURRENT_STREAMS, 20],
    [0x99, 7],
  ]);
  assert.deepEqual(changed, [
    { id: SettingId.MAX_CONCURRENT_STREAMS, oldValue: undefined, newValue: 20 },
    { id: 0x99, oldValue: undefined, newValue: 7 },
  ]);
  assert.equal(settings.maxConcurrentStreams, 20);
});

Deno.test("settings: invalid values leave the settings unchanged", () => {
  const settings = new Settings();
  assert.throws(
    () =>
      settings.apply([[SettingId.MAX_CONCURRENT_STREAMS, 1], [
        SettingId.ENABLE_PUSH,
        5,
      ]]),
    (e) =>
      e instanceof H2ConnectionError && e.code === ErrorCode.PROTOCOL_ERROR,
  );
  assert.equal(settings.maxConcurrentStreams, Infinity);
  assert.throws(
    () => settings.apply([[SettingId.INITIAL_WINDOW_SIZE, 2 ** 31]]),
    (e) =>
      e instanceof H2ConnectionError && e.code === ErrorCode.FLOW_CONTROL_ERROR,
  );
});
