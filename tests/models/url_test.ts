import assert from "node:assert/strict";
import { InvalidURL } from "../../src/errors.ts";
import { QueryParams } from "../../src/models/query_params.ts";
import { URL, urlNetloc } from "../../src/models/url.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

function assertInvalid(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof InvalidURL, `expected InvalidURL, got ${error}`);
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("URL: basic absolute URL", () => {
  const url = new URL("https://www.example.com/");
  assert.equal(url.scheme, "https");
  assert.equal(text(url.userinfo), "");
  assert.equal(text(url.netloc), "www.example.com");
  assert.equal(url.host, "www.example.com");
  assert.equal(url.rawHost, "www.example.com");
  assert.equal(url.port, null);
  assert.equal(url.path, "/");
  assert.equal(text(url.query), "");
  assert.equal(url.fragment, "");
  assert.equal(url.toString(), "https://www.example.com/");
  assert.equal(
    Deno.inspect(url),
    "URL('https://www.example.com/')",
  );
  assert.ok(url.isAbsoluteUrl);
  assert.ok(!url.isRelativeUrl);
});

Deno.test("URL: every component", () => {
  const url = new URL(
    "https://example.org:123/path/to/somewhere?abc=123#anchor",
  );
  assert.equal(url.scheme, "https");
  assert.equal(url.host, "example.org");
  assert.equal(url.port, 123);
  assert.equal(url.path, "/path/to/somewhere");
  assert.equal(text(url.query), "abc=123");
  assert.equal(url.rawPath, "/path/to/somewhere?abc=123");
  assert.equal(url.fragment, "anchor");
  assert.equal(
    url.toString(),
    "https://example.org:123/path/to/somewhere?abc=123#anchor",
  );
  assert.equal(text(url.netloc), "example.org:123");
  assert.equal(urlNetloc(url), "example.org:123");
});

Deno.test("URL: a trailing '?' is kept in rawPath", () => {
  let url = new URL("https://www.example.com/path");
  assert.equal(text(url.query), "");
  assert.equal(url.rawPath, "/path");
  url = new URL("https://www.example.com/path?");
  assert.equal(url.path, "/path");
  assert.equal(text(url.query), "");
  assert.equal(url.rawPath, "/path?");
  assert.equal(new URL("http://example.com?").rawPath, "/?");
});

Deno.test("URL: empty scheme and relative URLs", () => {
  const noScheme = new URL("://example.com");
  assert.equal(noScheme.scheme, "");
  assert.equal(noScheme.host, "example.com");
  assert.equal(noScheme.path, "/");
  assert.ok(noScheme.isRelativeUrl);

  const relative = new URL("/path?x=1#f");
  assert.equal(relative.scheme, "");
  assert.equal(relative.host, "");
  assert.equal(relative.path, "/path");
  assert.equal(relative.rawPath, "/path?x=1");
  assert.equal(relative.fragment, "f");
  assert.equal(relative.toString(), "/path?x=1#f");
  assert.ok(relative.isRelativeUrl);

  const empty = new URL("");
  assert.equal(empty.toString(), "");
  assert.equal(empty.path, "/");
  assert.equal(empty.rawPath, "/");
  assert.equal(new URL().toString(), "");

  // Dot segments stay in relative references.
  assert.equal(new URL("../abc").path, "../abc");
  assert.equal(new URL("x/y/../z").toString(), "x/y/../z");
  assert.equal(new URL("https://example.com/../abc").path, "/abc");
  // A `name:` prefix is a scheme, as in HTTPX.
  assert.equal(new URL("localhost:8000").scheme, "localhost");
  assert.equal(new URL("localhost:8000").path, "8000");
});

