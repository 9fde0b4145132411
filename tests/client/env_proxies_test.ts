import assert from "node:assert/strict";
import {
  environmentProxyMounts,
  getEnvironmentProxies,
  getProxies,
} from "../../src/client/_env_proxies.ts";
import { MountPattern } from "../../src/client/_patterns.ts";
import { URL } from "../../src/models/url.ts";

// Expected values: HTTPX 0.28.1's get_environment_proxies() for the same
// environment (tests/test_utils.py cases plus more).
const GET_ENVIRONMENT_PROXIES: Array<
  [Record<string, string>, Record<string, string | null>]
> = [
  [{}, {}],
  [{ HTTP_PROXY: "http://127.0.0.1" }, { "http://": "http://127.0.0.1" }],
  [
    { https_proxy: "http://127.0.0.1", HTTP_PROXY: "https://127.0.0.1" },
    { "http://": "https://127.0.0.1", "https://": "http://127.0.0.1" },
  ],
  [{ all_proxy: "http://127.0.0.1" }, { "all://": "http://127.0.0.1" }],
  [{ TRAVIS_APT_PROXY: "http://127.0.0.1", ftp_proxy: "http://x" }, {}],
  [{ HTTP_PROXY: "example.com:8080" }, {
    "http://": "http://example.com:8080",
  }],
  [{ no_proxy: "127.0.0.1" }, { "all://127.0.0.1": null }],
  [{ no_proxy: "192.168.0.0/16" }, { "all://192.168.0.0/16": null }],
  [{ no_proxy: "::1" }, { "all://[::1]": null }],
  [{ no_proxy: "localhost" }, { "all://localhost": null }],
  [{ no_proxy: "github.com" }, { "all://*github.com": null }],
  [{ no_proxy: ".github.com" }, { "all://*.github.com": null }],
  [{ no_proxy: "http://github.com" }, { "http://github.com": null }],
  [{ no_proxy: "*" }, {}],
  [{ ALL_PROXY: "http://p", no_proxy: "a.com, b.com,,*" }, {}],
  [
    { ALL_PROXY: "http://p", NO_PROXY: " a.com , example.org:8080 " },
    {
      "all://": "http://p",
      "all://*a.com": null,
      "all://*example.org:8080": null,
    },
  ],
  [
    { HTTP_PROXY: "http://upper", http_proxy: "http://lower" },
    { "http://": "http://lower" },
  ],
  [{ HTTP_PROXY: "http://upper", http_proxy: "" }, {}],
  [{ HTTP_PROXY: "http://upper", REQUEST_METHOD: "GET" }, {}],
  [
    { http_proxy: "http://lower", REQUEST_METHOD: "GET" },
    { "http://": "http://lower" },
  ],
  [{ Http_Proxy: "http://mixed" }, { "http://": "http://mixed" }],
  [{ HTTP_proxy: "http://mixed2" }, { "http://": "http://mixed2" }],
  [
    {
      HTTPS_PROXY: "socks5://127.0.0.1:1080",
      NO_PROXY: "LOCALHOST,127.0.0.1,::1",
    },
    {
      "https://": "socks5://127.0.0.1:1080",
      "all://LOCALHOST": null,
      "all://127.0.0.1": null,
      "all://[::1]": null,
    },
  ],
];

Deno.test("getEnvironmentProxies matches HTTPX's get_environment_proxies", () => {
  for (const [env, expected] of GET_ENVIRONMENT_PROXIES) {
    assert.deepEqual(getEnvironmentProxies(env), expected, JSON.stringify(env));
  }
});

Deno.test("getProxies: lower case wins, empty lower case removes, CGI drops HTTP_PROXY", () => {
  assert.deepEqual(
    getProxies({ FTP_PROXY: "f", https_proxy: "s", HTTPS_PROXY: "S" }),
    new Map([["ftp", "f"], ["https", "s"]]),
  );
  assert.deepEqual(
    getProxies({ HTTPS_PROXY: "S", https_proxy: "" }),
    new Map(),
  );
  assert.deepEqual(
    getProxies({ HTTP_PROXY: "h", HTTPS_PROXY: "s", REQUEST_METHOD: "POST" }),
    new Map([["https", "s"]]),
  );
});

/** The proxy URL the client would route `url` to, or null (default transport). */
function route(url: string, env: Record<string, string>): string | null {
  const mounts = environmentProxyMounts(env).sort((a, b) =>
    MountPattern.compare(a[0], b[0])
  );
  const target = new URL(url);
  for (const [pattern, proxy] of mounts) {
    if (pattern.matches(target)) return proxy;
  }
  return null;
}

