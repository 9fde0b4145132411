/**
 * Worker entry of the portability test: runs the probe in a worker whose
 * permissions deny `net` and `read`, with the socket APIs removed.
 *
 * @module
 */

import { probe } from "./_probe.ts";

const scope = self as unknown as {
  postMessage(message: unknown): void;
  close(): void;
};
try {
  scope.postMessage({ ok: true, result: await probe(true) });
} catch (error) {
  scope.postMessage({
    ok: false,
    error: String((error as Error)?.stack ?? error),
  });
}
