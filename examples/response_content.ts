/**
 * Response content: text and its encoding, raw bytes (with gzip, deflate
 * and brotli decoded for you), binary content such as an image, and JSON.
 *
 * Seeds: 000 "응답 컨텐츠" / "바이너리 응답 컨텐츠" / "Json 응답 컨텐츠",
 * 001 "decoding the response content", "binary content", "json content".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Read one body as text, bytes and JSON. */
export async function main(baseUrl: string): Promise<void> {
  // Text, decoded with the charset of the Content-Type header.
  let r = await httpx.get(`${baseUrl}/html`);
  console.log(JSON.stringify(r.text.slice(0, 60)));
  console.log("charset:", r.charsetEncoding, "encoding:", r.encoding);

  // No charset in the header: the client's defaultEncoding (UTF-8) is
  // used. (Old HTTPX versions, as in seed 001, said `None` here.)
  r = await httpx.get(`${baseUrl}/xml`);
  console.log("content-type:", r.headers.get("content-type"));
  console.log("charset:", r.charsetEncoding, "encoding:", r.encoding);

  // Override the encoding before reading `text`.
  r = await httpx.get(`${baseUrl}/encoding/utf8`);
  const line = (text: string): string =>
    text.split("\n").find((l) => l.includes("Deutsch")) ?? "";
  console.log("as utf-8:     ", line(r.text).trim());
  r = await httpx.get(`${baseUrl}/encoding/utf8`);
  r.encoding = "ISO-8859-1";
  console.log("as ISO-8859-1:", line(r.text).trim());

  // Or let a function pick the encoding of bodies without a charset.
  await using client = new httpx.Client({
    defaultEncoding: (content) => content[0] === 0xff ? "utf-16le" : "utf-8",
  });
  r = await client.get(`${baseUrl}/xml`);
  console.log("picked by defaultEncoding():", r.encoding);

  // Binary content: the body as a Uint8Array.
  r = await httpx.get(`${baseUrl}/html`);
  console.log("content:", r.content.constructor.name, r.content.length);

  // gzip, deflate and brotli bodies arrive decoded.
  for (const path of ["gzip", "deflate", "brotli"]) {
    r = await httpx.get(`${baseUrl}/${path}`);
    const body = r.json<Record<string, unknown>>();
    console.log(
      `${path}: Content-Encoding=${r.headers.get("content-encoding")}`,
      `decoded JSON keys: ${Object.keys(body).join(",")}`,
    );
  }

  // An image: where the seed opens `r.content` with PIL, read the PNG
  // header by hand.
  r = await httpx.get(`${baseUrl}/image/png`);
  const bytes = r.content;
  const signature = [...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b))
    .join("");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  console.log(
    `image: ${r.headers.get("content-type")} ${signature}`,
    `${view.getUint32(16)}x${view.getUint32(20)} pixels`,
  );

  // JSON.
  r = await httpx.get(`${baseUrl}/json`);
  const doc = r.json<{ slideshow: { title: string; slides: unknown[] } }>();
  console.log(
    "json:",
    doc.slideshow.title,
    `(${doc.slideshow.slides.length} slides)`,
  );
}

if (import.meta.main) await runExample(main);
