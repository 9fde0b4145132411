import assert from "node:assert/strict";
import {
  CookieJar,
  type CookieURL,
  defaultPath,
  domainMatch,
  parseCookieDate,
  pathMatch,
} from "../../src/models/_cookie_jar.ts";

function url(text: string): CookieURL {
  const parsed = new globalThis.URL(text);
  return {
    scheme: parsed.protocol.slice(0, -1),
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    path: parsed.pathname + parsed.search,
  };
}

function clock(start = Date.UTC(2024, 0, 1)): {
  now: () => number;
  advance: (seconds: number) => void;
} {
  let time = start;
  return {
    now: () => time,
    advance: (seconds) => {
      time += seconds * 1000;
    },
  };
}

Deno.test("cookie date: the three HTTP date forms", () => {
  const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
  assert.equal(parseCookieDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  assert.equal(parseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  assert.equal(parseCookieDate("Sun Nov  6 08:49:37 1994"), expected);
});

Deno.test("cookie date: lenient forms RFC 6265 §5.1.1 accepts", () => {
  assert.equal(
    parseCookieDate("Thu, 01-Jan-1970 00:00:01 GMT"),
    1000,
  );
  // Two-digit years: 70-99 → 19xx, 00-69 → 20xx.
  assert.equal(
    parseCookieDate("Wed, 09 Jun 21 10:18:14 GMT"),
    Date.UTC(2021, 5, 9, 10, 18, 14),
  );
  assert.equal(
    parseCookieDate("09 jun 1970 1:2:3"),
    Date.UTC(1970, 5, 9, 1, 2, 3),
  );
  // Month names are matched on their first three letters, any case.
  assert.equal(
    parseCookieDate("9 JUNE 2030 23:59:59"),
    Date.UTC(2030, 5, 9, 23, 59, 59),
  );
  // Tokens may carry trailing junk after the digits.
  assert.equal(
    parseCookieDate("Fri, 31 Dec 9999 23:59:59Z GMT"),
    Date.UTC(9999, 11, 31, 23, 59, 59),
  );
});

Deno.test("cookie date: invalid dates are refused", () => {
  for (
    const text of [
      "",
      "tomorrow",
      "Sun, 06 Nov 1994", // no time
      "Sun, 06 1994 08:49:37 GMT", // no month
      "Sun, 32 Nov 1994 08:49:37 GMT", // day out of range
      "Sun, 06 Nov 1994 24:00:00 GMT", // hour out of range
      "Sun, 06 Nov 1994 08:60:00 GMT", // minute out of range
      "Sun, 06 Nov 1994 08:00:60 GMT", // second out of range
      "Sun, 06 Nov 1600 08:49:37 GMT", // before 1601
      "Fri, 30 Feb 2024 08:49:37 GMT", // no such day
    ]
  ) {
    assert.equal(parseCookieDate(text), undefined, text);
  }
});

Deno.test("domain, path and default-path matching", () => {
  assert.ok(domainMatch("example.com", "example.com"));
  assert.ok(domainMatch("www.example.com", "example.com"));
  assert.ok(!domainMatch("badexample.com", "example.com"));
  assert.ok(!domainMatch("example.com", "www.example.com"));
  assert.ok(domainMatch("1.2.3.4", "1.2.3.4"));
  assert.ok(!domainMatch("1.2.3.4", "2.3.4"));

  assert.ok(pathMatch("/", "/"));
  assert.ok(pathMatch("/docs", "/docs"));
  assert.ok(pathMatch("/docs/", "/docs"));
  assert.ok(pathMatch("/docs/web", "/docs"));
  assert.ok(pathMatch("/docs/web", "/docs/"));
  assert.ok(!pathMatch("/docsets", "/docs"));
  assert.ok(!pathMatch("/", "/docs"));

  assert.equal(defaultPath(""), "/");
  assert.equal(defaultPath("/"), "/");
  assert.equal(defaultPath("/a"), "/");
  assert.equal(defaultPath("/a/b"), "/a");
  assert.equal(defaultPath("/a/b/"), "/a/b");
  assert.equal(defaultPath("no-slash"), "/");
});

Deno.test("host-only cookie: sent to the host, not to subdomains", () => {
  const jar = new CookieJar();
  assert.ok(jar.setFromHeader("a=1", url("http://example.com/")));
  assert.equal(jar.cookieHeader(url("http://example.com/")), "a=1");
  assert.equal(jar.cookieHeader(url("http://www.example.com/")), undefined);
  assert.equal(jar.cookieHeader(url("http://other.com/")), undefined);
  const [record] = jar.cookies;
  assert.equal(record.domain, "example.com");
  assert.equal(record.hostOnly, true);
});

Deno.test("domain cookie: sent to the domain and its subdomains", () => {
  const jar = new CookieJar();
  jar.setFromHeader("a=1; Domain=.Example.COM", url("http://www.example.com/"));
  assert.equal(jar.cookieHeader(url("http://example.com/")), "a=1");
  assert.equal(jar.cookieHeader(url("http://deep.www.example.com/")), "a=1");
  assert.equal(jar.cookieHeader(url("http://badexample.com/")), undefined);
  const [record] = jar.cookies;
  assert.equal(record.domain, "example.com");
  assert.equal(record.hostOnly, false);

  // Domain naming the host itself also covers its subdomains.
  const own = new CookieJar();
  own.setFromHeader("b=2; Domain=example.com", url("http://example.com/"));
  assert.equal(own.cookieHeader(url("http://sub.example.com/")), "b=2");
});

Deno.test("domain attribute that does not cover the host is refused", () => {
  const jar = new CookieJar();
  assert.equal(
    jar.setFromHeader("a=1; Domain=other.com", url("http://example.com/")),
    false,
  );
  assert.equal(
    jar.setFromHeader(
      "a=1; Domain=www.example.com",
      url("http://example.com/"),
    ),
    false,
  );
  assert.equal(jar.cookies.length, 0);
});

Deno.test("a bare top-level domain is refused", () => {
  const jar = new CookieJar();
  assert.equal(
    jar.setFromHeader("a=1; Domain=com", url("http://example.com/")),
    false,
  );
  assert.equal(
    jar.setFromHeader("a=1; Domain=.com", url("http://example.com/")),
    false,
  );
  assert.equal(jar.cookies.length, 0);
  // A single-label host may name itself; the cookie stays host-only.
  assert.ok(
    jar.setFromHeader("b=2; Domain=localhost", url("http://localhost/")),
  );
  assert.equal(jar.cookies[0].hostOnly, true);
  assert.equal(jar.cookieHeader(url("http://localhost/")), "b=2");
  assert.equal(jar.cookieHeader(url("http://x.localhost/")), undefined);
});

Deno.test("IP hosts: only host-only cookies", () => {
  const jar = new CookieJar();
  assert.ok(jar.setFromHeader("a=1", url("http://192.168.0.1/")));
  assert.ok(
    jar.setFromHeader("b=2; Domain=192.168.0.1", url("http://192.168.0.1/")),
  );
  assert.equal(
    jar.setFromHeader("c=3; Domain=168.0.1", url("http://192.168.0.1/")),
    false,
  );
  assert.ok(jar.cookies.every((record) => record.hostOnly));
  assert.equal(jar.cookieHeader(url("http://192.168.0.1/")), "a=1; b=2");
  assert.equal(jar.cookieHeader(url("http://192.168.0.2/")), undefined);
  jar.setFromHeader("v6=1", url("http://[::1]:8000/"));
  assert.equal(jar.cookieHeader(url("http://[::1]/")), "v6=1");
});

Deno.test("path: explicit, default from the request, and matching", () => {
  const jar = new CookieJar();
  jar.setFromHeader("a=1; Path=/docs", url("http://example.com/"));
  jar.setFromHeader("b=2", url("http://example.com/shop/cart?x=/y"));
  jar.setFromHeader("c=3; Path=relative", url("http://example.com/x/y"));
  const paths = Object.fromEntries(
    jar.cookies.map((record) => [record.name, record.path]),
  );
  assert.deepEqual(paths, { a: "/docs", b: "/shop", c: "/x" });
  assert.equal(jar.cookieHeader(url("http://example.com/")), undefined);
  assert.equal(jar.cookieHeader(url("http://example.com/docs")), "a=1");
  assert.equal(jar.cookieHeader(url("http://example.com/docs/a")), "a=1");
  assert.equal(jar.cookieHeader(url("http://example.com/docsets")), undefined);
  assert.equal(jar.cookieHeader(url("http://example.com/shop?q")), "b=2");
});

Deno.test("Secure cookies go only over https", () => {
  const jar = new CookieJar();
  jar.setFromHeader("s=1; Secure", url("https://example.com/"));
  jar.setFromHeader("p=2", url("https://example.com/"));
  assert.equal(jar.cookieHeader(url("https://example.com/")), "s=1; p=2");
  assert.equal(jar.cookieHeader(url("http://example.com/")), "p=2");
  assert.equal(jar.cookieHeader(url("wss://example.com/")), "s=1; p=2");
});

Deno.test("HttpOnly and SameSite are kept", () => {
  const jar = new CookieJar();
  jar.setFromHeader(
    "a=1; HttpOnly; SameSite=Lax; Secure",
    url("https://example.com/"),
  );
  const [record] = jar.cookies;
  assert.equal(record.httpOnly, true);
  assert.equal(record.sameSite, "Lax");
  assert.equal(record.secure, true);
  assert.equal(record.expires, null);
});

Deno.test("Max-Age sets the expiry and wins over Expires", () => {
  const time = clock();
  const jar = new CookieJar({ now: time.now });
  jar.setFromHeader(
    "a=1; Max-Age=60; Expires=Thu, 01 Jan 2099 00:00:00 GMT",
    url("http://example.com/"),
  );
  // Order does not matter: Max-Age still wins.
  jar.setFromHeader(
    "b=2; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=120",
    url("http://example.com/"),
  );
  jar.setFromHeader(
    "c=3; Expires=Mon, 01 Jan 2024 00:10:00 GMT",
    url("http://example.com/"),
  );
  jar.setFromHeader("d=4; Max-Age=junk", url("http://example.com/"));
  const expiry = Object.fromEntries(
    jar.cookies.map((record) => [record.name, record.expires]),
  );
  assert.deepEqual(expiry, {
    a: time.now() + 60_000,
    b: time.now() + 120_000,
    c: Date.UTC(2024, 0, 1, 0, 10),
    d: null,
  });
  assert.equal(
    jar.cookieHeader(url("http://example.com/")),
    "a=1; b=2; c=3; d=4",
  );
  time.advance(61);
  assert.equal(jar.cookieHeader(url("http://example.com/")), "b=2; c=3; d=4");
  time.advance(60);
  assert.equal(jar.cookieHeader(url("http://example.com/")), "c=3; d=4");
  time.advance(600);
  assert.equal(jar.cookieHeader(url("http://example.com/")), "d=4");
  assert.deepEqual(jar.cookies.map((record) => record.name), ["d"]);
});

Deno.test("an expiry in the past deletes the stored cookie", () => {
  const jar = new CookieJar({ now: clock().now });
  const site = url("http://example.com/");
  jar.setFromHeader("a=1", site);
  jar.setFromHeader("b=2", site);
  jar.setFromHeader("c=3", site);
  assert.ok(jar.setFromHeader("a=gone; Max-Age=0", site));
  assert.ok(jar.setFromHeader("b=gone; Max-Age=-5", site));
  assert.ok(
    jar.setFromHeader("c=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT", site),
  );
  assert.equal(jar.cookies.length, 0);
  // Deleting needs the same domain and path.
  jar.setFromHeader("d=1; Path=/x", site);
  jar.setFromHeader("d=; Max-Age=0", site);
  assert.deepEqual(jar.cookies.map((record) => record.name), ["d"]);
});

Deno.test("a new cookie replaces one with the same name, domain and path", () => {
  const time = clock();
  const jar = new CookieJar({ now: time.now });
  const site = url("http://example.com/");
  jar.setFromHeader("a=1", site);
  time.advance(1);
  jar.setFromHeader("b=2", site);
  time.advance(1);
  jar.setFromHeader("a=3", site);
  const a = jar.cookies.find((record) => record.name === "a");
  // The replacement keeps the creation time, so it still sorts first.
  assert.equal(a?.creationTime, Date.UTC(2024, 0, 1));
  assert.equal(jar.cookieHeader(site), "a=3; b=2");
  assert.equal(jar.cookies.length, 2);
});

Deno.test("Cookie header order: longer paths first, then creation order", () => {
  const jar = new CookieJar({ now: clock().now });
  const site = url("http://example.com/");
  jar.setFromHeader("first=1", site);
  jar.setFromHeader("deep=2; Path=/a/b", site);
  jar.setFromHeader("mid=3; Path=/a", site);
  jar.setFromHeader("second=4", site);
  assert.equal(
    jar.cookieHeader(url("http://example.com/a/b/c")),
    "deep=2; mid=3; first=1; second=4",
  );
});

Deno.test("Set-Cookie syntax: whitespace, empty values, ignored forms", () => {
  const jar = new CookieJar();
  const site = url("http://example.com/");
  assert.ok(jar.setFromHeader("  spaced =  value with space  ; path=/", site));
  assert.ok(jar.setFromHeader("empty=", site));
  assert.ok(jar.setFromHeader('quoted="a b"', site));
  assert.ok(jar.setFromHeader("eq=a=b=c", site));
  assert.equal(jar.setFromHeader("novalue", site), false);
  assert.equal(jar.setFromHeader("=nameless", site), false);
  assert.equal(
    jar.cookieHeader(site),
    'spaced=value with space; empty=; quoted="a b"; eq=a=b=c',
  );
});

Deno.test("attribute names are case-insensitive and the last one wins", () => {
  const jar = new CookieJar();
  jar.setFromHeader(
    "a=1; PATH=/one; path=/two; SECURE; domain=; DOMAIN=example.com",
    url("https://www.example.com/"),
  );
  const [record] = jar.cookies;
  assert.equal(record.path, "/two");
  assert.equal(record.secure, true);
  assert.equal(record.domain, "example.com");
  assert.equal(record.hostOnly, false);
});

Deno.test("an internationalised Domain attribute is compared in ASCII form", () => {
  const jar = new CookieJar();
  assert.ok(
    jar.setFromHeader(
      "a=1; Domain=bücher.example",
      url("http://www.xn--bcher-kva.example/"),
    ),
  );
  assert.equal(jar.cookies[0].domain, "xn--bcher-kva.example");
});
