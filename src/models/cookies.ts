/**
 * {@linkcode Cookies}: HTTPX's cookie collection, over an RFC 6265 jar.
 *
 * @module
 */

import { CookieConflict } from "../errors.ts";
import type { Request } from "./request.ts";
import type { Response } from "./response.ts";
import { CookieJar, type CookieRecord, type CookieURL } from "./_cookie_jar.ts";

export { CookieJar } from "./_cookie_jar.ts";
export type {
  CookieJarOptions,
  CookieRecord,
  CookieURL,
} from "./_cookie_jar.ts";

/**
 * What {@linkcode Cookies} can be built from: another collection, a jar,
 * a record of names and values, or `[name, value]` pairs.
 *
 * @example Cookies from a record or from pairs
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const inits: httpx.CookiesInit[] = [{ a: "1", b: "2" }, [["a", "1"], [
 *   "b",
 *   "2",
 * ]]];
 * for (const init of inits) {
 *   const cookies = new httpx.Cookies(init);
 *   console.assert(cookies.get("b") === "2" && cookies.size === 2);
 * }
 * ```
 */
export type CookiesInit =
  | Cookies
  | CookieJar
  | Record<string, string>
  | Iterable<readonly [string, string]>;

/**
 * Where a cookie set by hand applies, or which cookies to select.
 *
 * @example Two cookies of one name, told apart by domain
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const cookies = new httpx.Cookies();
 * const api: httpx.CookieOptions = { domain: "api.example.org" };
 * cookies.set("token", "a", api);
 * cookies.set("token", "b", { domain: "www.example.org", path: "/app" });
 * console.assert(cookies.get("token", api) === "a");
 * console.assert(cookies.get("token", { path: "/app" }) === "b");
 * ```
 */
export interface CookieOptions {
  /**
   * The domain. When setting, `""` (the default) means every host; when
   * selecting, undefined means any domain. A leading dot is ignored.
   */
  domain?: string;
  /** The path. When setting, `/` by default; when selecting, undefined means any path. */
  path?: string;
}

function normalDomain(domain: string): string {
  return (domain.startsWith(".") ? domain.slice(1) : domain).toLowerCase();
}

function cookieURL(url: Request["url"]): CookieURL {
  const raw: unknown = url.rawPath;
  const path = typeof raw === "string" ? raw : url.path;
  return { scheme: url.scheme, host: url.host, path };
}

function setCookieValues(response: Response): string[] {
  return response.headers.getList("set-cookie");
}

/**
 * A cookie collection: what a client sends and stores, what a response set.
 * Cookies received in `Set-Cookie` follow RFC 6265 (host-only unless
 * `Domain` is given, path matching, `Secure` only over https, expiry with
 * `Max-Age` winning over `Expires`). A cookie set by hand without a domain
 * is sent to every host, as in HTTPX.
 *
 * Map-like: `get`, `has`, `set`, `delete`, `keys()`, `values()`,
 * `entries()`; iterating yields `[name, value]` pairs. Names can repeat
 * when cookies of the same name exist for different domains or paths; then
 * `get` without a domain or path throws {@linkcode CookieConflict}.
 *
 * @example Set cookies and send them
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const cookies = new httpx.Cookies({ session: "abc" });
 * cookies.set("theme", "dark", { domain: "example.org" });
 * console.assert(cookies.get("session") === "abc");
 * console.assert(cookies.size === 2);
 * const transport = new httpx.MockTransport((request) =>
 *   new httpx.Response(200, { text: request.headers.get("cookie") ?? "" })
 * );
 * const client = new httpx.Client({ transport, cookies });
 * const response = await client.get("https://example.org/");
 * console.assert(response.text === "session=abc; theme=dark");
 * ```
 */
export class Cookies implements Iterable<[string, string]> {
  /** The underlying RFC 6265 store, with its list of cookie records. */
  readonly jar: CookieJar;

  /**
   * A new collection (or a view over an existing jar).
   *
   * @param init Cookies to copy, a {@linkcode CookieJar} to use as is, or
   * name/value pairs (set for every host, path `/`).
   */
  constructor(init?: CookiesInit) {
    if (init instanceof CookieJar) {
      this.jar = init;
      return;
    }
    this.jar = new CookieJar();
    if (init !== undefined) this.update(init);
  }

  /**
   * Set a cookie by hand. Without a domain it is sent to every host; with
   * one, to that domain and its subdomains.
   *
   * @param name The cookie name.
   * @param value The cookie value.
   * @param options `domain` (`""`, every host) and `path` (`/`).
   */
  set(name: string, value: string, options: CookieOptions = {}): void {
    const now = this.jar.now();
    this.jar.set({
      name,
      value,
      domain: normalDomain(options.domain ?? ""),
      hostOnly: false,
      path: options.path ?? "/",
      secure: false,
      httpOnly: false,
      expires: null,
      creationTime: now,
      lastAccessTime: now,
    });
  }

