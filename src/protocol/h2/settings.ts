/**
 * HTTP/2 SETTINGS (RFC 9113 §6.5.2): identifiers, defaults, validation and
 * one side's current values.
 *
 * @module
 */

import { ErrorCode } from "./error_codes.ts";
import { H2ConnectionError } from "./errors.ts";
import { DEFAULT_MAX_FRAME_SIZE, MAX_31_BIT } from "./frames.ts";

/** Setting identifiers. */
export const SettingId = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
} as const;

/** The initial flow-control window of streams and of the connection. */
export const DEFAULT_INITIAL_WINDOW_SIZE = 65535;

/** A setting whose value changed, as reported in events. */
export interface ChangedSetting {
  /** Identifier. */
  id: number;
  /** Value before (the default when it was never set). */
  oldValue: number | undefined;
  /** Value now. */
  newValue: number;
}

const DEFAULTS: ReadonlyMap<number, number> = new Map([
  [SettingId.HEADER_TABLE_SIZE, 4096],
  [SettingId.ENABLE_PUSH, 1],
  [SettingId.INITIAL_WINDOW_SIZE, DEFAULT_INITIAL_WINDOW_SIZE],
  [SettingId.MAX_FRAME_SIZE, DEFAULT_MAX_FRAME_SIZE],
]);

/**
 * Check one received setting; invalid values raise the connection error
 * RFC 9113 names. Unknown identifiers are accepted (and ignored).
 */
export function validateSetting(id: number, value: number): void {
  switch (id) {
    case SettingId.ENABLE_PUSH:
      if (value !== 0 && value !== 1) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `SETTINGS_ENABLE_PUSH must be 0 or 1, not ${value}`,
        );
      }
      return;
    case SettingId.INITIAL_WINDOW_SIZE:
      if (value > MAX_31_BIT) {
        throw new H2ConnectionError(
          ErrorCode.FLOW_CONTROL_ERROR,
          `SETTINGS_INITIAL_WINDOW_SIZE of ${value} exceeds 2^31-1`,
        );
      }
      return;
    case SettingId.MAX_FRAME_SIZE:
      if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `SETTINGS_MAX_FRAME_SIZE of ${value} is outside 16384..16777215`,
        );
      }
      return;
    case SettingId.ENABLE_CONNECT_PROTOCOL:
      if (value !== 0 && value !== 1) {
        throw new H2ConnectionError(
          ErrorCode.PROTOCOL_ERROR,
          `SETTINGS_ENABLE_CONNECT_PROTOCOL must be 0 or 1, not ${value}`,
        );
      }
      return;
  }
}

/** The settings in force for one side of a connection. */
export class Settings {
  #values = new Map<number, number>(DEFAULTS);

  /** The value of a setting, or `undefined` when unset and without default. */
  get(id: number): number | undefined {
    return this.#values.get(id);
  }

  /** SETTINGS_HEADER_TABLE_SIZE. */
  get headerTableSize(): number {
    return this.#values.get(SettingId.HEADER_TABLE_SIZE)!;
  }

  /** SETTINGS_ENABLE_PUSH as a boolean. */
  get enablePush(): boolean {
    return this.#values.get(SettingId.ENABLE_PUSH) === 1;
  }

  /** SETTINGS_MAX_CONCURRENT_STREAMS (`Infinity` when unset). */
  get maxConcurrentStreams(): number {
    return this.#values.get(SettingId.MAX_CONCURRENT_STREAMS) ?? Infinity;
  }

  /** SETTINGS_INITIAL_WINDOW_SIZE. */
  get initialWindowSize(): number {
    return this.#values.get(SettingId.INITIAL_WINDOW_SIZE)!;
  }

  /** SETTINGS_MAX_FRAME_SIZE. */
  get maxFrameSize(): number {
    return this.#values.get(SettingId.MAX_FRAME_SIZE)!;
  }

  /** SETTINGS_MAX_HEADER_LIST_SIZE (`Infinity` when unset). */
  get maxHeaderListSize(): number {
    return this.#values.get(SettingId.MAX_HEADER_LIST_SIZE) ?? Infinity;
  }

  /**
   * Validate and apply settings in order; returns those whose value
   * changed (the last change per identifier).
   */
  apply(pairs: ReadonlyArray<readonly [number, number]>): ChangedSetting[] {
    for (const [id, value] of pairs) validateSetting(id, value);
    const changed = new Map<number, ChangedSetting>();
    for (const [id, value] of pairs) {
      const oldValue = this.#values.get(id);
      if (oldValue === value) continue;
      const earlier = changed.get(id);
      changed.set(id, {
        id,
        oldValue: earlier ? earlier.oldValue : oldValue,
        newValue: value,
      });
      this.#values.set(id, value);
    }
    return [...changed.values()].filter((c) => c.oldValue !== c.newValue);
  }
}
