/**
 * Starts `_worker.ts` with `net` and `read` denied and prints its report as
 * JSON. Run with `deno run --unstable-worker-options` (worker permissions
 * are behind that flag).
 *
 * @module
 */

const worker = new Worker(new URL("./_worker.ts", import.meta.url), {
  type: "module",
  deno: { permissions: "none" },
} as WorkerOptions);
const report = await new Promise<unknown>((resolve, reject) => {
  worker.onmessage = (event) => resolve(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    reject(new Error(event.message));
  };
});
worker.terminate();
console.log(JSON.stringify(report));