Deno.test("URL: percent-encoding of path, query and fragment", () => {
  // [input, rawPath, path, query, fragment], verified against HTTPX 0.28.
  const cases: Array<[string, string, string, string, string]> = [
    [
      "https://example.com/!$&'()*+,;= abc ABC 123 :/[]@",
      "/!$&'()*+,;=%20abc%20ABC%20123%20:/[]@",
      "/!$&'()*+,;= abc ABC 123 :/[]@",
      "",
      "",
    ],
    [
      "https://example.com/!$&'()*+,;=%20abc%20ABC%20123%20:/[]@",
      "/!$&'()*+,;=%20abc%20ABC%20123%20:/[]@",
      "/!$&'()*+,;= abc ABC 123 :/[]@",
      "",
      "",
    ],
    ["https://example.com/ %61%62%63", "/%20%61%62%63", "/ abc", "", ""],
    [
      "https://example.com/?!$&'()*+,;= abc ABC 123 :/[]@?",
      "/?!$&'()*+,;=%20abc%20ABC%20123%20:/[]@?",
      "/",
      "!$&'()*+,;=%20abc%20ABC%20123%20:/[]@?",
      "",
    ],
    [
      "https://example.com/?!$&%27()*+,;=%20abc%20ABC%20123%20:%2F[]@?",
      "/?!$&%27()*+,;=%20abc%20ABC%20123%20:%2F[]@?",
      "/",
      "!$&%27()*+,;=%20abc%20ABC%20123%20:%2F[]@?",
      "",
    ],
    [
      "https://example.com/?%20%97%98%99",
      "/?%20%97%98%99",
      "/",
      "%20%97%98%99",
      "",
    ],
    [
      "https://example.com/#!$&'()*+,;= abc ABC 123 :/[]@?#",
      "/",
      "/",
      "",
      "!$&'()*+,;= abc ABC 123 :/[]@?#",
    ],
    [
      'http://x/test^path{}`|"<>',
      "/test^path%7B%7D%60|%22%3C%3E",
      'http://x/test^path{}`|"<>'.slice(8),
      "",
      "",
    ],
    [
      "http://x/?q=a b&c=%20+/?",
      "/?q=a%20b&c=%20+/?",
      "/",
      "q=a%20b&c=%20+/?",
      "",
    ],
    ["https://example.com/ /🌟/", "/%20/%F0%9F%8C%9F/", "/ /🌟/", "", ""],
    ["http://x/é?é#é", "/%C3%A9?%C3%A9", "/é", "%C3%A9", "é"],
    ["http://x/%", "/%", "/%", "", ""],
    ["http://x/%zz", "/%zz", "/%zz", "", ""],
    ["http://x/a%2Fb", "/a%2Fb", "/a/b", "", ""],
    ["http://x/\\back", "/\\back", "/\\back", "", ""],
  ];
  for (const [input, rawPath, path, query, fragment] of cases) {
    const url = new URL(input);
    assert.equal(url.rawPath, rawPath, input);
    assert.equal(url.path, path, input);
    assert.equal(text(url.query), query, input);
    assert.equal(url.fragment, fragment, input);
  }
  assert.equal(
    new URL("http://x#frag#more").toString(),
    "http://x#frag#more",
  );
});

Deno.test("URL: query strings keep their encoding; params are form-encoded", () => {
  assert.equal(
    new URL("https://www.example.com/?a=b c&d=e/f").rawPath,
    "/?a=b%20c&d=e/f",
  );
  assert.equal(
    new URL("https://www.example.com/?a=b+c&d=e/f").rawPath,
    "/?a=b+c&d=e/f",
  );
  assert.equal(
    new URL("https://www.example.com/", { params: { a: "b c", d: "e/f" } })
      .rawPath,
    "/?a=b+c&d=e%2Ff",
  );
  assert.equal(
    new URL("http://webservice?u=phrase%20with spaces").toString(),
    "http://webservice?u=phrase%20with%20spaces",
  );
  assert.equal(
    new URL("http://webservice", { params: { u: "with spaces" } }).toString(),
    "http://webservice?u=with+spaces",
  );
  assert.equal(
    new URL("http://webservice", { params: { u: "%" } }).toString(),
    "http://webservice?u=%25",
  );
  assert.equal(
    new URL("http://webservice", { params: { u: "with%20spaces" } })
      .toString(),
    "http://webservice?u=with%2520spaces",
  );
  assert.equal(
    new URL("http://webservice", {
      params: { u: "http://example.com?q=foo%2Fa" },
    }).toString(),
    "http://webservice?u=http%3A%2F%2Fexample.com%3Fq%3Dfoo%252Fa",
  );
});