  #select(name: string | undefined, options: CookieOptions): CookieRecord[] {
    const domain = options.domain === undefined
      ? undefined
      : normalDomain(options.domain);
    return this.jar.cookies.filter((record) =>
      (name === undefined || record.name === name) &&
      (domain === undefined || record.domain === domain) &&
      (options.path === undefined || record.path === options.path)
    );
  }

  /**
   * The value of the cookie with this name (optionally for one domain and path).
   *
   * @param name The cookie name.
   * @param options Narrow the search to a `domain` and/or `path`.
   * @returns The value, or undefined when there is none.
   * @throws {CookieConflict} When more than one cookie matches.
   */
  get(name: string, options: CookieOptions = {}): string | undefined {
    const found = this.#select(name, options);
    if (found.length > 1) {
      throw new CookieConflict(`Multiple cookies exist with name=${name}`);
    }
    return found[0]?.value;
  }

  /**
   * Whether a cookie with this name exists (optionally for a domain and path).
   *
   * @param name The cookie name.
   * @param options Narrow the search to a `domain` and/or `path`.
   * @returns True when at least one matches.
   */
  has(name: string, options: CookieOptions = {}): boolean {
    return this.#select(name, options).length > 0;
  }

  /**
   * Remove the cookies with this name (optionally only for a domain and path).
   *
   * @param name The cookie name.
   * @param options Narrow the removal to a `domain` and/or `path`.
   * @returns Whether anything was removed.
   */
  delete(name: string, options: CookieOptions = {}): boolean {
    const doomed = new Set(this.#select(name, options).map(identity));
    return this.jar.remove((record) => doomed.has(identity(record))) > 0;
  }

  /**
   * Remove every cookie, or those of a domain (and path).
   *
   * @param options The `domain` and/or `path` to clear.
   */
  clear(options: CookieOptions = {}): void {
    const doomed = new Set(this.#select(undefined, options).map(identity));
    this.jar.remove((record) => doomed.has(identity(record)));
  }

  /**
   * Add cookies from another collection (keeping their domains and paths)
   * or from name/value pairs, replacing cookies with the same name, domain
   * and path.
   *
   * @param other The cookies to add.
   */
  update(other: CookiesInit): void {
    if (other instanceof Cookies || other instanceof CookieJar) {
      const jar = other instanceof Cookies ? other.jar : other;
      for (const record of jar.cookies) this.jar.set({ ...record });
      return;
    }
    const pairs: Iterable<readonly [string, string]> = Symbol.iterator in other
      ? other as Iterable<readonly [string, string]>
      : Object.entries(other);
    for (const [name, value] of pairs) this.set(name, value);
  }

  /** How many cookies are stored (names may repeat). */
  get size(): number {
    return this.jar.cookies.length;
  }

  /**
   * The cookie names, in storage order (a name may repeat).
   *
   * @returns An iterator of names.
   */
  *keys(): IterableIterator<string> {
    for (const record of this.jar.cookies) yield record.name;
  }

  /**
   * The cookie values, in storage order.
   *
   * @returns An iterator of values.
   */
  *values(): IterableIterator<string> {
    for (const record of this.jar.cookies) yield record.value;
  }

  /**
   * `[name, value]` pairs, in storage order.
   *
   * @returns An iterator of pairs.
   */
  *entries(): IterableIterator<[string, string]> {
    for (const record of this.jar.cookies) yield [record.name, record.value];
  }

  /**
   * `[name, value]` pairs, as {@linkcode Cookies.entries}.
   *
   * @returns An iterator of pairs.
   */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /**
   * Store the cookies a response set (its `Set-Cookie` fields), judged
   * against the URL of the request it answers.
   *
   * @param response The response.
   * @param request The request it answers; `response.request` by default.
   */
  extractCookies(response: Response, request?: Request): void {
    const target = request ?? response.request;
    const url = cookieURL(target.url);
    for (const value of setCookieValues(response)) {
      this.jar.setFromHeader(value, url);
    }
  }

  /**
   * Set the `Cookie` header of a request from the cookies that apply to its
   * URL, unless the request already has one.
   *
   * @param request The request to add the header to.
   */
  setCookieHeader(request: Request): void {
    if (request.headers.has("cookie")) return;
    const header = this.jar.cookieHeader(cookieURL(request.url));
    if (header !== undefined) request.headers.set("Cookie", header);
  }

  /**
   * HTTPX's representation: `<Cookies[<Cookie a=1 for example.org />]>`.
   *
   * @returns The representation.
   */
  toString(): string {
    const items = this.jar.cookies.map((record) =>
      `<Cookie ${record.name}=${record.value} for ${record.domain} />`
    );
    return `<Cookies[${items.join(", ")}]>`;
  }

  /**
   * What `console.log` and `Deno.inspect` show: {@linkcode Cookies.toString}.
   *
   * @returns The representation.
   */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}

function identity(record: CookieRecord): string {
  return JSON.stringify([record.name, record.domain, record.path]);
}
