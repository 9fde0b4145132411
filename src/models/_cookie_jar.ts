/**
 * An RFC 6265 cookie store: `Set-Cookie` parsing (§5.2), the storage model
 * (§5.3) and the `Cookie` header (§5.4). {@linkcode Cookies} is the public
 * face of it.
 *
 * @module
 */

/**
 * One stored cookie, as listed by {@linkcode CookieJar.cookies}.
 *
 * @example Inspect a cookie a response set
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(200, {
 *     headers: { "set-cookie": "id=7; Path=/app; Secure" },
 *   })
 * );
 * await using client = new httpx.Client({ transport });
 * await client.get("https://example.org/app/login");
 * const record: httpx.CookieRecord = client.cookies.jar.cookies[0];
 * console.assert(record.domain === "example.org" && record.hostOnly);
 * console.assert(record.path === "/app" && record.secure);
 * console.assert(record.expires === null);
 * ```
 */
export interface CookieRecord {
  /** The cookie name. */
  name: string;
  /** The cookie value. */
  value: string;
  /**
   * The host (host-only cookies) or domain (domain cookies), lower case,
   * without a leading dot; `""` for a cookie set by hand without a domain,
   * which goes to every host.
   */
  domain: string;
  /** Sent only to exactly {@linkcode CookieRecord.domain}, not to its subdomains. */
  hostOnly: boolean;
  /** The path the cookie applies to (it and everything below it). */
  path: string;
  /** Sent only over https. */
  secure: boolean;
  /** The `HttpOnly` flag (kept; there are no scripts to hide it from). */
  httpOnly: boolean;
  /** The `SameSite` value as sent, if any (kept, not enforced). */
  sameSite?: string;
  /** Expiry in milliseconds since the epoch; `null` for a session cookie. */
  expires: number | null;
  /** When the cookie was first stored, in milliseconds since the epoch. */
  creationTime: number;
  /** When the cookie was last sent, in milliseconds since the epoch. */
  lastAccessTime: number;
}

/**
 * Where a cookie comes from or goes to: the parts of a URL that matter.
 *
 * @example Store and select cookies by URL
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const jar = new httpx.Cookies().jar;
 * const from: httpx.CookieURL = {
 *   scheme: "https",
 *   host: "example.org",
 *   path: "/login",
 * };
 * jar.setFromHeader("id=7; Path=/", from);
 * const to: httpx.CookieURL = {
 *   scheme: "https",
 *   host: "example.org",
 *   path: "/home",
 * };
 * console.assert(jar.cookieHeader(to) === "id=7");
 * console.assert(
 *   jar.cookieHeader({ ...to, host: "other.example" }) === undefined,
 * );
 * ```
 */
export interface CookieURL {
  /** `http`, `https`, `ws`, `wss`. */
  scheme: string;
  /** The host, lower case, IPv6 without brackets. */
  host: string;
  /** The path, without the query. */
  path: string;
}

/**
 * Options of the {@linkcode CookieJar} constructor.
 *
 * @example A clock that never moves
 * ```ts
 * import type * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.CookieJarOptions = { now: () => Date.UTC(2030, 0, 1) };
 * console.assert(options.now?.() === 1893456000000);
 * ```
 */
export interface CookieJarOptions {
  /** The clock, in milliseconds since the epoch (tests pass a fixed one). */
  now?: () => number;
}

// §5.1.1 delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
// deno-lint-ignore no-control-regex
const DATE_DELIMITER = /[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/;
const MONTHS = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];
// The latest time a Date can hold, for far-future expiries.
const MAX_TIME = 8.64e15;

/**
 * Parse a cookie date with the RFC 6265 §5.1.1 algorithm, which accepts the
 * RFC 1123, RFC 850 and asctime forms and most things servers send.
 *
 * @param text The `Expires` attribute value.
 * @returns Milliseconds since the epoch, or undefined when it is not a date.
 */
export function parseCookieDate(text: string): number | undefined {
  let time: [number, number, number] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of text.split(DATE_DELIMITER)) {
    if (token === "") continue;
    let match: RegExpMatchArray | null;
    if (
      time === undefined &&
      (match = token.match(/^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/s))
    ) {
      time = [Number(match[1]), Number(match[2]), Number(match[3])];
    } else if (
      day === undefined && (match = token.match(/^(\d{1,2})(?:\D.*)?$/s))
    ) {
      day = Number(match[1]);
    } else if (
      month === undefined &&
      MONTHS.includes(token.slice(0, 3).toLowerCase())
    ) {
      month = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
    } else if (
      year === undefined && (match = token.match(/^(\d{2,4})(?:\D.*)?$/s))
    ) {
      year = Number(match[1]);
    }
  }
  if (
    time === undefined || day === undefined || month === undefined ||
    year === undefined
  ) {
    return undefined;
  }
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [hour, minute, second] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59) {
    return undefined;
  }
  if (second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  // A day past the end of the month (Feb 30) does not exist.
  if (date.getUTCDate() !== day) return undefined;
  return date.getTime();
}