Deno.test("URL: params option replaces the query", () => {
  let url = new URL("https://example.org:123/path/to/somewhere", {
    params: { a: "123" },
  });
  assert.equal(
    url.toString(),
    "https://example.org:123/path/to/somewhere?a=123",
  );
  assert.ok(url.params.equals(new QueryParams({ a: "123" })));

  url = new URL("https://example.org:123/path/to/somewhere?b=456", {
    params: { a: "123" },
  });
  assert.equal(
    url.toString(),
    "https://example.org:123/path/to/somewhere?a=123",
  );
  // Empty params remove the query entirely (no bare "?").
  url = new URL("https://example.org/?b=456", { params: {} });
  assert.equal(url.toString(), "https://example.org/");
  assert.equal(url.rawPath, "/");
});

Deno.test("URL: userinfo", () => {
  const cases: Array<[string, string, string, string]> = [
    [
      "https://username:password@example.com",
      "username:password",
      "username",
      "password",
    ],
    [
      "https://username%40gmail.com:pa%20ssword@example.com",
      "username%40gmail.com:pa%20ssword",
      "username@gmail.com",
      "pa ssword",
    ],
    [
      "https://user%20name:p%40ssword@example.com",
      "user%20name:p%40ssword",
      "user name",
      "p@ssword",
    ],
    [
      "https://username@gmail.com:pa ssword@example.com",
      "username%40gmail.com:pa%20ssword",
      "username@gmail.com",
      "pa ssword",
    ],
    [
      "https://user name:p@ssword@example.com",
      "user%20name:p%40ssword",
      "user name",
      "p@ssword",
    ],
    ["http://us@er:p@ss@example.com/", "us%40er:p%40ss", "us@er", "p@ss"],
    ["http://user:@x/", "user:", "user", ""],
    ["http://:pw@x/", ":pw", "", "pw"],
  ];
  for (const [input, userinfo, username, password] of cases) {
    const url = new URL(input);
    assert.equal(text(url.userinfo), userinfo, input);
    assert.equal(url.username, username, input);
    assert.equal(url.password, password, input);
  }
});

Deno.test("URL: the password is masked when inspected, shown by toString", () => {
  const url = new URL("https://user:secret@example.org/");
  assert.equal(Deno.inspect(url), "URL('https://user:[secure]@example.org/')");
  assert.equal(url.toString(), "https://user:secret@example.org/");
  assert.equal(
    JSON.stringify({ url }),
    '{"url":"https://user:secret@example.org/"}',
  );
});

Deno.test("URL: host normalisation", () => {
  assert.equal(new URL("https://EXAMPLE.com/").host, "example.com");
  assert.equal(new URL("https://023b76x43144/").host, "023b76x43144");
  assert.equal(new URL("http://exa_mple.com/").host, "exa_mple.com");
  assert.equal(new URL("https://1.2.3.4/").host, "1.2.3.4");
  assertInvalid(
    () => new URL("https://999.999.999.999/"),
    "Invalid IPv4 address: '999.999.999.999'",
  );
  assertInvalid(
    () => new URL("http://01.2.3.4/"),
    "Invalid IPv4 address: '01.2.3.4'",
  );
});

Deno.test("URL: host characters are percent-encoded as in HTTPX", () => {
  // Verified against HTTPX 0.28: reg-name characters outside unreserved,
  // sub-delims and the WHATWG extras are percent-encoded, not refused.
  assert.equal(new URL("https://exam le.com/").host, "exam%20le.com");
  assert.equal(new URL("http://exa<mple/").rawHost, "exa%3Cmple");
  assert.equal(new URL("http://a|b/").host, "a|b");
  assert.equal(new URL("http://a%20B/").host, "a%20b");
  assert.equal(new URL("http://ex\\ample.com/").host, "ex\\ample.com");
  assert.equal(
    new URL("http://Ex%41mple.com/").toString(),
    "http://ex%41mple.com/",
  );
  // An unclosed "[" is a plain (encoded) name; the port then fails.
  assertInvalid(() => new URL("http://[::1/"), "Invalid port: ':1'");
  assert.equal(
    new URL("https://example.org/").copyWith({ host: "a@b" }).toString(),
    "https://a%40b/",
  );
});

