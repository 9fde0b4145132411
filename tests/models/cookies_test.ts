import assert from "node:assert/strict";
import { CookieConflict } from "../../src/errors.ts";
import { CookieJar, Cookies } from "../../src/models/cookies.ts";
import { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";

function responseFor(
  url: string,
  setCookies: string[],
  method = "GET",
): Response {
  return new Response(200, {
    request: new Request(method, url),
    headers: setCookies.map((value): [string, string] => ["Set-Cookie", value]),
  });
}

function cookieHeader(cookies: Cookies, url: string): string | undefined {
  const request = new Request("GET", url);
  cookies.setCookieHeader(request);
  return request.headers.get("cookie");
}

Deno.test("Cookies: mapping operations", () => {
  const cookies = new Cookies({ name: "value" });
  assert.equal(cookies.get("name"), "value");
  assert.equal(cookies.has("name"), true);
  assert.equal(cookies.size, 1);
  assert.deepEqual(Object.fromEntries(cookies), { name: "value" });
  assert.deepEqual([...cookies.keys()], ["name"]);
  assert.deepEqual([...cookies.values()], ["value"]);
  assert.deepEqual([...cookies.entries()], [["name", "value"]]);

  assert.equal(cookies.delete("name"), true);
  assert.equal(cookies.delete("name"), false);
  assert.equal(cookies.has("name"), false);
  assert.equal(cookies.get("name"), undefined);
  assert.equal(cookies.size, 0);
  assert.deepEqual(Object.fromEntries(cookies), {});
});

Deno.test("Cookies: built from pairs, a record, another Cookies or a jar", () => {
  const pairs = new Cookies([["name1", "val1"], ["name2", "val2"]]);
  assert.equal(pairs.size, 2);
  assert.equal(pairs.get("name1"), "val1");
  assert.equal(pairs.get("name2"), "val2");

  const copy = new Cookies(pairs);
  copy.set("name1", "changed");
  assert.equal(pairs.get("name1"), "val1");
  assert.equal(copy.get("name1"), "changed");

  const jar = new CookieJar();
  const shared = new Cookies(jar);
  shared.set("a", "1");
  assert.equal(shared.jar, jar);
  assert.equal(new Cookies(jar).get("a"), "1");
});

Deno.test("Cookies: set replaces the cookie with the same name, domain and path", () => {
  const cookies = new Cookies();
  cookies.set("a", "1");
  cookies.set("a", "2");
  assert.equal(cookies.size, 1);
  assert.equal(cookies.get("a"), "2");
  cookies.set("a", "3", { path: "/sub" });
  assert.equal(cookies.size, 2);
});

Deno.test("Cookies: update keeps domains and paths", () => {
  const cookies = new Cookies();
  const more = new Cookies();
  more.set("name", "value", { domain: "example.com" });
  cookies.update(more);
  assert.deepEqual(Object.fromEntries(cookies), { name: "value" });
  assert.equal(cookies.get("name", { domain: "example.com" }), "value");
  assert.equal(cookies.get("name", { domain: "example.org" }), undefined);
  cookies.update({ other: "x" });
  cookies.update([["third", "y"]]);
  assert.deepEqual([...cookies.keys()], ["name", "other", "third"]);
});

Deno.test("Cookies: the same name on two domains is a CookieConflict", () => {
  const cookies = new Cookies();
  cookies.set("name", "value", { domain: "example.com" });
  cookies.set("name", "value", { domain: "example.org" });
  assert.throws(() => cookies.get("name"), {
    name: "CookieConflict",
    message: "Multiple cookies exist with name=name",
  });
  assert.throws(() => cookies.get("name"), CookieConflict);
  assert.equal(cookies.get("name", { domain: "example.org" }), "value");
  // A leading dot and case do not matter when selecting by domain.
  assert.equal(cookies.get("name", { domain: ".Example.ORG" }), "value");
  assert.equal(cookies.has("name"), true);
  cookies.clear({ domain: "example.com" });
  assert.equal(cookies.size, 1);
  assert.equal(cookies.get("name"), "value");
});

Deno.test("Cookies: clear and delete by domain and path", () => {
  const cookies = new Cookies();
  cookies.set("name", "value", { domain: "example.com", path: "/subpath/1" });
  cookies.set("name", "value", { domain: "example.com", path: "/subpath/2" });
  cookies.set("keep", "value", { domain: "example.org" });
  cookies.clear({ domain: "example.com", path: "/subpath/1" });
  assert.equal(cookies.size, 2);
  assert.equal(
    cookies.delete("name", { domain: "example.com", path: "/nope" }),
    false,
  );
  assert.equal(
    cookies.delete("name", { domain: "example.com", path: "/subpath/2" }),
    true,
  );
  assert.deepEqual([...cookies.keys()], ["keep"]);
  cookies.clear();
  assert.equal(cookies.size, 0);
});

Deno.test("Cookies: several Set-Cookie headers of one response", () => {
  const response = responseFor("https://www.example.org", [
    "1P_JAR=2020-08-09-18; expires=Tue, 08-Sep-2099 18:33:35 GMT; " +
    "path=/; domain=.example.org; Secure",
    "NID=204=KWdXOuypc86YvRfBSiWoW1dEXfSl_5qI7sxZY4umlk4J35yNTeNEkw15; expires=Mon, " +
    "08-Feb-2099 18:33:35 GMT; path=/; domain=.example.org; HttpOnly",
  ]);
  const cookies = new Cookies();
  cookies.extractCookies(response);
  assert.equal(cookies.size, 2);
  assert.equal(
    cookies.get("NID"),
    "204=KWdXOuypc86YvRfBSiWoW1dEXfSl_5qI7sxZY4umlk4J35yNTeNEkw15",
  );
  const [jar, nid] = cookies.jar.cookies;
  assert.equal(jar.expires, Date.UTC(2099, 8, 8, 18, 33, 35));
  assert.equal(jar.secure, true);
  assert.equal(nid.httpOnly, true);
  assert.equal(nid.domain, "example.org");
  // response.cookies reads the same headers.
  assert.equal(response.cookies.size, 2);
});

Deno.test("Cookies: toString as HTTPX's repr", () => {
  const cookies = new Cookies();
  cookies.set("foo", "bar", { domain: "http://blah.com" });
  cookies.set("fizz", "buzz", { domain: "http://hello.com" });
  assert.equal(
    cookies.toString(),
    "<Cookies[<Cookie foo=bar for http://blah.com />, " +
      "<Cookie fizz=buzz for http://hello.com />]>",
  );
  assert.equal(Deno.inspect(new Cookies()), "<Cookies[]>");
});

Deno.test("setCookieHeader: cookies set by hand without a domain go to every host", () => {
  const cookies = new Cookies({ a: "1" });
  assert.equal(cookieHeader(cookies, "https://example.org/"), "a=1");
  assert.equal(cookieHeader(cookies, "http://another.test/deep/path"), "a=1");
  cookies.set("scoped", "2", { domain: "example.org" });
  assert.equal(cookieHeader(cookies, "https://example.org/"), "a=1; scoped=2");
  assert.equal(
    cookieHeader(cookies, "https://www.example.org/"),
    "a=1; scoped=2",
  );
  assert.equal(cookieHeader(cookies, "https://example.com/"), "a=1");
  cookies.set("pathed", "3", { path: "/api" });
  assert.equal(cookieHeader(cookies, "https://x.test/api/v1"), "pathed=3; a=1");
});

Deno.test("setCookieHeader: leaves an existing Cookie header alone", () => {
  const cookies = new Cookies({ a: "1" });
  const request = new Request("GET", "https://example.org/", {
    headers: { Cookie: "mine=x" },
  });
  cookies.setCookieHeader(request);
  assert.deepEqual(request.headers.getList("cookie"), ["mine=x"]);
  // No matching cookie: no header at all.
  const empty = new Request("GET", "https://example.org/");
  new Cookies().setCookieHeader(empty);
  assert.equal(empty.headers.has("cookie"), false);
});

Deno.test("extractCookies: host-only cookies stay on their host (RFC 6265)", () => {
  const cookies = new Cookies();
  cookies.extractCookies(responseFor("https://example.com/login", ["sid=abc"]));
  assert.equal(cookieHeader(cookies, "https://example.com/"), "sid=abc");
  assert.equal(cookieHeader(cookies, "https://sub.example.com/"), undefined);
  assert.equal(cookieHeader(cookies, "https://example.net/"), undefined);
});

Deno.test("extractCookies: domain cookies, TLD refusal, Secure, paths", () => {
  const cookies = new Cookies();
  cookies.extractCookies(
    responseFor("https://www.example.com/app/page", [
      "wide=1; Domain=example.com; Path=/",
      "tld=2; Domain=com",
      "elsewhere=3; Domain=example.org",
      "sec=4; Secure; Path=/",
      "local=5",
    ]),
  );
  assert.deepEqual([...cookies.keys()].sort(), ["local", "sec", "wide"]);
  assert.equal(
    cookieHeader(cookies, "https://www.example.com/app/x"),
    "local=5; wide=1; sec=4",
  );
  assert.equal(cookieHeader(cookies, "http://www.example.com/"), "wide=1");
  assert.equal(cookieHeader(cookies, "https://api.example.com/"), "wide=1");
});

Deno.test("extractCookies: Max-Age beats Expires and expiry deletes", () => {
  let now = Date.UTC(2024, 0, 1);
  const cookies = new Cookies(new CookieJar({ now: () => now }));
  cookies.extractCookies(
    responseFor("https://example.com/", [
      "short=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=10",
      "long=2; Max-Age=3600",
      "session=3",
    ]),
  );
  assert.equal(cookies.size, 3);
  now += 11_000;
  assert.deepEqual([...cookies.keys()], ["long", "session"]);
  assert.equal(cookies.get("short"), undefined);
  cookies.extractCookies(
    responseFor("https://example.com/", [
      "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]),
  );
  assert.deepEqual([...cookies.keys()], ["long"]);
  now += 3600_000;
  assert.equal(cookies.size, 0);
  assert.equal(cookieHeader(cookies, "https://example.com/"), undefined);
});

Deno.test("extractCookies: a request can be given instead of response.request", () => {
  const cookies = new Cookies();
  const response = new Response(401, {
    headers: [["Set-Cookie", "a=1"]],
  });
  cookies.extractCookies(response, new Request("GET", "https://example.org/"));
  assert.equal(cookieHeader(cookies, "https://example.org/"), "a=1");
});
