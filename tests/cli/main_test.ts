import assert from "node:assert/strict";
import { main, type MainOptions } from "../../cli.ts";
import { type MainInternals, runMain } from "../../src/cli/main.ts";
import { MockTransport } from "../../src/transports/mock.ts";
import { Response as HttpxResponse } from "../../src/models/response.ts";

type Handler = (request: Request) => Response | Promise<Response>;

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

async function withServer(
  handler: Handler,
  fn: (base: string, seen: Seen[]) => Promise<void>,
): Promise<void> {
  const seen: Seen[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      seen.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: new Uint8Array(await request.arrayBuffer()),
      });
      return await handler(request);
    },
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  args: string[],
  options: MainOptions = {},
  internals?: MainInternals,
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const writers: MainOptions = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    ...options,
  };
  const code = internals === undefined
    ? await main(args, writers)
    : await runMain(args, writers, internals);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const decoder = new TextDecoder();

Deno.test("main: JSON body is indented, status line and headers first", async () => {
  await withServer(
    () => Response.json({ b: [1, 2], a: { c: null } }),
    async (base) => {
      const { code, stdout, stderr } = await run([`${base}/data`]);
      assert.equal(code, 0);
      assert.equal(stderr, "");
      const [head, body] = stdout.split("\n\n");
      const lines = head.split("\n");
      assert.equal(lines[0], "HTTP/1.1 200 OK");
      assert.ok(lines.includes("content-type: application/json"));
      assert.ok(lines.includes("content-length: 26"));
      assert.equal(
        body,
        '{\n    "b": [\n        1,\n        2\n    ],\n    "a": {\n        "c": null\n    }\n}\n',
      );
      assert.ok(!stdout.includes("\x1b["), "no colour for a non-terminal");
    },
  );
});

Deno.test("main: text body as text, binary body summarised", async () => {
  await withServer(
    (request) =>
      new URL(request.url).pathname === "/text"
        ? new Response("plain words", {
          headers: { "content-type": "text/plain; charset=utf-8" },
        })
        : new Response(new Uint8Array(1234).fill(7), {
          headers: { "content-type": "application/octet-stream" },
        }),
    async (base) => {
      const text = await run([`${base}/text`]);
      assert.equal(text.code, 0);
      assert.ok(text.stdout.endsWith("\n\nplain words\n"), text.stdout);
      const binary = await run([`${base}/bin`]);
      assert.equal(binary.code, 0);
      assert.ok(
        binary.stdout.endsWith("\n\n<1234 bytes of binary data>\n"),
        binary.stdout,
      );
    },
  );
});

Deno.test("main: --verbose prints connection steps and the request head", async () => {
  await withServer(() => new Response("ok"), async (base, seen) => {
    const port = new URL(base).port;
    const { code, stdout } = await run([
      `${base}/path`,
      "-v",
      "-p",
      "q",
      "1 2",
      "-h",
      "X-Test",
      "yes",
    ]);
    assert.equal(code, 0);
    const lines = stdout.split("\n");
    assert.deepEqual(lines.slice(0, 5), [
      "* Connecting to '127.0.0.1'",
      `* Connected to '127.0.0.1' on port ${port}`,
      "* HTTP/1.1 connection established",
      "GET /path?q=1+2 HTTP/1.1",
      `Host: 127.0.0.1:${port}`,
    ]);
    assert.ok(lines.includes("X-Test: yes"));
    const blank = lines.indexOf("");
    assert.ok(lines[blank + 1].startsWith("HTTP/1.1 200 OK"));
    assert.equal(lines.at(-2), "ok");
    assert.equal(seen[0].url.search, "?q=1+2");
    assert.equal(seen[0].headers.get("x-test"), "yes");
  });
});