Deno.test("URL: IPv6 hosts", () => {
  let url = new URL("http://[::ffff:192.168.0.1]:5678/");
  assert.equal(url.host, "::ffff:192.168.0.1");
  assert.equal(url.rawHost, "::ffff:192.168.0.1");
  assert.equal(text(url.netloc), "[::ffff:192.168.0.1]:5678");
  assert.equal(urlNetloc(url), "[::ffff:192.168.0.1]:5678");

  url = new URL("https://[2001:db8::ff00:42:8329]/");
  assert.equal(url.host, "2001:db8::ff00:42:8329");
  // HTTPX keeps the case of an IPv6 address as written.
  assert.equal(new URL("http://[FE80::1]/").toString(), "http://[FE80::1]/");
  assert.equal(new URL("http://[fe80::1%25eth0]/").host, "fe80::1%25eth0");
  assert.equal(new URL("http://[1:2:3:4:5:6:7:8]/").host, "1:2:3:4:5:6:7:8");

  assertInvalid(
    () => new URL("https://[2001]/"),
    "Invalid IPv6 address: '[2001]'",
  );
  assert.throws(() => new URL("http://[1::2::3]/"), InvalidURL);
  assert.throws(() => new URL("http://[1:2:3:4:5:6:7:8:9]/"), InvalidURL);
  assertInvalid(() => new URL("http://[::1]x/"), "Invalid port: 'x'");

  for (const host of ["[::ffff:192.168.0.1]", "::ffff:192.168.0.1"]) {
    url = new URL("", { scheme: "https", host, port: 443, path: "/" });
    assert.equal(url.host, "::ffff:192.168.0.1");
    assert.equal(text(url.netloc), "[::ffff:192.168.0.1]");
    assert.equal(url.toString(), "https://[::ffff:192.168.0.1]/");
    for (
      const base of [
        "http://127.0.0.1:1234",
        "http://example.com:1234",
        "http://[::ffff:127.0.0.1]:1234",
      ]
    ) {
      const copy = new URL(base).copyWith({ host });
      assert.equal(copy.host, "::ffff:192.168.0.1");
      assert.equal(text(copy.netloc), "[::ffff:192.168.0.1]:1234");
      assert.equal(copy.toString(), "http://[::ffff:192.168.0.1]:1234");
    }
  }
});

Deno.test("URL: IDNA hosts", () => {
  // [given, ascii form, host, rawHost, port], verified against HTTPX 0.28.
  const cases: Array<[string, string, string, string, number | null]> = [
    [
      "http://中国.icom.museum:80/",
      "http://xn--fiqs8s.icom.museum:80/",
      "中国.icom.museum",
      "xn--fiqs8s.icom.museum",
      null,
    ],
    [
      "http://Königsgäßchen.de",
      "http://xn--knigsgchen-b4a3dun.de",
      "königsgäßchen.de",
      "xn--knigsgchen-b4a3dun.de",
      null,
    ],
    [
      "https://faß.de",
      "https://xn--fa-hia.de",
      "faß.de",
      "xn--fa-hia.de",
      null,
    ],
    [
      "https://βόλος.com:443",
      "https://xn--nxasmm1c.com:443",
      "βόλος.com",
      "xn--nxasmm1c.com",
      null,
    ],
    [
      "http://ශ්‍රී.com:444",
      "http://xn--10cl1a0b660p.com:444",
      "ශ්‍රී.com",
      "xn--10cl1a0b660p.com",
      444,
    ],
    [
      "https://نامه‌ای.com:4433",
      "https://xn--mgba3gch31f060k.com:4433",
      "نامه‌ای.com",
      "xn--mgba3gch31f060k.com",
      4433,
    ],
  ];
  for (const [given, ascii, host, rawHost, port] of cases) {
    const url = new URL(given);
    assert.ok(url.equals(new URL(ascii)), given);
    assert.equal(url.host, host, given);
    assert.equal(url.rawHost, rawHost, given);
    assert.equal(url.port, port, given);
  }
  assert.equal(
    new URL("https://xn--fiqs8s.icom.museum/").host,
    "中国.icom.museum",
  );
  // As in HTTPX, only a host that starts with xn-- is shown decoded.
  assert.equal(
    new URL("http://www.xn--fiqs8s.icom.museum/").host,
    "www.xn--fiqs8s.icom.museum",
  );
  assert.equal(new URL("http://münchen.de/").rawHost, "xn--mnchen-3ya.de");
  assertInvalid(
    () => new URL("https://☃.com/"),
    "Invalid IDNA hostname: '☃.com'",
  );
  assert.throws(() => new URL("https://😇/"), InvalidURL);
});