/**
 * Whether a host is an IP address literal (IPv4 dotted quad or IPv6).
 *
 * @param host A canonical host.
 * @returns True for an IP address.
 */
export function isIPAddress(host: string): boolean {
  return host.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/**
 * RFC 6265 §5.1.3 domain-match: identical, or the host is a name ending in
 * `.` + domain.
 *
 * @param host The canonical request host.
 * @param domain The cookie domain (no leading dot).
 * @returns Whether they match.
 */
export function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && !isIPAddress(host);
}

/**
 * RFC 6265 §5.1.4 path-match.
 *
 * @param requestPath The request path.
 * @param cookiePath The cookie path.
 * @returns Whether the cookie path covers the request path.
 */
export function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/**
 * RFC 6265 §5.1.4 default-path: the request path up to (not including) its
 * last `/`, or `/`.
 *
 * @param requestPath The path of the request that set the cookie.
 * @returns The default cookie path.
 */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith("/")) return "/";
  const last = requestPath.lastIndexOf("/");
  return last === 0 ? "/" : requestPath.slice(0, last);
}

function canonicalDomain(domain: string): string | undefined {
  let value = domain.startsWith(".") ? domain.slice(1) : domain;
  if (value === "") return undefined;
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(value)) {
    try {
      value = new globalThis.URL(`http://${value}/`).hostname;
    } catch {
      return undefined;
    }
  }
  return value.toLowerCase();
}

function pathOnly(path: string): string {
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}

/**
 * The RFC 6265 store behind {@linkcode Cookies}, reached as `cookies.jar`:
 * inspect the stored records, or apply and select cookies by URL.
 *
 * @example Look inside a client's cookie store
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() =>
 *   new httpx.Response(200, { headers: { "set-cookie": "id=7; Max-Age=60" } })
 * );
 * await using client = new httpx.Client({ transport });
 * await client.get("https://example.org/");
 * const jar: httpx.CookieJar = client.cookies.jar;
 * console.assert(jar.cookies.length === 1 && jar.cookies[0].expires !== null);
 * jar.remove((record) => record.name === "id");
 * console.assert(client.cookies.size === 0);
 * ```
 */
export class CookieJar {
  #records: CookieRecord[] = [];
  #now: () => number;
  // Creation order, to break ties between cookies created in the same millisecond.
  #order = new WeakMap<CookieRecord, number>();
  #sequence = 0;

