/**
 * `--download FILE`: the decoded body goes to a file, with a progress line on
 * stderr computed from `numBytesDownloaded` and `Content-Length`.
 *
 * @module
 */

import type { Response } from "../models/response.ts";
import type { TextSink } from "./trace_printer.ts";

/** Options of {@linkcode downloadResponse}. */
export interface DownloadOptions {
  /** Receives the progress line. */
  stderr: TextSink;
  /**
   * Whether stderr is a terminal: then the line is redrawn as bytes arrive;
   * otherwise only the final line is written.
   */
  live: boolean;
}

/**
 * A byte count with decimal units, as download tools show it.
 *
 * @param bytes A number of bytes.
 * @returns Text such as `512 bytes`, `1.5 kB` or `2.3 MB`.
 */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The progress line, without a line ending.
 *
 * @param file The file name shown.
 * @param downloaded Bytes received so far.
 * @param total The expected total (`Content-Length`), or `null`.
 * @returns Text such as `Downloading out.bin  50% 1.0 kB/2.0 kB`.
 */
export function progressLine(
  file: string,
  downloaded: number,
  total: number | null,
): string {
  if (total === null) return `Downloading ${file} ${formatSize(downloaded)}`;
  const percent = total === 0
    ? 100
    : Math.min(100, Math.floor((downloaded / total) * 100));
  return `Downloading ${file} ${String(percent).padStart(3)}% ${
    formatSize(downloaded)
  }/${formatSize(total)}`;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await file.write(bytes.subarray(offset));
  }
}

/**
 * Stream a response's decoded body into `path` (created or truncated).
 *
 * @param response A streaming response (its body not yet read).
 * @param path Where to write.
 * @param options Where the progress goes.
 * @returns The number of decoded bytes written.
 */
export async function downloadResponse(
  response: Response,
  path: string,
  options: DownloadOptions,
): Promise<number> {
  const lengthHeader = response.headers.get("content-length");
  const parsed = lengthHeader === undefined || lengthHeader === null
    ? NaN
    : Number(lengthHeader);
  const total = Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : null;
  let written = 0;
  let lastDraw = -Infinity;
  const file = await Deno.open(path, {
    write: true,
    create: true,
    truncate: true,
  });
  try {
    for await (const chunk of response.iterBytes()) {
      await writeAll(file, chunk);
      written += chunk.length;
      if (options.live) {
        const now = performance.now();
        if (now - lastDraw >= 100) {
          lastDraw = now;
          await options.stderr(
            "\r" + progressLine(path, response.numBytesDownloaded, total) +
              "\x1b[K",
          );
        }
      }
    }
  } finally {
    file.close();
  }
  const final = progressLine(path, response.numBytesDownloaded, total);
  await options.stderr(options.live ? `\r${final}\x1b[K\n` : `${final}\n`);
  return written;
}
