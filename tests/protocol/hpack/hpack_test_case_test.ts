// The hpack-test-case stories (tests/testdata/hpack-test-case): every story
// of every encoder's folder is decoded with one decoder per story, and the
// raw-data stories are encoded and decoded back.

import assert from "node:assert/strict";
import { HpackDecoder } from "../../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../../src/protocol/hpack/encoder.ts";

const ROOT = new URL("../../testdata/hpack-test-case/", import.meta.url);

interface StoryCase {
  seqno: number;
  header_table_size?: number;
  wire?: string;
  headers: Array<Record<string, string>>;
}

interface Story {
  cases: StoryCase[];
}

const utf8 = new TextEncoder();

/** JSON text (UTF-8 on the wire) as a latin1 string of its octets. */
function latin1(text: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = "";
  for (const octet of utf8.encode(text)) out += String.fromCharCode(octet);
  return out;
}

function headerList(testCase: StoryCase): Array<[string, string]> {
  return testCase.headers.map((field) => {
    const [name, value] = Object.entries(field)[0];
    return [latin1(name), latin1(value)];
  });
}

function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

function storyFiles(folder: string): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(new URL(`${folder}/`, ROOT))) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
  }
  return names.sort();
}

function readStory(folder: string, file: string): Story {
  return JSON.parse(
    Deno.readTextFileSync(new URL(`${folder}/${file}`, ROOT)),
  ) as Story;
}

const ENCODER_FOLDERS = [
  "go-hpack",
  "haskell-http2-linear-huffman",
  "nghttp2",
  "nghttp2-change-table-size",
  "python-hpack",
];

for (const folder of ENCODER_FOLDERS) {
  Deno.test(`hpack-test-case ${folder}: decode every story`, () => {
    const files = storyFiles(folder);
    assert.ok(files.length >= 30, `expected the ${folder} stories`);
    let blocks = 0;
    for (const file of files) {
      const story = readStory(folder, file);
      const decoder = new HpackDecoder({ maxHeaderListSize: 1 << 20 });
      for (const testCase of story.cases) {
        if (testCase.header_table_size !== undefined) {
          decoder.setMaxAllowedTableSize(testCase.header_table_size);
        }
        const decoded = decoder.decode(hex(testCase.wire!));
        assert.deepEqual(
          decoded,
          headerList(testCase),
          `${folder}/${file} case ${testCase.seqno}`,
        );
        assert.ok(decoder.table.size <= decoder.table.maxSize);
        blocks++;
      }
    }
    assert.ok(blocks > 1000);
  });
}

for (const tableSize of [4096, 256, 0]) {
  Deno.test(`hpack-test-case raw-data: encode and decode back (table ${tableSize})`, () => {
    const files = storyFiles("raw-data");
    assert.ok(files.length >= 30);
    let rawOctets = 0;
    let encodedOctets = 0;
    for (const file of files) {
      const story = readStory("raw-data", file);
      const encoder = new HpackEncoder({ maxTableSize: 4096 });
      const decoder = new HpackDecoder({ maxHeaderListSize: 1 << 20 });
      if (tableSize !== 4096) {
        encoder.setMaxTableSize(tableSize);
        decoder.setMaxAllowedTableSize(tableSize);
      }
      for (const testCase of story.cases) {
        const headers = headerList(testCase);
        const block = encoder.encode(headers);
        assert.deepEqual(
          decoder.decode(block),
          headers,
          `raw-data/${file} case ${testCase.seqno}`,
        );
        assert.deepEqual(decoder.table.entries(), encoder.table.entries());
        for (const [name, value] of headers) {
          rawOctets += name.length + value.length;
        }
        encodedOctets += block.length;
      }
    }
    // Huffman alone saves about a fifth; indexing saves much more.
    assert.ok(
      encodedOctets <
        rawOctets * (tableSize === 0 ? 0.85 : tableSize === 256 ? 0.75 : 0.5),
      `${encodedOctets} of ${rawOctets}`,
    );
  });
}
