/**
 * `URL`: HTTPX's parsed and normalised URL, absolute or relative.
 *
 * @module
 */

import { InvalidURL } from "../errors.ts";
import {
  decodeIdnaHost,
  describeChar,
  findNonPrintable,
  FRAGMENT_SAFE,
  HOST_SAFE,
  isValidIPv4,
  isValidIPv6,
  latin1Bytes,
  PATH_SAFE,
  percentDecode,
  percentEncode,
  pythonUrljoin,
  QUERY_SAFE,
  USERINFO_SAFE,
  USERNAME_SAFE,
} from "./_url_helpers.ts";
import { QueryParams, type QueryParamTypes } from "./query_params.ts";

const MAX_URL_LENGTH = 65536;

const DEFAULT_PORTS: Record<string, number> = {
  ftp: 21,
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
};

const SCHEME_REGEX = /^[a-zA-Z][a-zA-Z0-9+.-]*$/;
const IPV4_LIKE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IDNA_CHARS =
  /^[\p{L}\p{M}\p{Nd}.\-_\u00b7\u0375\u05f3\u05f4\u30fb\u200c\u200d\u3002\uff0e\uff61]+$/u;

/**
 * Components that can be given to `new URL(url, options)` and
 * {@linkcode URL.copyWith}; each replaces that part of `url`. `null` clears
 * a component; `undefined` leaves it alone.
 *
 * @example Replace parts of a URL
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.URLOptions = {
 *   scheme: "http",
 *   port: 8080,
 *   fragment: null,
 * };
 * const url = new httpx.URL("https://example.org/a#top").copyWith(options);
 * console.assert(url.toString() === "http://example.org:8080/a");
 * ```
 */
export interface URLOptions {
  /** `"https"`, `"http"`, … (lower-cased). */
  scheme?: string | null;
  /** Username, percent-encoded for you. Replaces the whole userinfo. */
  username?: string | null;
  /** Password, percent-encoded for you. Replaces the whole userinfo. */
  password?: string | null;
  /** The raw `user:password` part, already percent-encoded. */
  userinfo?: string | Uint8Array | null;
  /** Host name (Unicode or punycode) or IP address (IPv6 with or without brackets). */
  host?: string | null;
  /** Port number; `null` removes it. */
  port?: number | null;
  /** `host[:port]`. */
  netloc?: string | Uint8Array | null;
  /** Path; characters that need it are percent-encoded for you. */
  path?: string | null;
  /** The raw query string, without `?`; `null` removes the `?`. */
  query?: string | Uint8Array | null;
  /** Path and query as sent in the request line: `/a/b?x=1`. */
  rawPath?: string | Uint8Array | null;
  /** Fragment, without `#`. */
  fragment?: string | null;
  /** Query parameters, form-encoded into the query (replacing it). */
  params?: QueryParamTypes | null;
}

interface RawParts {
  scheme: string;
  userinfo: string;
  host: string;
  port: string | null;
  path: string;
  query: string | null;
  fragment: string | null;
}

const OPTION_KEYS = new Set([
  "scheme",
  "username",
  "password",
  "userinfo",
  "host",
  "port",
  "netloc",
  "path",
  "query",
  "rawPath",
  "fragment",
  "params",
]);

function checkNonPrintable(text: string, component?: string): void {
  const index = findNonPrintable(text);
  if (index === -1) return;
  const char = describeChar(text[index]);
  throw new InvalidURL(
    component === undefined
      ? `Invalid non-printable ASCII character in URL, ${char} at position ${index}`
      : `Invalid non-printable ASCII character in URL ${component} component, ${char} at position ${index}`,
  );
}

function splitHostPort(
  hostport: string,
): { host: string; port: string | null } {
  if (hostport.charCodeAt(0) === 91) { // "["
    const close = hostport.lastIndexOf("]");
    if (close !== -1) {
      const host = hostport.slice(0, close + 1);
      let rest = hostport.slice(close + 1);
      if (rest.charCodeAt(0) === 58) rest = rest.slice(1);
      return { host, port: rest };
    }
  }
  const colon = hostport.indexOf(":");
  if (colon === -1) return { host: hostport, port: null };
  return { host: hostport.slice(0, colon), port: hostport.slice(colon + 1) };
}