Deno.test("URL: ports", () => {
  assert.equal(new URL("https://example.com:123/").port, 123);
  assert.equal(new URL("https://example.com:443/").port, null);
  assert.equal(new URL("http://example.com:80/").port, null);
  // HTTPX looks the default port up under the scheme as written.
  assert.equal(new URL("HTTPS://example.com:443/").port, 443);
  assert.equal(
    new URL("HTTPS://example.com:443/").toString(),
    "https://example.com:443/",
  );
  assert.equal(new URL("ws://x:80/").port, null);
  assert.equal(new URL("wss://x:443/").port, null);
  assert.equal(new URL("ftp://x:21/").port, null);
  assert.equal(new URL("http://example.com:443/").port, 443);
  assert.equal(new URL("http://x:/").port, null);
  assert.ok(new URL("http://example.com").equals("http://example.com:80"));
  assertInvalid(
    () => new URL("https://example.com:abc/"),
    "Invalid port: 'abc'",
  );
  assertInvalid(() => new URL("http://a:b:c/"), "Invalid port: 'b:c'");
  // Any integer Python's int() reads, no range check (as HTTPX).
  assert.equal(new URL("http://x:123456/").port, 123456);
  assert.equal(new URL("http://x:-1/").toString(), "http://x:-1/");
  assert.equal(new URL("http://x:+8_0/").port, null);
  assert.equal(new URL("http://x:0081/").port, 81);
  assertInvalid(() => new URL("http://x:8.0/"), "Invalid port: '8.0'");
});

Deno.test("URL: dot segments are removed from absolute URLs", () => {
  assert.equal(
    new URL("https://example.com/abc/def/../ghi/./jkl").path,
    "/abc/ghi/jkl",
  );
  assert.equal(new URL("http://x/a/.").toString(), "http://x/a");
  assert.equal(new URL("http://x/a/b/..").toString(), "http://x/a");
  assert.equal(new URL("http://x/a/./").toString(), "http://x/a/");
  assert.equal(new URL("http://x/..").toString(), "http://x");
  assert.equal(new URL("http://x/a/b/../../../c").toString(), "http://x/c");
  assert.equal(
    new URL("http://x/a/%2e%2e/b").toString(),
    "http://x/a/%2e%2e/b",
  );
});

Deno.test("URL: URLs without a host parse, as in HTTPX", () => {
  // The client refuses to send them (LocalProtocolError).
  assert.equal(new URL("http://").toString(), "http:");
  assert.equal(new URL("https://:443/").toString(), "https:/");
  assert.equal(new URL("http:///path").rawPath, "/path");
  assert.equal(new URL("http:foo").path, "foo");
  assert.ok(new URL("http:///path").isRelativeUrl);
  // A host supplied in the options fills the gap.
  const url = new URL("https://:443/", { host: "example.org" });
  assert.equal(url.toString(), "https://example.org/");
  // Other schemes may have no host.
  assert.equal(new URL("file:///etc/passwd").toString(), "file:/etc/passwd");
  assert.equal(new URL("unix:/tmp/sock").path, "/tmp/sock");
  assert.equal(
    new URL("mailto:someone@example.com").path,
    "someone@example.com",
  );
});

Deno.test("URL: invalid input", () => {
  assertInvalid(
    () => new URL("https://www.example.com/" + "x".repeat(100_000)),
    "URL too long",
  );
  assertInvalid(
    () =>
      new URL("https://www.example.com", { path: "/" + "x".repeat(100_000) }),
    "URL component 'path' too long",
  );
  assertInvalid(
    () => new URL("https://www.example.com/\n"),
    "Invalid non-printable ASCII character in URL, '\\n' at position 24",
  );
  assertInvalid(
    () => new URL("http://x\ty/"),
    "Invalid non-printable ASCII character in URL, '\\t' at position 8",
  );
  assertInvalid(
    () => new URL("http://x/\x7f"),
    "Invalid non-printable ASCII character in URL, '\\x7f' at position 9",
  );
  assertInvalid(
    () => new URL("https://www.example.com", { path: "/\n" }),
    "Invalid non-printable ASCII character in URL path component, '\\n' at position 1",
  );
  // CVE-2021-41945: no smuggling of delimiters through components.
  assert.throws(
    () => new URL("https://u:p@[invalid!]//evilHost/path?t=w#tw"),
    InvalidURL,
  );
  const url = new URL("https://example.com/path?t=w#tw");
  assertInvalid(
    () =>
      url.copyWith({ scheme: "https://xxxx:xxxx@xxxxxxx/xxxxx/xxx?x=x#xxxxx" }),
    "Invalid URL component 'scheme'",
  );
  assertInvalid(
    () => url.copyWith({ path: "/a?b" }),
    "Invalid URL component 'path'",
  );
  assertInvalid(
    () => url.copyWith({ host: "a:b" }),
    "Invalid IPv6 address: '[a:b]'",
  );
});