Deno.test("main: request options reach the server", async () => {
  await withServer(
    () => new Response(null, { status: 204 }),
    async (base, seen) => {
      const json = await run([base, "-j", '{"k": [1, "two"]}']);
      assert.equal(json.code, 0);
      assert.equal(json.stdout, json.stdout.split("\n\n")[0] + "\n\n");
      assert.equal(seen[0].method, "POST");
      assert.equal(seen[0].headers.get("content-type"), "application/json");
      assert.deepEqual(JSON.parse(decoder.decode(seen[0].body)), {
        k: [1, "two"],
      });

      await run([
        base,
        "-d",
        "a",
        "1",
        "-d",
        "b",
        "x y",
        "-d",
        "a",
        "2",
        "-m",
        "put",
      ]);
      assert.equal(seen[1].method, "PUT");
      assert.equal(
        seen[1].headers.get("content-type"),
        "application/x-www-form-urlencoded",
      );
      assert.equal(decoder.decode(seen[1].body), "a=2&b=x+y");

      await run([
        base,
        "-c",
        "raw body",
        "--cookies",
        "sid",
        "s1",
        "--auth",
        "me",
        "pw",
      ]);
      assert.equal(seen[2].method, "POST");
      assert.equal(decoder.decode(seen[2].body), "raw body");
      assert.equal(seen[2].headers.get("cookie"), "sid=s1");
      assert.equal(
        seen[2].headers.get("authorization"),
        `Basic ${btoa("me:pw")}`,
      );

      await run([base, "--auth", "me", "-"], {
        readPassword: () => Promise.resolve("prompted"),
      });
      assert.equal(seen[3].method, "GET");
      assert.equal(
        seen[3].headers.get("authorization"),
        `Basic ${btoa("me:prompted")}`,
      );
    },
  );
});

Deno.test("main: -f uploads a file as multipart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/note.txt`;
    await Deno.writeTextFile(path, "file contents\n");
    await withServer(() => new Response("ok"), async (base, seen) => {
      const { code } = await run([
        base,
        "-f",
        "upload",
        path,
        "-d",
        "field",
        "v",
      ]);
      assert.equal(code, 0);
      assert.equal(seen[0].method, "POST");
      const type = seen[0].headers.get("content-type") ?? "";
      assert.match(type, /^multipart\/form-data; boundary=/);
      const body = decoder.decode(seen[0].body);
      assert.ok(body.includes('name="upload"; filename="note.txt"'), body);
      assert.ok(body.includes("Content-Type: text/plain"), body);
      assert.ok(body.includes("file contents\n"), body);
      assert.ok(body.includes('name="field"\r\n\r\nv\r\n'), body);
    });
    const missing = await run([
      "http://127.0.0.1:1/",
      "-f",
      "x",
      `${dir}/nope`,
    ]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /Error: Invalid value for '-f' \/ '--files': '.*nope': No such file or directory\n$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: --download writes the body and reports progress on stderr", async () => {
  const payload = new Uint8Array(70_000);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/out.bin`;
    await withServer(
      () =>
        new Response(payload, {
          headers: { "content-type": "application/octet-stream" },
        }),
      async (base) => {
        const { code, stdout, stderr } = await run([base, "--download", file]);
        assert.equal(code, 0);
        assert.ok(stdout.startsWith("HTTP/1.1 200 OK\n"));
        assert.ok(!stdout.includes("binary data"));
        assert.equal(stderr, `Downloading ${file} 100% 70.0 kB/70.0 kB\n`);
        assert.deepEqual(await Deno.readFile(file), payload);
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: exit codes follow the final status", async () => {
  await withServer((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/moved") {
      return new Response(null, {
        status: 301,
        headers: { location: "/here" },
      });
    }
    if (path === "/missing") return new Response("nope", { status: 404 });
    return new Response("here");
  }, async (base) => {
    const notFollowed = await run([`${base}/moved`]);
    assert.equal(notFollowed.code, 1);
    assert.ok(
      notFollowed.stdout.startsWith("HTTP/1.1 301 Moved Permanently\n"),
    );

    const followed = await run([`${base}/moved`, "--follow-redirects"]);
    assert.equal(followed.code, 0);
    const statusLines = followed.stdout.split("\n").filter((l) =>
      l.startsWith("HTTP/")
    );
    assert.deepEqual(statusLines, [
      "HTTP/1.1 301 Moved Permanently",
      "HTTP/1.1 200 OK",
    ]);
    assert.ok(followed.stdout.endsWith("\nhere\n"));

    const missing = await run([`${base}/missing`]);
    assert.equal(missing.code, 1);
    assert.ok(missing.stdout.startsWith("HTTP/1.1 404 Not Found\n"));
    assert.equal(missing.stderr, "");
  });
});

Deno.test("main: request errors exit 1 with the httpx class name", async () => {
  // A port that was just free: nothing listens on it any more.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const refused = await run([`http://127.0.0.1:${port}/`]);
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, "");
  assert.match(refused.stderr, /^ConnectError: .+\n$/);

  const bad = await run(["invalid://example.org"]);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    "UnsupportedProtocol: Request URL has an unsupported protocol 'invalid://'\n",
  );

  const coloured = await run(["invalid://example.org"], { color: true });
  assert.ok(coloured.stderr.startsWith("\x1b[31mUnsupportedProtocol\x1b[0m: "));
});