function parseString(url: string): RawParts {
  let rest = url;
  let scheme = "";
  // `scheme:` — letters first; HTTPX also accepts an empty scheme ("://x").
  const colon = rest.indexOf(":");
  if (colon !== -1) {
    const candidate = rest.slice(0, colon);
    if (candidate === "" || SCHEME_REGEX.test(candidate)) {
      scheme = candidate;
      rest = rest.slice(colon + 1);
    }
  }
  let userinfo = "";
  let host = "";
  let port: string | null = null;
  if (rest.charCodeAt(0) === 47 && rest.charCodeAt(1) === 47) { // "//"
    let end = rest.length;
    for (let i = 2; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      if (c === 47 || c === 63 || c === 35) { // "/", "?", "#"
        end = i;
        break;
      }
    }
    const authority = rest.slice(2, end);
    rest = rest.slice(end);
    const at = authority.lastIndexOf("@");
    if (at !== -1) userinfo = authority.slice(0, at);
    ({ host, port } = splitHostPort(
      at === -1 ? authority : authority.slice(at + 1),
    ));
  }
  let fragment: string | null = null;
  const hash = rest.indexOf("#");
  if (hash !== -1) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | null = null;
  const question = rest.indexOf("?");
  if (question !== -1) {
    query = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  return { scheme, userinfo, host, port, path: rest, query, fragment };
}

function optionText(
  key: string,
  value: string | Uint8Array,
): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) {
    let out = "";
    for (const byte of value) {
      if (byte >= 128) {
        throw new InvalidURL(`URL component '${key}' must be ASCII`);
      }
      out += String.fromCharCode(byte);
    }
    return out;
  }
  throw new TypeError(
    `Argument '${key}' must be str or bytes but got ${typeName(value)}`,
  );
}

const COMPONENT_CHECKS: Record<string, RegExp> = {
  scheme: /^(?:[a-zA-Z][a-zA-Z0-9+.-]*)?$/,
  path: /^[^?#]*$/,
  query: /^[^#]*$/,
  userinfo: /^[^@]*$/,
  host: /^(?:\[.*\]|[^:]*)$/s,
};

function checkComponent(key: string, value: string): void {
  if (value.length > MAX_URL_LENGTH) {
    throw new InvalidURL(`URL component '${key}' too long`);
  }
  checkNonPrintable(value, key);
  const check = COMPONENT_CHECKS[key];
  if (check !== undefined && !check.test(value)) {
    throw new InvalidURL(`Invalid URL component '${key}'`);
  }
}

/** A Python-style type name of a value, for HTTPX's TypeError messages. */
function typeName(value: unknown): string {
  if (typeof value === "string") return "str";
  if (typeof value === "number") {
    return Number.isInteger(value) ? "int" : "float";
  }
  if (typeof value === "boolean") return "bool";
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "list";
  if (value === null || value === undefined) return "NoneType";
  return typeof value === "object"
    ? (value.constructor?.name ?? "object")
    : typeof value;
}

function applyOptions(parts: RawParts, options: URLOptions): void {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(`'${key}' is an invalid keyword argument for URL()`);
    }
  }
  const o = options;
  if (o.port !== undefined) {
    if (o.port === null) parts.port = null;
    else if (typeof o.port === "number" && Number.isInteger(o.port)) {
      parts.port = String(o.port);
    } else {
      throw new TypeError(
        `Argument 'port' must be int but got ${typeName(o.port)}`,
      );
    }
  }
  if (o.netloc !== undefined) {
    const netloc = o.netloc === null ? "" : optionText("netloc", o.netloc);
    checkNonPrintable(netloc, "netloc");
    const { host, port } = splitHostPort(netloc);
    parts.host = host;
    parts.port = port;
  }
  if (o.username !== undefined || o.password !== undefined) {
    const username = percentEncode(o.username ?? "", USERNAME_SAFE);
    const password = percentEncode(o.password ?? "", USERNAME_SAFE);
    parts.userinfo = password ? `${username}:${password}` : username;
  }
  if (o.userinfo !== undefined) {
    parts.userinfo = o.userinfo === null
      ? ""
      : optionText("userinfo", o.userinfo);
  }
  if (o.rawPath !== undefined) {
    const rawPath = o.rawPath === null ? "" : optionText("rawPath", o.rawPath);
    const question = rawPath.indexOf("?");
    parts.path = question === -1 ? rawPath : rawPath.slice(0, question);
    parts.query = question === -1 ? null : rawPath.slice(question + 1);
  }
  if (o.host !== undefined) {
    let host = o.host ?? "";
    if (
      host.includes(":") && !(host.startsWith("[") && host.endsWith("]"))
    ) {
      host = `[${host}]`;
    }
    parts.host = host;
  }
  if (o.scheme !== undefined) parts.scheme = o.scheme ?? "";
  if (o.path !== undefined) parts.path = o.path ?? "";
  if (o.query !== undefined) {
    parts.query = o.query === null ? null : optionText("query", o.query);
  }
  if (o.fragment !== undefined) parts.fragment = o.fragment;
  if (o.params !== undefined) {
    const params = o.params === null
      ? ""
      : new QueryParams(o.params).toString();
    parts.query = params === "" ? null : params;
  }
  // Validate every component that was given.
  if (o.scheme != null) checkComponent("scheme", parts.scheme);
  if (o.path != null || o.rawPath != null) checkComponent("path", parts.path);
  if ((o.query != null || o.rawPath != null) && parts.query !== null) {
    checkComponent("query", parts.query);
  }
  if (o.fragment != null) checkComponent("fragment", o.fragment);
  if (
    o.userinfo != null || o.username != null || o.password != null
  ) {
    checkComponent("userinfo", parts.userinfo);
  }
  if (o.host != null || o.netloc != null) checkComponent("host", parts.host);
  if (parts.port !== null && (o.port != null || o.netloc != null)) {
    checkComponent("port", parts.port);
  }
}