Deno.test("URL: invalid types raise TypeError", () => {
  assert.throws(() => new URL(123 as unknown as string), TypeError);
  assert.throws(() => new URL(null as unknown as string), TypeError);
  assert.throws(
    () =>
      new URL("", {
        scheme: "https",
        host: "www.example.com",
        incorrect: "/",
      } as unknown as Record<string, string>),
    {
      name: "TypeError",
      message: "'incorrect' is an invalid keyword argument for URL()",
    },
  );
  assert.throws(
    () => new URL("https://x/", { port: "80" as unknown as number }),
    { name: "TypeError", message: "Argument 'port' must be int but got str" },
  );
});

Deno.test("URL: built from components only", () => {
  const url = new URL("", {
    scheme: "https",
    host: "www.example.com",
    path: "/",
  });
  assert.equal(url.scheme, "https");
  assert.equal(url.host, "www.example.com");
  assert.equal(url.port, null);
  assert.equal(url.path, "/");
  assert.equal(url.toString(), "https://www.example.com/");

  assertInvalid(
    () => new URL("", { scheme: "~", host: "www.example.com", path: "/" }),
    "Invalid URL component 'scheme'",
  );
  assertInvalid(
    () =>
      new URL("", { scheme: "https", host: "www.example.com", path: "abc" }),
    "For absolute URLs, path must be empty or begin with '/'",
  );
  assertInvalid(
    () => new URL("", { path: "//abc" }),
    "Relative URLs cannot have a path starting with '//'",
  );
  assertInvalid(
    () => new URL("", { path: ":abc" }),
    "Relative URLs cannot have a path starting with ':'",
  );
  assert.equal(new URL("", { path: "abc" }).path, "abc");
});

Deno.test("URL: equality", () => {
  const url = new URL(
    "https://example.org:123/path/to/somewhere?abc=123#anchor",
  );
  assert.ok(
    url.equals("https://example.org:123/path/to/somewhere?abc=123#anchor"),
  );
  assert.ok(url.equals(new URL(url.toString())));
  assert.ok(!url.equals("https://example.org:123/path/to/somewhere"));
  assert.ok(!url.equals("http://"));
  assert.ok(!url.equals("http://[::1"));
  assert.ok(!url.equals(42 as unknown as string));
  assert.ok(
    new URL("http://Example.COM:80/a/../b").equals("http://example.com/b"),
  );
  // The default port is only dropped under a lower-case scheme (HTTPX).
  assert.ok(
    !new URL("HTTP://Example.COM:80/a/../b").equals("http://example.com/b"),
  );
});

Deno.test("URL: web URL input", () => {
  const url = new URL(new globalThis.URL("https://example.org/a?b=1"));
  assert.equal(url.toString(), "https://example.org/a?b=1");
  const copy = new URL(url);
  assert.equal(copy.toString(), url.toString());
  assert.notEqual(copy, url);
});

Deno.test("URL: join", () => {
  const url = new URL("https://example.org:123/path/to/somewhere");
  assert.equal(
    url.join("/somewhere-else").toString(),
    "https://example.org:123/somewhere-else",
  );
  assert.equal(
    url.join("somewhere-else").toString(),
    "https://example.org:123/path/to/somewhere-else",
  );
  assert.equal(
    url.join("../somewhere-else").toString(),
    "https://example.org:123/path/somewhere-else",
  );
  assert.equal(
    url.join("../../somewhere-else").toString(),
    "https://example.org:123/somewhere-else",
  );
  assert.equal(url.join(new URL("/x")).toString(), "https://example.org:123/x");

  const relative = new URL("/path/to/somewhere");
  assert.equal(relative.join("/somewhere-else").toString(), "/somewhere-else");
  assert.equal(
    relative.join("somewhere-else").toString(),
    "/path/to/somewhere-else",
  );
  assert.equal(
    relative.join("../somewhere-else").toString(),
    "/path/somewhere-else",
  );
  assert.equal(
    relative.join("../../somewhere-else").toString(),
    "/somewhere-else",
  );

  // https://github.com/encode/httpx/issues/1833
  assert.equal(
    new URL("https://example.com/?[]").join("/").toString(),
    "https://example.com/",
  );
  // Characters needing it are encoded in the reference.
  assert.equal(
    new URL("https://example.org").join("a b").toString(),
    "https://example.org/a%20b",
  );
  assert.equal(
    new URL("https://example.org").join("?x").toString(),
    "https://example.org?x",
  );
});

