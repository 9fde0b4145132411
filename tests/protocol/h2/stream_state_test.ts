import assert from "node:assert/strict";
import {
  canReceive,
  canSend,
  nextStreamState,
  type StreamInput,
  type StreamState,
} from "../../../src/protocol/h2/stream_state.ts";

function run(inputs: StreamInput[]): StreamState | null {
  let state: StreamState | null = "idle";
  for (const input of inputs) {
    if (state === null) return null;
    state = nextStreamState(state, input);
  }
  return state;
}

Deno.test("stream state: RFC 9113 §5.1 client request lifecycles", () => {
  assert.equal(run(["send_headers"]), "open");
  assert.equal(run(["send_headers", "send_end_stream"]), "half_closed_local");
  assert.equal(
    run([
      "send_headers",
      "send_end_stream",
      "recv_headers",
      "recv_data",
      "recv_end_stream",
    ]),
    "closed",
  );
  assert.equal(
    run(["send_headers", "recv_headers", "recv_end_stream"]),
    "half_closed_remote",
  );
  assert.equal(
    run([
      "send_headers",
      "recv_headers",
      "recv_end_stream",
      "send_data",
      "send_end_stream",
    ]),
    "closed",
  );
  assert.equal(run(["send_headers", "send_rst_stream"]), "closed");
  assert.equal(
    run(["send_headers", "send_end_stream", "recv_rst_stream"]),
    "closed",
  );
  assert.equal(
    run(["recv_push_promise", "recv_headers", "recv_end_stream"]),
    "closed",
  );
});

Deno.test("stream state: illegal inputs", () => {
  assert.equal(nextStreamState("idle", "send_data"), null);
  assert.equal(nextStreamState("idle", "recv_data"), null);
  assert.equal(nextStreamState("idle", "send_rst_stream"), null);
  assert.equal(nextStreamState("half_closed_local", "send_data"), null);
  assert.equal(nextStreamState("half_closed_local", "send_headers"), null);
  assert.equal(nextStreamState("half_closed_remote", "recv_data"), null);
  assert.equal(nextStreamState("closed", "recv_data"), null);
  assert.equal(nextStreamState("closed", "send_headers"), null);
  assert.equal(nextStreamState("reserved_remote", "send_headers"), null);
  assert.equal(nextStreamState("closed", "recv_rst_stream"), "closed");
});

Deno.test("stream state: send and receive predicates", () => {
  assert.deepEqual(
    ([
      "idle",
      "open",
      "half_closed_local",
      "half_closed_remote",
      "closed",
    ] as StreamState[])
      .map((s) => [canSend(s), canReceive(s)]),
    [[false, false], [true, true], [false, true], [true, false], [
      false,
      false,
    ]],
  );
});