Deno.test("main: a read timeout is reported as ReadTimeout", async () => {
  const { promise: released, resolve: release } = Promise.withResolvers<void>();
  await withServer(async () => {
    await released;
    return new Response("late");
  }, async (base) => {
    try {
      const { code, stderr } = await run([base, "--timeout", "0.2"]);
      assert.equal(code, 1);
      assert.match(stderr, /^ReadTimeout: .+\n$/);
    } finally {
      release();
    }
  });
});

Deno.test("main: usage errors exit 2, --help exits 0", async () => {
  const missing = await run([]);
  assert.equal(missing.code, 2);
  assert.equal(
    missing.stderr,
    "Usage: httpx <URL> [OPTIONS]\nTry 'httpx --help' for help.\n\nError: Missing argument 'URL'\n",
  );
  const json = await run(["http://127.0.0.1:1/", "-j", "{"]);
  assert.equal(json.code, 2);
  assert.ok(
    json.stderr.endsWith(
      "Error: Invalid value for '-j' / '--json': Not valid JSON\n",
    ),
  );

  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  assert.ok(help.stdout.includes("Usage: httpx <URL> [OPTIONS]"));
  for (
    const option of [
      "--method",
      "--download",
      "--no-verify",
      "--http2",
      "--verbose",
    ]
  ) {
    assert.ok(help.stdout.includes(option), option);
  }
  assert.ok(!help.stdout.includes("\x1b["));
  assert.ok(
    (await run(["--help"], { color: true })).stdout.includes("\x1b[1m"),
  );
});

Deno.test("main: --no-verify explains itself and verifies as usual", async () => {
  await withServer(() => new Response("fine"), async (base) => {
    const { code, stdout, stderr } = await run([base, "--no-verify"]);
    assert.equal(code, 0);
    assert.ok(stdout.endsWith("\nfine\n"));
    assert.match(
      stderr,
      /Deno cannot skip certificate verification per connection/,
    );
    assert.match(stderr, /--ca FILE/);
    assert.match(stderr, /--unsafely-ignore-certificate-errors/);
  });
});

Deno.test("main: colours with color: true", async () => {
  await withServer(() => Response.json({ k: 1 }), async (base) => {
    const { stdout } = await run([base], { color: true });
    assert.ok(stdout.includes("\x1b[32m200 OK\x1b[0m"));
    assert.ok(stdout.includes('\x1b[34m"k"\x1b[0m: \x1b[36m1\x1b[0m'));
  });
});

Deno.test("main: a transport without trace events still gets heads printed", async () => {
  const transport = new MockTransport((request) =>
    request.url.path === "/start"
      ? new HttpxResponse(302, { headers: [["Location", "/end"]] })
      : new HttpxResponse(200, {
        headers: [["Content-Type", "text/plain"]],
        content: "done",
      })
  );
  const { code, stdout } = await run(
    ["http://mock.test/start", "--follow-redirects"],
    {},
    { transport },
  );
  assert.equal(code, 0);
  assert.equal(
    stdout,
    "HTTP/1.1 302 Found\nLocation: /end\n\nHTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 4\n\ndone\n",
  );
});

Deno.test("main: --verbose over TLS, trusting --ca", async () => {
  const tls = new URL("../testdata/tls/", import.meta.url);
  const cert = await Deno.readTextFile(new URL("server.pem", tls));
  const key = await Deno.readTextFile(new URL("server-key.pem", tls));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, cert, key, onListen() {} },
    () => Response.json({ secure: true }),
  );
  try {
    const port = server.addr.port;
    const { code, stdout, stderr } = await run([
      `https://localhost:${port}/`,
      "-v",
      "--ca",
      new URL("ca.pem", tls).pathname,
    ]);
    assert.equal(stderr, "");
    assert.equal(code, 0);
    const lines = stdout.split("\n");
    assert.deepEqual(lines.slice(0, 6), [
      "* Connecting to 'localhost'",
      `* Connected to '127.0.0.1' on port ${port}`,
      "* TLS established using Deno's TLS stack, certificate verified for 'localhost'",
      "* Selected ALPN protocol: 'http/1.1'",
      "* HTTP/1.1 connection established",
      "GET / HTTP/1.1",
    ]);
    assert.ok(stdout.endsWith('{\n    "secure": true\n}\n'));

    const untrusted = await run([`https://localhost:${port}/`]);
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.stderr, /^ConnectError: .*certificate.*\n$/i);

    const noCa = await run([
      `https://localhost:${port}/`,
      "--ca",
      "/nonexistent/ca.pem",
    ]);
    assert.equal(noCa.code, 2);
    assert.match(noCa.stderr, /Error: Invalid value for '--ca'/);
  } finally {
    await server.shutdown();
  }
});