const idnaCache = new Map<string, string>();

function encodeIdna(host: string): string {
  const cached = idnaCache.get(host);
  if (cached !== undefined) return cached;
  const lowered = host.toLowerCase();
  let encoded: string | undefined;
  if (IDNA_CHARS.test(lowered)) {
    try {
      encoded = new globalThis.URL(`http://${lowered}/`).hostname;
    } catch {
      encoded = undefined;
    }
  }
  if (
    encoded === undefined || encoded === "" || /[^a-z0-9.\-_]/.test(encoded)
  ) {
    throw new InvalidURL(`Invalid IDNA hostname: '${host}'`);
  }
  if (idnaCache.size >= 512) idnaCache.clear();
  idnaCache.set(host, encoded);
  return encoded;
}

function encodeHost(host: string): string {
  if (host === "") return "";
  const first = host.charCodeAt(0);
  if (first === 91) { // "["
    if (host.charCodeAt(host.length - 1) === 93) {
      // HTTPX keeps the address as written (no lower-casing).
      if (!isValidIPv6(host.slice(1, -1))) {
        throw new InvalidURL(`Invalid IPv6 address: '${host}'`);
      }
      return host.slice(1, -1);
    }
  }
  if (first >= 48 && first <= 57 && IPV4_LIKE.test(host)) {
    if (!isValidIPv4(host)) {
      throw new InvalidURL(`Invalid IPv4 address: '${host}'`);
    }
    return host;
  }
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(host)) {
    // A registered name: characters outside the host set are
    // percent-encoded (`exa mple.com` → `exa%20mple.com`), as HTTPX does.
    return percentEncode(host.toLowerCase(), HOST_SAFE);
  }
  return encodeIdna(host);
}

/**
 * The port as HTTPX reads it: any integer Python's `int()` accepts (signs,
 * surrounding spaces, `_` between digits; no range check), and `null` when
 * it is the default of the scheme as written (HTTPX looks the default up
 * before lower-casing the scheme, so `HTTPS://h:443` keeps its port).
 */
function normalizePort(port: string | null, scheme: string): number | null {
  if (port === null || port === "") return null;
  const trimmed = port.trim();
  if (!/^[+-]?[0-9]+(?:_[0-9]+)*$/.test(trimmed)) {
    throw new InvalidURL(`Invalid port: ${pyQuote(port)}`);
  }
  const value = Number(trimmed.replaceAll("_", "")) || 0;
  return Object.hasOwn(DEFAULT_PORTS, scheme) && DEFAULT_PORTS[scheme] === value
    ? null
    : value;
}

