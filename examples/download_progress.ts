/**
 * Download progress: stream a response to a file and draw a progress bar
 * from `numBytesDownloaded`, which counts the bytes received (before any
 * decompression), so it can be compared with `Content-Length`.
 *
 * Seed: 003 "Monitoring download progress" (the `tqdm` and `rich`
 * examples), 001 "отображение процесса загрузки".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** A text progress bar: `[##########----------]  50%  50.0/100.0 KiB`. */
export function progressBar(done: number, total: number, width = 30): string {
  const fraction = total > 0 ? Math.min(done / total, 1) : 1;
  const filled = Math.round(fraction * width);
  const kib = (n: number): string => (n / 1024).toFixed(1);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${
    String(Math.round(fraction * 100)).padStart(3)
  }% ${kib(done)}/${kib(total)} KiB`;
}

/** Download to a temporary file with a progress bar. */
export async function main(baseUrl: string): Promise<void> {
  const encoder = new TextEncoder();
  // Redraw the bar in place when stderr is a terminal.
  const live = Deno.stderr.isTerminal();
  const path = await Deno.makeTempFile({ suffix: ".bin" });
  try {
    using file = await Deno.open(path, { write: true });
    // The seed downloads 100 MB from a speed-test server; the local server
    // sends up to 100 KiB.
    await using response = await httpx.stream(
      "GET",
      `${baseUrl}/bytes/102400`,
      {
        params: { seed: 7 },
      },
    );
    const total = Number(response.headers.get("Content-Length"));
    let last = response.numBytesDownloaded;
    for await (const chunk of response.iterBytes()) {
      await file.write(chunk);
      if (live && response.numBytesDownloaded !== last) {
        last = response.numBytesDownloaded;
        Deno.stderr.writeSync(
          encoder.encode(`\r${progressBar(last, total)}`),
        );
      }
    }
    if (live) Deno.stderr.writeSync(encoder.encode("\r\x1b[K"));
    console.log(progressBar(response.numBytesDownloaded, total));
    console.log("file size:", (await Deno.stat(path)).size, "bytes");
  } finally {
    await Deno.remove(path);
  }

  // With compression, the bytes received differ from the bytes decoded:
  // numBytesDownloaded follows the former, so it matches Content-Length.
  await using gz = await httpx.stream("GET", `${baseUrl}/gzip`);
  let decoded = 0;
  for await (const chunk of gz.iterBytes()) decoded += chunk.length;
  const length = Number(gz.headers.get("Content-Length"));
  console.log(
    "gzip: numBytesDownloaded === Content-Length:",
    gz.numBytesDownloaded === length,
    "| decoded bytes > downloaded bytes:",
    decoded > gz.numBytesDownloaded,
  );
}

if (import.meta.main) await runExample(main);
