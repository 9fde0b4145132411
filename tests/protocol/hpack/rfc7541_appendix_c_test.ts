// RFC 7541 Appendix C examples: each header block decoded in sequence with
// one decoder, checking the decoded list, the dynamic table contents and
// its size after every step; the request examples (C.3, C.4) are also
// re-encoded byte for byte.

import assert from "node:assert/strict";
import { HpackDecoder } from "../../../src/protocol/hpack/decoder.ts";
import { HpackEncoder } from "../../../src/protocol/hpack/encoder.ts";

interface Step {
  wire: string;
  headers: Array<[string, string]>;
  table: Array<[string, string]>;
  size: number;
}

interface Vector {
  name: string;
  tableSize: number;
  huffman: boolean;
  steps: Step[];
}

function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

/** A header block without its wire form: C.3/C.4 and C.5/C.6 share these. */
type Block = Omit<Step, "wire">;

/** The three requests of C.3 and C.4, with the table after each. */
const REQUESTS: Block[] = [
  {
    headers: [
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ],
    table: [
      [":authority", "www.example.com"],
    ],
    size: 57,
  },
  {
    headers: [
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ],
    table: [
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ],
    size: 110,
  },
  {
    headers: [
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ],
    table: [
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ],
    size: 164,
  },
];

const COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

/** The three responses of C.5 and C.6 (256-byte table), with its contents. */
const RESPONSES: Block[] = [
  {
    headers: [
      [":status", "302"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ],
    table: [
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
      [":status", "302"],
    ],
    size: 222,
  },
  {
    headers: [
      [":status", "307"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["location", "https://www.example.com"],
    ],
    table: [
      [":status", "307"],
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
    ],
    size: 222,
  },
  {
    headers: [
      [":status", "200"],
      ["cache-control", "private"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
      ["location", "https://www.example.com"],
      ["content-encoding", "gzip"],
      ["set-cookie", COOKIE],
    ],
    table: [
      ["set-cookie", COOKIE],
      ["content-encoding", "gzip"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ],
    size: 215,
  },
];

/** The steps of `blocks`, the i-th sent as `wires[i]`. */
function encoded(blocks: Block[], wires: string[]): Step[] {
  assert.equal(wires.length, blocks.length);
  return blocks.map((block, i) => ({ wire: wires[i], ...block }));
}

/** A C.2 example: one block, 4096-byte table, no Huffman. */
function single(name: string, step: Step): Vector {
  return { name, tableSize: 4096, huffman: false, steps: [step] };
}

const VECTORS: Vector[] = [
  single("C.2.1 literal with indexing", {
    wire: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
    headers: [["custom-key", "custom-header"]],
    table: [["custom-key", "custom-header"]],
    size: 55,
  }),
  single("C.2.2 literal without indexing", {
    wire: "040c 2f73 616d 706c 652f 7061 7468",
    headers: [[":path", "/sample/path"]],
    table: [],
    size: 0,
  }),
  single("C.2.3 never indexed", {
    wire: "1008 7061 7373 776f 7264 0673 6563 7265 74",
    headers: [["password", "secret"]],
    table: [],
    size: 0,
  }),
  single("C.2.4 indexed", {
    wire: "82",
    headers: [[":method", "GET"]],
    table: [],
    size: 0,
  }),
  {
    name: "C.3 requests without Huffman",
    tableSize: 4096,
    huffman: false,
    steps: encoded(REQUESTS, [
      "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "8286 84be 5808 6e6f 2d63 6163 6865",
      "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    ]),
  },
  {
    name: "C.4 requests with Huffman",
    tableSize: 4096,
    huffman: true,
    steps: encoded(REQUESTS, [
      "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
      "8286 84be 5886 a8eb 1064 9cbf",
      "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    ]),
  },
  {
    name: "C.5 responses without Huffman",
    tableSize: 256,
    huffman: false,
    steps: encoded(RESPONSES, [
      "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "4803 3330 37c1 c0bf",
      "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
    ]),
  },
  {
    name: "C.6 responses with Huffman",
    tableSize: 256,
    huffman: true,
    steps: encoded(RESPONSES, [
      "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
      "4883 640e ffc1 c0bf",
      "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ]),
  },
];

/** An encoder with the vector's table size and Huffman setting. */
function encoderFor(vector: Vector): HpackEncoder {
  return new HpackEncoder({
    maxTableSize: vector.tableSize,
    huffman: vector.huffman,
  });
}

for (const vector of VECTORS) {
  Deno.test(`RFC 7541 ${vector.name}: decode`, () => {
    const decoder = new HpackDecoder({ maxAllowedTableSize: 4096 });
    decoder.table.setMaxSize(vector.tableSize);
    for (const step of vector.steps) {
      assert.deepEqual(decoder.decode(hex(step.wire)), step.headers);
      assert.deepEqual(decoder.table.entries(), step.table);
      assert.equal(decoder.table.size, step.size);
    }
  });
}

for (const vector of VECTORS.filter((v) => v.name.includes("requests"))) {
  Deno.test(`RFC 7541 ${vector.name}: encode byte for byte`, () => {
    const encoder = encoderFor(vector);
    for (const step of vector.steps) {
      assert.deepEqual(encoder.encode(step.headers), hex(step.wire));
      assert.deepEqual(encoder.table.entries(), step.table);
      assert.equal(encoder.table.size, step.size);
    }
  });
}

for (const vector of VECTORS.filter((v) => v.name.includes("responses"))) {
  Deno.test(`RFC 7541 ${vector.name}: our encoding decodes back`, () => {
    const encoder = encoderFor(vector);
    const decoder = new HpackDecoder();
    decoder.table.setMaxSize(vector.tableSize);
    for (const step of vector.steps) {
      const block = encoder.encode(step.headers);
      assert.deepEqual(decoder.decode(block), step.headers);
      assert.deepEqual(decoder.table.entries(), encoder.table.entries());
    }
  });
}