/** Python's `repr` of a string, for error messages. */
function pyQuote(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const char of text) {
    if (char === "\\") out += "\\\\";
    else if (char === quote) out += "\\" + quote;
    else out += char;
  }
  return quote + out + quote;
}

/** HTTPX's dot-segment removal for parsed URLs: `/a/b/../c` → `/a/c`. */
function normalizePath(path: string): string {
  if (path.indexOf(".") === -1) return path;
  const segments = path.split("/");
  if (!segments.includes(".") && !segments.includes("..")) return path;
  const output: string[] = [];
  for (const segment of segments) {
    if (segment === ".") continue;
    if (segment === "..") {
      if (output.length > 0 && !(output.length === 1 && output[0] === "")) {
        output.pop();
      }
    } else {
      output.push(segment);
    }
  }
  return output.join("/");
}

/** Set by a static block of `URL`: its cached netloc and `fetch` URL texts. */
let netlocOf: (url: URL) => string;
let fetchHrefOf: (url: URL) => string;

/**
 * A URL as HTTPX models it: parsed, validated and normalised, and possibly
 * relative (`"/path?x=1"`, `"../a"`, `""`). Immutable; the `copy*` methods
 * return new URLs.
 *
 * Normalisation: the scheme and host are lower-cased, international host
 * names are IDNA-encoded (`rawHost`) and shown in Unicode (`host`), default
 * ports are dropped, `.` and `..` path segments are resolved, and characters
 * that may not appear raw are percent-encoded (existing `%XX` escapes are
 * kept).
 *
 * @example Read the parts of a URL
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const url = new httpx.URL("https://user@Example.org:443/a b/../c?q=1#top");
 * console.assert(url.toString() === "https://user@example.org/c?q=1#top");
 * console.assert(url.port === null);
 * console.assert(url.rawPath === "/c?q=1");
 * console.assert(url.params.get("q") === "1");
 * console.assert(
 *   url.join("../d").toString() === "https://user@example.org/d",
 * );
 * ```
 */
export class URL {
  #scheme = "";
  #userinfo = "";
  #host = "";
  #port: number | null = null;
  #path = "";
  #query: string | null = null;
  #fragment: string | null = null;
  #string: string | undefined;
  #netloc: string | undefined;
  #fetchHref: string | undefined;
  #params: QueryParams | undefined;
  #unicodeHost: string | undefined;

  /**
   * Parse `url` (a string, an `httpx.URL` or a web `URL`), then apply the
   * component `options` on top.
   *
   * @param url The URL text; `""` by default.
   * @param options Components replacing those of `url`.
   * @throws {InvalidURL} When the URL or a component is not valid.
   */
  constructor(url: string | URL | globalThis.URL = "", options?: URLOptions) {
    let parts: RawParts;
    if (typeof url === "string") {
      if (url.length > MAX_URL_LENGTH) throw new InvalidURL("URL too long");
      checkNonPrintable(url);
      parts = parseString(url);
    } else if (url instanceof URL) {
      if (options === undefined) {
        this.#scheme = url.#scheme;
        this.#userinfo = url.#userinfo;
        this.#host = url.#host;
        this.#port = url.#port;
        this.#path = url.#path;
        this.#query = url.#query;
        this.#fragment = url.#fragment;
        this.#string = url.#string;
        this.#params = url.#params;
        return;
      }
      parts = url.#rawParts();
    } else if (url instanceof globalThis.URL) {
      parts = parseString(url.href);
    } else {
      throw new TypeError(
        `Invalid type for url: expected a string or httpx.URL, got ${
          url === null ? "null" : typeof url
        }`,
      );
    }
    if (options !== undefined) applyOptions(parts, options);
    this.#normalize(parts);
  }

