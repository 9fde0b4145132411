/**
 * What {@linkcode H2Connection.receiveData} reports: small plain objects
 * told apart by `type`.
 *
 * @module
 */

import type { HeaderList } from "../hpack/encoder.ts";
import type { ChangedSetting } from "./settings.ts";

/** The final response head of a stream. */
export interface ResponseReceived {
  /** Discriminant. */
  type: "ResponseReceived";
  /** Stream. */
  streamId: number;
  /** Decoded headers, pseudo-headers included, as latin1 strings. */
  headers: HeaderList;
  /** Whether END_STREAM was set on it (a `StreamEnded` follows). */
  streamEnded: boolean;
}

/** A 1xx response head (100 Continue, 103 Early Hints). */
export interface InformationalResponseReceived {
  /** Discriminant. */
  type: "InformationalResponseReceived";
  /** Stream. */
  streamId: number;
  /** Decoded headers. */
  headers: HeaderList;
}

/** A trailer block (always ends the stream; a `StreamEnded` follows). */
export interface TrailersReceived {
  /** Discriminant. */
  type: "TrailersReceived";
  /** Stream. */
  streamId: number;
  /** Decoded trailers. */
  headers: HeaderList;
}

/**
 * Body data. Pass `flowControlledLength` (data plus padding) to
 * `acknowledgeReceivedData` once the data is processed.
 */
export interface DataReceived {
  /** Discriminant. */
  type: "DataReceived";
  /** Stream. */
  streamId: number;
  /** The data (a copy, safe to keep). */
  data: Uint8Array;
  /** Octets this frame took from the flow-control windows. */
  flowControlledLength: number;
  /** Whether END_STREAM was set on it (a `StreamEnded` follows). */
  streamEnded: boolean;
}

/** The peer finished its side of the stream. */
export interface StreamEnded {
  /** Discriminant. */
  type: "StreamEnded";
  /** Stream. */
  streamId: number;
}

/** A stream was reset: by the peer (`remote`), or by us because the peer broke a stream rule. */
export interface StreamReset {
  /** Discriminant. */
  type: "StreamReset";
  /** Stream. */
  streamId: number;
  /** RST_STREAM error code. */
  errorCode: number;
  /** `true` when the peer sent RST_STREAM, `false` when we did. */
  remote: boolean;
  /** Why we reset it (when `remote` is false). */
  reason?: string;
}

/** The peer's SETTINGS (already acknowledged in `dataToSend()`). */
export interface RemoteSettingsChanged {
  /** Discriminant. */
  type: "RemoteSettingsChanged";
  /** Settings whose value changed. */
  changed: ChangedSetting[];
}

/** The peer acknowledged our SETTINGS; they are in force now. */
export interface SettingsAcknowledged {
  /** Discriminant. */
  type: "SettingsAcknowledged";
  /** Our settings whose value changed. */
  changed: ChangedSetting[];
}

/** The peer sent a PING (the ACK is already queued). */
export interface PingReceived {
  /** Discriminant. */
  type: "PingReceived";
  /** Its eight octets. */
  data: Uint8Array;
}

/** The peer answered one of our PINGs. */
export interface PingAckReceived {
  /** Discriminant. */
  type: "PingAckReceived";
  /** Its eight octets. */
  data: Uint8Array;
}

/** A send window grew: a stream's, or the connection's (`streamId` 0). */
export interface WindowUpdated {
  /** Discriminant. */
  type: "WindowUpdated";
  /** Stream, or 0 for the connection. */
  streamId: number;
  /** The increment. */
  delta: number;
}

/** The peer sent GOAWAY: no new streams; those above `lastStreamId` were not processed. */
export interface ConnectionTerminated {
  /** Discriminant. */
  type: "ConnectionTerminated";
  /** GOAWAY error code. */
  errorCode: number;
  /** Highest stream id the peer may have processed. */
  lastStreamId: number;
  /** Opaque debug data. */
  debugData: Uint8Array;
}

/** Any event. */
export type H2Event =
  | ResponseReceived
  | InformationalResponseReceived
  | TrailersReceived
  | DataReceived
  | StreamEnded
  | StreamReset
  | RemoteSettingsChanged
  | SettingsAcknowledged
  | PingReceived
  | PingAckReceived
  | WindowUpdated
  | ConnectionTerminated;