Deno.test("URL: join follows the RFC 3986 §5.4 examples", () => {
  const base = new URL("http://example.com/b/c/d;p?q");
  const expected: Record<string, string> = {
    "g": "http://example.com/b/c/g",
    "./g": "http://example.com/b/c/g",
    "g/": "http://example.com/b/c/g/",
    "/g": "http://example.com/g",
    "//g": "http://g",
    "?y": "http://example.com/b/c/d;p?y",
    "g?y": "http://example.com/b/c/g?y",
    "#s": "http://example.com/b/c/d;p?q#s",
    "g#s": "http://example.com/b/c/g#s",
    "g?y#s": "http://example.com/b/c/g?y#s",
    ";x": "http://example.com/b/c/;x",
    "g;x": "http://example.com/b/c/g;x",
    "g;x?y#s": "http://example.com/b/c/g;x?y#s",
    "": "http://example.com/b/c/d;p?q",
    ".": "http://example.com/b/c/",
    "./": "http://example.com/b/c/",
    "..": "http://example.com/b/",
    "../": "http://example.com/b/",
    "../g": "http://example.com/b/g",
    "../..": "http://example.com/",
    "../../": "http://example.com/",
    "../../g": "http://example.com/g",
    "../../../g": "http://example.com/g",
    "../../../../g": "http://example.com/g",
    "/./g": "http://example.com/g",
    "/../g": "http://example.com/g",
    "g.": "http://example.com/b/c/g.",
    ".g": "http://example.com/b/c/.g",
    "g..": "http://example.com/b/c/g..",
    "..g": "http://example.com/b/c/..g",
    "./../g": "http://example.com/b/g",
    "./g/.": "http://example.com/b/c/g/",
    "g/./h": "http://example.com/b/c/g/h",
    "g/../h": "http://example.com/b/c/h",
    "g;x=1/./y": "http://example.com/b/c/g;x=1/y",
    "g;x=1/../y": "http://example.com/b/c/y",
    "g?y/./x": "http://example.com/b/c/g?y/./x",
    "g?y/../x": "http://example.com/b/c/g?y/../x",
    "g#s/./x": "http://example.com/b/c/g#s/./x",
    "g#s/../x": "http://example.com/b/c/g#s/../x",
    // Non-strict, as Python's urljoin: same scheme without a host is relative.
    "http:g": "http://example.com/b/c/g",
    "https://other/x/../y": "https://other/y",
    "//g/a/../b": "http://g/b",
    "g/..": "http://example.com/b/c/",
    "g/.": "http://example.com/b/c/g/",
  };
  for (const [reference, result] of Object.entries(expected)) {
    assert.equal(base.join(reference).toString(), result, reference);
  }
});

Deno.test("URL: copyWith", () => {
  let url = new URL("https://www.example.com/");
  url = url.copyWith();
  assert.equal(url.toString(), "https://www.example.com/");
  url = url.copyWith({ scheme: "http" });
  assert.equal(url.toString(), "http://www.example.com/");
  url = url.copyWith({ netloc: new TextEncoder().encode("example.com") });
  assert.equal(url.toString(), "http://example.com/");
  url = url.copyWith({ path: "/abc" });
  assert.equal(url.toString(), "http://example.com/abc");
  url = url.copyWith({ fragment: "top" });
  assert.equal(url.toString(), "http://example.com/abc#top");
  url = url.copyWith({ fragment: null, port: 8080 });
  assert.equal(url.toString(), "http://example.com:8080/abc");
  url = url.copyWith({ port: null });
  assert.equal(url.toString(), "http://example.com/abc");

  assert.equal(
    new URL("https://example.org").copyWith({
      username: "username",
      password: "password",
      port: 444,
      host: "example.net",
    }).toString(),
    "https://username:password@example.net:444",
  );
  assert.equal(
    new URL("https://example.org").copyWith({ netloc: "example.net:444" })
      .toString(),
    "https://example.net:444",
  );
  assert.equal(
    new URL("https://example.org").copyWith({ netloc: "[::1]:444" }).toString(),
    "https://[::1]:444",
  );
});