  /**
   * An empty jar.
   *
   * @param options The clock.
   */
  constructor(options: CookieJarOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The current time of the jar's clock, in milliseconds since the epoch. */
  now(): number {
    return this.#now();
  }

  /** The stored cookies (expired ones are dropped first), in storage order. */
  get cookies(): readonly CookieRecord[] {
    this.removeExpired();
    return [...this.#records];
  }

  /**
   * Whether nothing at all is stored, not even an expired cookie: a check
   * that needs no clock and no copy (`cookies.length === 0` otherwise).
   *
   * @internal
   */
  get isBare(): boolean {
    return this.#records.length === 0;
  }

  /** Drop every cookie whose expiry has passed. */
  removeExpired(): void {
    const now = this.#now();
    this.#records = this.#records.filter((record) =>
      record.expires === null || record.expires > now
    );
  }

  /**
   * Store a cookie, replacing one with the same name, domain and path
   * (which keeps its creation time). An expired cookie removes the one it
   * replaces and is not stored.
   *
   * @param record The cookie.
   */
  set(record: CookieRecord): void {
    const index = this.#records.findIndex((old) =>
      old.name === record.name && old.domain === record.domain &&
      old.path === record.path
    );
    const stored = { ...record };
    if (index !== -1) {
      const old = this.#records[index];
      stored.creationTime = old.creationTime;
      this.#order.set(stored, this.#order.get(old) ?? 0);
      this.#records.splice(index, 1);
    } else {
      this.#order.set(stored, this.#sequence++);
    }
    if (stored.expires !== null && stored.expires <= this.#now()) return;
    this.#records.push(stored);
  }

  /**
   * Remove every cookie the predicate accepts.
   *
   * @param predicate Selects the cookies to remove.
   * @returns How many were removed.
   */
  remove(predicate: (record: CookieRecord) => boolean): number {
    const before = this.#records.length;
    this.#records = this.#records.filter((record) => !predicate(record));
    return before - this.#records.length;
  }

  /**
   * Apply one `Set-Cookie` field value received for a URL (§5.2, §5.3).
   *
   * @param header The field value.
   * @param url The URL of the request the response answered.
   * @returns Whether a cookie was stored or deleted (false when ignored).
   */
  setFromHeader(header: string, url: CookieURL): boolean {
    const record = this.parse(header, url);
    if (record === undefined) return false;
    this.set(record);
    return true;
  }

  /**
   * Parse a `Set-Cookie` field value into a record as §5.3 would store it,
   * or undefined when the cookie must be ignored.
   *
   * @param header The field value.
   * @param url The URL of the request the response answered.
   * @returns The record, or undefined.
   */
  parse(header: string, url: CookieURL): CookieRecord | undefined {
    const [pair, ...attributes] = header.split(";");
    const equals = pair.indexOf("=");
    if (equals === -1) return undefined;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (name === "") return undefined;

    const now = this.#now();
    let expires: number | undefined;
    let maxAge: number | undefined;
    let domainAttr: string | undefined;
    let pathAttr: string | undefined;
    let secure = false;
    let httpOnly = false;
    let sameSite: string | undefined;
    for (const attribute of attributes) {
      const eq = attribute.indexOf("=");
      const key = (eq === -1 ? attribute : attribute.slice(0, eq)).trim()
        .toLowerCase();
      const attrValue = eq === -1 ? "" : attribute.slice(eq + 1).trim();
      switch (key) {
        case "expires": {
          const date = parseCookieDate(attrValue);
          if (date !== undefined) expires = date;
          break;
        }
        case "max-age": {
          if (!/^-?\d+$/.test(attrValue)) break;
          const seconds = Number(attrValue);
          maxAge = seconds <= 0
            ? -Infinity
            : Math.min(now + seconds * 1000, MAX_TIME);
          break;
        }
        case "domain":
          // An empty Domain is ignored (§5.2.3 leaves it to the agent).
          if (attrValue !== "") domainAttr = attrValue;
          break;
        case "path":
          pathAttr = attrValue.startsWith("/") ? attrValue : undefined;
          break;
        case "secure":
          secure = true;
          break;
        case "httponly":
          httpOnly = true;
          break;
        case "samesite":
          sameSite = attrValue;
          break;
      }
    }

    const host = url.host.toLowerCase();
    let domain = host;
    let hostOnly = true;
    if (domainAttr !== undefined) {
      const canonical = canonicalDomain(domainAttr);
      if (canonical === undefined) return undefined;
      if (canonical === host) {
        // Domain naming the host itself: a domain cookie, except for an IP
        // address or a single label ("localhost"), which stay host-only.
        hostOnly = isIPAddress(host) || !host.includes(".");
      } else {
        // A bare top-level label ("com") is a public suffix: refused.
        if (!canonical.includes(".")) return undefined;
        if (!domainMatch(host, canonical)) return undefined;
        hostOnly = false;
      }
      domain = canonical;
    }

    let expiry: number | null = null;
    if (maxAge !== undefined) expiry = maxAge;
    else if (expires !== undefined) expiry = expires;

    const record: CookieRecord = {
      name,
      value,
      domain,
      hostOnly,
      path: pathAttr ?? defaultPath(pathOnly(url.path)),
      secure,
      httpOnly,
      expires: expiry,
      creationTime: now,
      lastAccessTime: now,
    };
    if (sameSite !== undefined) record.sameSite = sameSite;
    return record;
  }

  /**
   * The cookies to send to a URL, in `Cookie` header order: longer paths
   * first, then earlier creation first (§5.4). Marks them as accessed.
   *
   * @param url The request URL.
   * @returns The matching records.
   */
  matching(url: CookieURL): CookieRecord[] {
    this.removeExpired();
    const host = url.host.toLowerCase();
    const path = pathOnly(url.path) || "/";
    const secure = url.scheme === "https" || url.scheme === "wss";
    const selected = this.#records.filter((record) => {
      if (record.domain !== "") {
        if (
          record.hostOnly
            ? host !== record.domain
            : !domainMatch(host, record.domain)
        ) {
          return false;
        }
      }
      if (!pathMatch(path, record.path)) return false;
      return !record.secure || secure;
    });
    selected.sort((a, b) =>
      b.path.length - a.path.length || a.creationTime - b.creationTime ||
      (this.#order.get(a) ?? 0) - (this.#order.get(b) ?? 0)
    );
    const now = this.#now();
    for (const record of selected) record.lastAccessTime = now;
    return selected;
  }

  /**
   * The `Cookie` header value for a URL, or undefined when no cookie applies.
   *
   * @param url The request URL.
   * @returns `name=value; name2=value2`, or undefined.
   */
  cookieHeader(url: CookieURL): string | undefined {
    const records = this.matching(url);
    if (records.length === 0) return undefined;
    return records.map((record) => `${record.name}=${record.value}`).join(
      "; ",
    );
  }
}
