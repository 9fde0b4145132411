/**
 * Streaming responses: read a body as bytes, text, lines or raw bytes as
 * it arrives, or decide from the headers whether to read it at all.
 *
 * Seeds: 000 "Steraming 응답" (`iter_bytes`, `iter_text`, `iter_lines`,
 * `iter_raw`, "conditionally load the response"), 001 "streaming
 * responses", 001 async `client.stream(...)` / `aiter_bytes()`.
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Stream bodies in each of the ways a response allows. */
export async function main(baseUrl: string): Promise<void> {
  // with httpx.stream("GET", url) as r: for data in r.iter_bytes(): ...
  // `await using` closes the response (and its connection) at scope end.
  {
    await using r = await httpx.stream("GET", `${baseUrl}/html`);
    // A chunk size makes the chunks even (the last one may be shorter);
    // without one you get the chunks as they come off the network.
    for await (const data of r.iterBytes(128)) {
      console.log(
        data.length,
        JSON.stringify(new TextDecoder().decode(data.subarray(0, 24))),
      );
    }
  }

  // Or the text of the response, decoded as it streams…
  {
    await using r = await httpx.stream("GET", `${baseUrl}/encoding/utf8`);
    let pieces = 0;
    let text = "";
    for await (const piece of r.iterText(100)) {
      pieces++;
      text += piece;
    }
    console.log(`iterText: ${pieces} pieces, ${text.length} characters`);
  }

  // …or line by line (line endings removed).
  {
    await using r = await httpx.stream("GET", `${baseUrl}/html`);
    for await (const line of r.iterLines()) console.log("|" + line);
  }

  // JSON lines: the /stream endpoint sends one JSON document per line.
  {
    await using r = await httpx.stream("GET", `${baseUrl}/stream/3`);
    for await (const line of r.iterLines()) {
      console.log("id:", JSON.parse(line).id);
    }
  }

  // Raw bytes, exactly as received: not decompressed.
  {
    await using r = await httpx.stream("GET", `${baseUrl}/gzip`);
    const raw: Uint8Array[] = [];
    for await (const chunk of r.iterRaw()) raw.push(chunk);
    const size = raw.reduce((n, chunk) => n + chunk.length, 0);
    console.log(
      "Content-Encoding:",
      r.headers.get("content-encoding"),
      "first bytes:",
      [...raw[0].subarray(0, 2)].map((b) => b.toString(16)).join(" "),
      "(the gzip magic number)",
    );
    console.log(
      "raw size equals Content-Length:",
      size === Number(r.headers.get("content-length")),
      "numBytesDownloaded:",
      r.numBytesDownloaded === size,
    );
  }

  // Conditionally load the response: read it only if it is small.
  const LENGTH = 1000;
  for (const path of ["/html", "/bytes/4096"]) {
    await using r = await httpx.stream("GET", `${baseUrl}${path}`);
    const length = Number(r.headers.get("Content-Length"));
    if (length < LENGTH) {
      await r.read();
      console.log(`${path}: ${length} bytes, read:`, r.text.split("\n")[0]);
    } else {
      // Not read: closing the response drops the rest of the body.
      console.log(`${path}: ${length} bytes, skipped`);
    }
  }

  // With a client: client.stream() works the same way.
  await using client = new httpx.Client();
  {
    await using r = await client.stream("GET", `${baseUrl}/stream-bytes/2048`, {
      params: { chunk_size: 512, seed: 1 },
    });
    let total = 0;
    for await (const chunk of r.iterBytes()) total += chunk.length;
    console.log("client.stream total bytes:", total);
  }

  // A body can be read only once.
  {
    await using r = await client.stream("GET", `${baseUrl}/get`);
    for await (const _ of r.iterBytes()) { /* drain */ }
    try {
      for await (const _ of r.iterBytes()) { /* again */ }
    } catch (error) {
      console.log(`${(error as Error).name}: ${(error as Error).message}`);
    }
  }
}

if (import.meta.main) await runExample(main);