  #rawParts(): RawParts {
    return {
      scheme: this.#scheme,
      userinfo: this.#userinfo,
      host: this.#host.includes(":") ? `[${this.#host}]` : this.#host,
      port: this.#port === null ? null : String(this.#port),
      path: this.#path,
      query: this.#query,
      fragment: this.#fragment,
    };
  }

  #normalize(parts: RawParts): void {
    const scheme = parts.scheme.toLowerCase();
    const userinfo = percentEncode(parts.userinfo, USERINFO_SAFE);
    const host = encodeHost(parts.host);
    const port = normalizePort(parts.port, parts.scheme);
    const hasScheme = scheme !== "";
    const hasAuthority = userinfo !== "" || host !== "" || port !== null;
    let path = parts.path;
    if (hasAuthority) {
      if (path !== "" && path.charCodeAt(0) !== 47) {
        throw new InvalidURL(
          "For absolute URLs, path must be empty or begin with '/'",
        );
      }
    } else if (!hasScheme) {
      if (path.startsWith("//")) {
        throw new InvalidURL(
          "Relative URLs cannot have a path starting with '//'",
        );
      }
      if (path.charCodeAt(0) === 58) {
        throw new InvalidURL(
          "Relative URLs cannot have a path starting with ':'",
        );
      }
    }
    if (hasScheme || hasAuthority) {
      path = normalizePath(path);
    }
    this.#scheme = scheme;
    this.#userinfo = userinfo;
    this.#host = host;
    this.#port = port;
    this.#path = percentEncode(path, PATH_SAFE);
    this.#query = parts.query === null
      ? null
      : percentEncode(parts.query, QUERY_SAFE);
    this.#fragment = parts.fragment === null
      ? null
      : percentEncode(parts.fragment, FRAGMENT_SAFE);
  }

  /** The scheme, lower-cased: `"https"`; `""` for a relative URL. */
  get scheme(): string {
    return this.#scheme;
  }

  /** The percent-encoded `user:password` part, as bytes. */
  get userinfo(): Uint8Array {
    return latin1Bytes(this.#userinfo);
  }

  /** The username, percent-decoded. */
  get username(): string {
    const colon = this.#userinfo.indexOf(":");
    return percentDecode(
      colon === -1 ? this.#userinfo : this.#userinfo.slice(0, colon),
    );
  }

  /** The password, percent-decoded; `""` when there is none. */
  get password(): string {
    const colon = this.#userinfo.indexOf(":");
    return colon === -1 ? "" : percentDecode(this.#userinfo.slice(colon + 1));
  }

  /**
   * The host, lower-cased, with IDNA (`xn--`) labels shown in Unicode and
   * IPv6 addresses without brackets: `"münchen.de"`, `"::1"`.
   */
  get host(): string {
    if (this.#unicodeHost === undefined) {
      this.#unicodeHost = decodeIdnaHost(this.#host);
    }
    return this.#unicodeHost;
  }

  /** The host as ASCII, IDNA-encoded: `"xn--mnchen-3ya.de"`; IPv6 without brackets. */
  get rawHost(): string {
    return this.#host;
  }

  /** The port, or `null` when absent or the scheme's default. */
  get port(): number | null {
    return this.#port;
  }

  /** `host[:port]` as bytes (IPv6 in brackets), the `Host` header value. */
  get netloc(): Uint8Array {
    return latin1Bytes(urlNetloc(this));
  }

  /** The path, percent-decoded; `"/"` when empty. */
  get path(): string {
    return percentDecode(this.#path || "/");
  }

  /** The percent-encoded query string without `?`, as bytes. */
  get query(): Uint8Array {
    return latin1Bytes(this.#query ?? "");
  }

  /** The query string parsed into {@linkcode QueryParams}. */
  get params(): QueryParams {
    if (this.#params === undefined) {
      this.#params = new QueryParams(this.#query ?? "");
    }
    return this.#params;
  }

  /**
   * The path and query as they go in the request line, percent-encoded:
   * `"/a%20b?x=1"`. `"/"` when the path is empty; a bare trailing `?` is kept.
   */
  get rawPath(): string {
    const path = this.#path || "/";
    return this.#query === null ? path : `${path}?${this.#query}`;
  }

  /** The fragment without `#`, percent-decoded. */
  get fragment(): string {
    return percentDecode(this.#fragment ?? "");
  }

  /** Whether the URL has both a scheme and a host. */
  get isAbsoluteUrl(): boolean {
    return this.#scheme !== "" && this.#host !== "";
  }

  /** Whether the URL lacks a scheme or a host. */
  get isRelativeUrl(): boolean {
    return !this.isAbsoluteUrl;
  }

  /**
   * A copy with some components replaced.
   *
   * @param options The components to replace.
   * @returns The new URL.
   */
  copyWith(options?: URLOptions): URL {
    return new URL(this, options ?? {});
  }

  /** A copy with query parameter `key` set to `value` (replacing its values). */
  copySetParam(
    key: string,
    value: string | number | boolean | null = null,
  ): URL {
    return this.copyWith({ params: this.params.set(key, value) });
  }

  /** A copy with `value` added to query parameter `key`. */
  copyAddParam(
    key: string,
    value: string | number | boolean | null = null,
  ): URL {
    return this.copyWith({ params: this.params.add(key, value) });
  }

  /** A copy without query parameter `key`. */
  copyRemoveParam(key: string): URL {
    return this.copyWith({ params: this.params.remove(key) });
  }

  /** A copy with `params` merged into the query (their keys replace existing ones). */
  copyMergeParams(params: QueryParamTypes): URL {
    return this.copyWith({ params: this.params.merge(params) });
  }

  /**
   * Resolve a reference against this URL, as HTTPX does (with Python's
   * `urljoin`, so RFC 3986 for the usual schemes: `../a`, `?q`, `//host/p`).
   *
   * @param url An absolute or relative reference.
   * @returns The resolved URL.
   */
  join(url: string | URL): URL {
    const ref = url instanceof URL ? url : new URL(url);
    return new URL(pythonUrljoin(this.toString(), ref.toString()));
  }

  /**
   * Whether both URLs are the same after normalisation. A string is parsed
   * first; one that cannot be parsed is never equal.
   */
  equals(other: URL | string): boolean {
    if (other instanceof URL) return this.toString() === other.toString();
    if (typeof other !== "string") return false;
    try {
      return this.toString() === new URL(other).toString();
    } catch {
      return false;
    }
  }

  static {
    netlocOf = (url) => {
      if (url.#netloc !== undefined) return url.#netloc;
      const host = url.#host;
      const netloc = host.includes(":") ? `[${host}]` : host;
      return url.#netloc = url.#port === null
        ? netloc
        : `${netloc}:${url.#port}`;
    };
    fetchHrefOf = (url) =>
      url.#fetchHref ??= `${url.#scheme}://${netlocOf(url)}${url.rawPath}`;
  }

  /** The normalised URL text, with the userinfo (password included). */
  toString(): string {
    if (this.#string !== undefined) return this.#string;
    let out = this.#scheme === "" ? "" : this.#scheme + ":";
    const authority = this.#authority(this.#userinfo);
    if (authority !== "") out += "//" + authority;
    out += this.#path;
    if (this.#query !== null) out += "?" + this.#query;
    if (this.#fragment !== null) out += "#" + this.#fragment;
    return this.#string = out;
  }

  #authority(userinfo: string): string {
    let out = userinfo === "" ? "" : userinfo + "@";
    out += this.#host.includes(":") ? `[${this.#host}]` : this.#host;
    if (this.#port !== null) out += ":" + this.#port;
    return out;
  }

  /** The same as {@linkcode URL.toString}, for `JSON.stringify`. */
  toJSON(): string {
    return this.toString();
  }

  /** `URL('https://user:[secure]@example.org/')`: the password is masked. */
  [Symbol.for("Deno.customInspect")](): string {
    const colon = this.#userinfo.indexOf(":");
    const userinfo = colon === -1
      ? this.#userinfo
      : this.#userinfo.slice(0, colon) + ":[secure]";
    let out = this.#scheme === "" ? "" : this.#scheme + ":";
    const authority = this.#authority(userinfo);
    if (authority !== "") out += "//" + authority;
    out += this.#path;
    if (this.#query !== null) out += "?" + this.#query;
    if (this.#fragment !== null) out += "#" + this.#fragment;
    return `URL('${out}')`;
  }
}

/**
 * The absolute URL as `fetch` takes it: scheme, host (IPv6 in brackets),
 * port and the raw path and query, without userinfo or fragment. Worked
 * out once per URL (they are immutable), so that a URL sent again is the
 * same flat string.
 *
 * @internal
 */
export function urlFetchHref(url: URL): string {
  return fetchHrefOf(url);
}

/**
 * `host[:port]` of a URL as a string (IPv6 in brackets): the `Host` header
 * value, without encoding it to bytes as `url.netloc` does. Worked out
 * once per URL (a request's URL is asked for it more than once).
 *
 * @internal
 */
export function urlNetloc(url: URL): string {
  return netlocOf(url);
}
