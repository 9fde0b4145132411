/**
 * Multipart file uploads: a file, the `[filename, content, contentType]`
 * tuple forms, files together with data fields, and several files on one
 * field.
 *
 * Seeds: 000 "Multipart File Uploads", 001 "Sending Multipart File
 * Uploads", 002 "파일 업로드", 003 "Multipart file encoding".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

interface Echo {
  files: Record<string, string | string[]>;
  form: Record<string, string | string[]>;
  headers: Record<string, string>;
}

/** The part headers of a multipart body (the boundary lines left out). */
async function partHeaders(request: httpx.Request): Promise<string[]> {
  const body = new TextDecoder().decode(await request.read());
  return body.split("\r\n").filter((line) => /^Content-/i.test(line));
}

/** Upload files in each of the ways HTTPX allows. */
export async function main(baseUrl: string): Promise<void> {
  // A real file on disk, opened for reading: it is streamed, not loaded.
  const dir = await Deno.makeTempDir();
  const path = `${dir}/report.xls`;
  await Deno.writeTextFile(path, "pretend spreadsheet bytes");
  try {
    // files = {'upload-file': open('report.xls', 'rb')}
    {
      using file = await Deno.open(path);
      const r = await httpx.post(`${baseUrl}/post`, {
        files: { "upload-file": file },
      });
      console.log("files:", r.json<Echo>().files);
    }

    // files = {'upload-file': ('report.xls', open(...), 'application/vnd.ms-excel')}
    {
      using file = await Deno.open(path);
      const r = await httpx.post(`${baseUrl}/post`, {
        files: {
          "upload-file": ["report.xls", file, "application/vnd.ms-excel"],
        },
      });
      console.log("files:", r.json<Echo>().files);
    }

    // data and files together: the data fields become plain parts.
    {
      using file = await Deno.open(path);
      const r = await httpx.post(`${baseUrl}/post`, {
        data: { message: "Hello, world!" },
        files: { file },
      });
      const echo = r.json<Echo>();
      console.log("files:", echo.files, "form:", echo.form);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  // Seed 002: a photo with its name and type, plus a description.
  const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);
  let r = await httpx.post(`${baseUrl}/anything/upload`, {
    files: { file: ["photo.jpg", photo, "image/jpeg"] },
    data: { description: "Profile photo" },
  });
  let echo = r.json<Echo>();
  // Binary content comes back from httpbin as a data: URL.
  console.log("files:", echo.files, "form:", echo.form);

  // The content type is guessed from the file name; a null file name
  // sends a plain field with no content type.
  const request = new httpx.Request("POST", `${baseUrl}/post`, {
    files: {
      "guessed": ["notes.txt", "plain text"],
      "unknown": ["blob.weird-ext", new Uint8Array([1, 2, 3])],
      "upload-file": [null, "text content", "text/plain"],
    },
  });
  console.log("part headers:");
  for (const line of await partHeaders(request)) console.log("  " + line);

  // (None, 'text content', 'text/plain') is a form field, not a file.
  r = await httpx.post(`${baseUrl}/post`, {
    files: { "upload-file": [null, "text content", "text/plain"] },
  });
  echo = r.json<Echo>();
  console.log("files:", echo.files, "form:", echo.form);

  // Several files on one field: pass [field, file] pairs.
  r = await httpx.post(`${baseUrl}/post`, {
    files: [
      ["images", ["foo.png", "foo image bytes", "image/png"]],
      ["images", ["bar.png", "bar image bytes", "image/png"]],
    ],
  });
  console.log("files:", r.json<Echo>().files);

  // A Blob or File works too; a File brings its own name and type.
  const file = new File(["<svg/>"], "icon.svg", { type: "image/svg+xml" });
  const withFile = new httpx.Request("POST", `${baseUrl}/post`, {
    files: { icon: file },
  });
  console.log("File part:", await partHeaders(withFile));
}

if (import.meta.main) await runExample(main);