Deno.test("URL: copyWith encodes username and password", () => {
  const url = new URL("https://example.org").copyWith({
    username: "tom@example.org",
    password: "abc123@ %",
  });
  assert.equal(
    url.toString(),
    "https://tom%40example.org:abc123%40%20%@example.org",
  );
  assert.equal(url.username, "tom@example.org");
  assert.equal(url.password, "abc123@ %");
  assert.equal(text(url.userinfo), "tom%40example.org:abc123%40%20%");
  assert.equal(
    new URL("https://example.com").copyWith({
      username: "jo@gmail.com",
      password: "a secret",
    }).toString(),
    "https://jo%40gmail.com:a%20secret@example.com",
  );
  assert.equal(
    new URL("https://a:b@example.com").copyWith({ userinfo: null }).toString(),
    "https://example.com",
  );
});

Deno.test("URL: copyWith path, query and rawPath", () => {
  let url = new URL("https://example.org").copyWith({
    path: "/path to somewhere",
  });
  assert.equal(url.path, "/path to somewhere");
  assert.equal(text(url.query), "");
  assert.equal(url.rawPath, "/path%20to%20somewhere");

  url = new URL("https://example.org").copyWith({
    query: new TextEncoder().encode("a=123"),
  });
  assert.equal(url.path, "/");
  assert.equal(text(url.query), "a=123");
  assert.equal(url.rawPath, "/?a=123");
  assert.equal(url.copyWith({ query: null }).rawPath, "/");

  for (
    const [rawPath, path, query] of [
      ["/some/path", "/some/path", ""],
      ["/some/path?", "/some/path", ""],
      ["/some/path?a=123", "/some/path", "a=123"],
    ]
  ) {
    url = new URL("https://example.org").copyWith({ rawPath });
    assert.equal(url.path, path);
    assert.equal(text(url.query), query);
    assert.equal(url.rawPath, rawPath);
  }
});

Deno.test("URL: query parameter helpers", () => {
  const url = new URL("https://example.org:123/?a=123");
  assert.equal(
    url.copySetParam("a", "456").toString(),
    "https://example.org:123/?a=456",
  );
  assert.equal(
    url.copyAddParam("a", "456").toString(),
    "https://example.org:123/?a=123&a=456",
  );
  assert.equal(url.copyRemoveParam("a").toString(), "https://example.org:123/");
  assert.equal(
    url.copyMergeParams({ b: "456" }).toString(),
    "https://example.org:123/?a=123&b=456",
  );
  assert.equal(
    url.copySetParam("flag", true).toString(),
    "https://example.org:123/?a=123&flag=true",
  );
  // The original is unchanged.
  assert.equal(url.toString(), "https://example.org:123/?a=123");
  assert.deepEqual(url.params.multiItems(), [["a", "123"]]);
});

Deno.test("URL: join follows HTTPX (Python's urljoin) quirks", () => {
  // [base, reference, result], verified against HTTPX 0.28.
  const cases: Array<[string, string, string]> = [
    [
      "https://example.com/a/b?x=1#frag",
      "",
      "https://example.com/a/b?x=1#frag",
    ],
    ["https://example.com/a/b?x=1#frag", "?", "https://example.com/a/b?x=1"],
    ["https://example.com/a/b?x=1#frag", "#", "https://example.com/a/b?x=1"],
    [
      "https://example.com/a/b?x=1#frag",
      "//",
      "https://example.com/a/b?x=1#frag",
    ],
    ["custom://host/a/b", "c", "c"],
    ["custom://host/a/b", "/c", "/c"],
    ["relative/base", "../x", "x"],
    ["http://a/b/c", "x//y", "http://a/b/x/y"],
    ["http://a/b/c/d;p?q", "g;x?y#s", "http://a/b/c/g;x?y#s"],
    ["http://a/b/c/d;p?q", "../../../g", "http://a/g"],
    ["http://a/b/c/d;p?q", "http:g", "http://a/b/c/g"],
  ];
  for (const [base, ref, expected] of cases) {
    assert.equal(
      new URL(base).join(ref).toString(),
      expected,
      `${base} + ${ref}`,
    );
  }
});