// HTTPX 0.28.1 tests/client/test_proxies.py, test_proxies_environ.
const PROXIES_ENVIRON: Array<[string, Record<string, string>, string | null]> =
  [
    ["http://google.com", {}, null],
    [
      "http://google.com",
      { HTTP_PROXY: "http://example.com" },
      "http://example.com",
    ],
    ["http://google.com", { HTTP_PROXY: "example.com" }, "http://example.com"],
    [
      "http://google.com",
      { HTTP_PROXY: "http://example.com", NO_PROXY: "google.com" },
      null,
    ],
    [
      "http://127.0.0.1",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "" },
      "http://localhost:123",
    ],
    [
      "http://127.0.0.1",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "127.0.0.1" },
      null,
    ],
    [
      "http://127.0.0.1",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "https://127.0.0.1" },
      "http://localhost:123",
    ],
    [
      "http://127.0.0.1",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "1.1.1.1" },
      "http://localhost:123",
    ],
    [
      "http://courses.mit.edu",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu" },
      null,
    ],
    [
      "https://mit.edu.info",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu" },
      "http://localhost:123",
    ],
    [
      "https://mit.edu.info",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu,edu.info" },
      null,
    ],
    [
      "https://mit.edu.info",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu, edu.info" },
      null,
    ],
    [
      "https://mit.edu.info",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "mit.edu,mit.info" },
      "http://localhost:123",
    ],
    [
      "https://foo.example.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "www.example.com" },
      "http://localhost:123",
    ],
    [
      "https://www.example1.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: ".example1.com" },
      null,
    ],
    [
      "https://www.example2.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "ample2.com" },
      "http://localhost:123",
    ],
    [
      "https://www.example3.com",
      { ALL_PROXY: "http://localhost:123", NO_PROXY: "*" },
      null,
    ],
  ];

Deno.test("routing with environment proxies, as HTTPX's test_proxies_environ", () => {
  for (const [url, env, expected] of PROXIES_ENVIRON) {
    assert.equal(route(url, env), expected, `${url} ${JSON.stringify(env)}`);
  }
});

Deno.test("per-scheme proxies, ports, localhost and leading dots", () => {
  const env = {
    HTTP_PROXY: "http://h:1",
    HTTPS_PROXY: "http://s:2",
    ALL_PROXY: "socks5://a:3",
    NO_PROXY: "localhost,.internal,example.org:8080,*.wild.test",
  };
  assert.equal(route("http://x.test/", env), "http://h:1");
  assert.equal(route("https://x.test/", env), "http://s:2");
  assert.equal(route("ws://x.test/", env), "socks5://a:3");
  assert.equal(route("http://localhost:5000/", env), null);
  assert.equal(route("http://sub.localhost/", env), "http://h:1");
  assert.equal(route("http://a.internal/", env), null);
  assert.equal(route("http://internal/", env), "http://h:1");
  assert.equal(route("http://example.org:8080/", env), null);
  assert.equal(route("http://www.example.org:8080/", env), null);
  assert.equal(route("http://example.org/", env), "http://h:1");
  assert.equal(route("http://a.wild.test/", env), null);
  assert.equal(route("http://wild.test/", env), "http://h:1");
});

Deno.test("NO_PROXY IP addresses and CIDR ranges (beyond HTTPX)", () => {
  const env = {
    ALL_PROXY: "http://p:1",
    NO_PROXY: "10.0.0.0/8,192.168.1.7,::1,fd00::/8,[2001:db8::1]:8443",
  };
  assert.equal(route("http://10.20.30.40/", env), null);
  assert.equal(route("http://11.0.0.1/", env), "http://p:1");
  assert.equal(route("https://192.168.1.7:8443/", env), null);
  assert.equal(route("https://192.168.1.8/", env), "http://p:1");
  assert.equal(route("http://[::1]:8080/", env), null);
  assert.equal(route("http://[0:0:0:0:0:0:0:1]/", env), null);
  assert.equal(route("http://[fd12::5]/", env), null);
  assert.equal(route("http://[fe80::1]/", env), "http://p:1");
  assert.equal(route("https://[2001:db8::1]:8443/", env), null);
  assert.equal(route("https://[2001:db8::1]/", env), "http://p:1");
  // A name is never inside an address range.
  assert.equal(route("http://10.example/", env), "http://p:1");
});

Deno.test("NO_PROXY entries that are not patterns are skipped", () => {
  const mounts = environmentProxyMounts({
    ALL_PROXY: "http://p",
    NO_PROXY: "a:b,ok.test",
  });
  assert.deepEqual(mounts.map(([p, u]) => [p.pattern, u]), [
    ["all://", "http://p"],
    ["all://*ok.test", null],
  ]);
});

async function runWith(
  flags: string[],
  env: Record<string, string>,
): Promise<string> {
  const code = `
    import { getEnvironmentProxies } from ${
    JSON.stringify(
      new globalThis.URL("../../src/client/_env_proxies.ts", import.meta.url)
        .href,
    )
  };
    console.log(JSON.stringify(getEnvironmentProxies()));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", ...flags, "-"],
    env: { ...env, NO_COLOR: "1" },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const output = await child.output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test("without env permission nothing is read, and nothing prompts", async () => {
  const env = {
    HTTP_PROXY: "http://h:1",
    NO_PROXY: "x.test",
    PATH: Deno.env.get("PATH") ?? "",
  };
  assert.equal(await runWith([], env), "{}");
  assert.equal(
    await runWith(["--allow-env=HTTP_PROXY"], env),
    JSON.stringify({ "http://": "http://h:1" }),
  );
  assert.equal(
    await runWith(["--allow-env"], env),
    JSON.stringify({ "http://": "http://h:1", "all://*x.test": null }),
  );
});
