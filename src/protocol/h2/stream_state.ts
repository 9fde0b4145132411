/**
 * The stream state machine of RFC 9113 §5.1, as a table. Every stream
 * state transition of the HTTP/2 core goes through {@linkcode nextStreamState};
 * this file knows nothing else.
 *
 * @module
 */

/** Stream states (RFC 9113 §5.1). */
export type StreamState =
  | "idle"
  | "reserved_local"
  | "reserved_remote"
  | "open"
  | "half_closed_local"
  | "half_closed_remote"
  | "closed";

/**
 * What happens to a stream: frames sent or received, seen from our side.
 * `*_end_stream` is the END_STREAM flag on the frame just sent or received
 * (applied after the frame itself).
 */
export type StreamInput =
  | "send_headers"
  | "send_push_promise"
  | "send_data"
  | "send_end_stream"
  | "send_rst_stream"
  | "recv_headers"
  | "recv_push_promise"
  | "recv_data"
  | "recv_end_stream"
  | "recv_rst_stream";

type Table = Readonly<
  Record<StreamState, Readonly<Partial<Record<StreamInput, StreamState>>>>
>;

const TABLE: Table = {
  idle: {
    send_headers: "open",
    recv_headers: "open",
    send_push_promise: "reserved_local",
    recv_push_promise: "reserved_remote",
  },
  reserved_local: {
    send_headers: "half_closed_remote",
    send_rst_stream: "closed",
    recv_rst_stream: "closed",
  },
  reserved_remote: {
    recv_headers: "half_closed_local",
    send_rst_stream: "closed",
    recv_rst_stream: "closed",
  },
  open: {
    send_headers: "open",
    send_data: "open",
    send_end_stream: "half_closed_local",
    recv_headers: "open",
    recv_data: "open",
    recv_end_stream: "half_closed_remote",
    send_rst_stream: "closed",
    recv_rst_stream: "closed",
  },
  half_closed_local: {
    recv_headers: "half_closed_local",
    recv_data: "half_closed_local",
    recv_end_stream: "closed",
    send_rst_stream: "closed",
    recv_rst_stream: "closed",
  },
  half_closed_remote: {
    send_headers: "half_closed_remote",
    send_data: "half_closed_remote",
    send_end_stream: "closed",
    send_rst_stream: "closed",
    recv_rst_stream: "closed",
  },
  closed: {
    // RST_STREAM after closing is harmless in both directions.
    send_rst_stream: "closed",
    recv_rst_stream: "closed",
  },
};

/** The state after `input`, or `null` when the input is not allowed in `state`. */
export function nextStreamState(
  state: StreamState,
  input: StreamInput,
): StreamState | null {
  return TABLE[state][input] ?? null;
}

/** Whether we may still send DATA or HEADERS in `state`. */
export function canSend(state: StreamState): boolean {
  return state === "open" || state === "half_closed_remote";
}

/** Whether the peer may still send DATA or HEADERS in `state`. */
export function canReceive(state: StreamState): boolean {
  return state === "open" || state === "half_closed_local";
}
