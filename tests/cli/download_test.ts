import assert from "node:assert/strict";
import {
  downloadResponse,
  formatSize,
  progressLine,
} from "../../src/cli/download.ts";
import { Response } from "../../src/models/response.ts";

function chunked(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield chunk;
    },
  };
}

Deno.test("formatSize uses decimal units", () => {
  assert.equal(formatSize(0), "0 bytes");
  assert.equal(formatSize(999), "999 bytes");
  assert.equal(formatSize(1000), "1.0 kB");
  assert.equal(formatSize(1536), "1.5 kB");
  assert.equal(formatSize(2_500_000), "2.5 MB");
  assert.equal(formatSize(3_000_000_000), "3.0 GB");
});

Deno.test("progressLine with and without a total", () => {
  assert.equal(
    progressLine("f", 500, 1000),
    "Downloading f  50% 500 bytes/1.0 kB",
  );
  assert.equal(
    progressLine("f", 1000, 1000),
    "Downloading f 100% 1.0 kB/1.0 kB",
  );
  assert.equal(progressLine("f", 0, 0), "Downloading f 100% 0 bytes/0 bytes");
  assert.equal(progressLine("f", 1234, null), "Downloading f 1.2 kB");
});

Deno.test("downloadResponse streams every chunk into the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/body.bin`;
    await Deno.writeTextFile(path, "old content that must be truncated away");
    const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
    const response = new Response(200, { stream: chunked(chunks) });
    const err: string[] = [];
    const written = await downloadResponse(response, path, {
      stderr: (text) => void err.push(text),
      live: false,
    });
    assert.equal(written, 5);
    assert.deepEqual(
      await Deno.readFile(path),
      new Uint8Array([1, 2, 3, 4, 5]),
    );
    assert.deepEqual(err, [`Downloading ${path} 5 bytes\n`]);
    assert.ok(response.isClosed);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("downloadResponse redraws the line on a terminal", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/body.bin`;
    const response = new Response(200, {
      headers: [["Content-Length", "4"]],
      stream: chunked([new Uint8Array([9, 9]), new Uint8Array([8, 8])]),
    });
    const err: string[] = [];
    await downloadResponse(response, path, {
      stderr: (text) => void err.push(text),
      live: true,
    });
    assert.equal(err[0], `\rDownloading ${path}  50% 2 bytes/4 bytes\x1b[K`);
    assert.equal(
      err.at(-1),
      `\rDownloading ${path} 100% 4 bytes/4 bytes\x1b[K\n`,
    );
    assert.deepEqual(await Deno.readFile(path), new Uint8Array([9, 9, 8, 8]));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
