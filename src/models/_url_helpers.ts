/**
 * Internal helpers of the URL and QueryParams models: percent-encoding sets,
 * percent-decoding, form encoding, IP address checks and punycode decoding.
 *
 * @module
 */

const encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const HEX = "0123456789ABCDEF";

/**
 * A set of ASCII characters left as they are by {@linkcode percentEncode}:
 * `table[code] === 1` keeps the character.
 */
export type SafeTable = Uint8Array;

function makeTable(escaped: string, base?: SafeTable): SafeTable {
  const table = new Uint8Array(128);
  if (base) table.set(base);
  else for (let c = 0x20; c < 0x7f; c++) table[c] = 1;
  for (let i = 0; i < escaped.length; i++) table[escaped.charCodeAt(i)] = 0;
  return table;
}

/** Fragment set: controls, space, `"`, `<`, `>`, backtick. */
export const FRAGMENT_SAFE: SafeTable = makeTable(' "<>`');
/** Query set: controls, space, `"`, `#`, `<`, `>`. */
export const QUERY_SAFE: SafeTable = makeTable(' "#<>');
/** Path set: the query set and `?`, backtick, `{`, `}`. */
export const PATH_SAFE: SafeTable = makeTable("?`{}", QUERY_SAFE);
/** Set for a username or password given on its own. */
export const USERNAME_SAFE: SafeTable = makeTable("/:;=@[\\]^|", PATH_SAFE);
/** Set for a whole `user:password` userinfo (keeps the `:`). */
export const USERINFO_SAFE: SafeTable = makeTable("/;=@[\\]^|", PATH_SAFE);

/**
 * Set for an ASCII registered host name: unreserved characters, sub-delims
 * and the WHATWG extras `"`, backtick, `{`, `}`, `%`, `|` and `\\` are kept;
 * anything else (a space, `<`, `@`, …) is percent-encoded, as HTTPX does.
 */
export const HOST_SAFE: SafeTable = (() => {
  const table = new Uint8Array(128);
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" +
    "0123456789-._~!$&'()*+,;=\"`{}%|\\";
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
})();

/** Form set (`urlencode`/`quote_plus`): only `A-Za-z0-9_.-~` kept. */
const FORM_SAFE: SafeTable = (() => {
  const table = new Uint8Array(128);
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" +
    "0123456789_.-~";
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
})();

function pushEncoded(parts: string[], text: string): void {
  const bytes = encoder.encode(text);
  let out = "";
  for (const byte of bytes) out += "%" + HEX[byte >> 4] + HEX[byte & 15];
  parts.push(out);
}

/**
 * Percent-encode every character not in `safe` (non-ASCII as UTF-8 bytes).
 * `%` is safe in every URL set, so existing `%XX` escapes are kept as they
 * are, and so is a lone `%`.
 */
export function percentEncode(text: string, safe: SafeTable): string {
  const length = text.length;
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || safe[c] === 0) break;
  }
  if (i === length) return text;
  const parts: string[] = [text.slice(0, i)];
  let start = i;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (safe[c] === 1) {
        i++;
        continue;
      }
      if (start < i) parts.push(text.slice(start, i));
      parts.push("%" + HEX[c >> 4] + HEX[c & 15]);
      start = ++i;
    } else {
      if (start < i) parts.push(text.slice(start, i));
      let end = i + 1;
      while (end < length && text.charCodeAt(end) >= 128) end++;
      pushEncoded(parts, text.slice(i, end));
      start = i = end;
    }
  }
  if (start < length) parts.push(text.slice(start));
  return parts.join("");
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Decode `%XX` escapes as UTF-8 (invalid sequences become U+FFFD), keeping
 * anything that is not a valid escape, like Python's `unquote`.
 */
export function percentDecode(text: string): string {
  let index = text.indexOf("%");
  if (index === -1) return text;
  const parts: string[] = [];
  const length = text.length;
  let start = 0;
  while (index !== -1) {
    // Gather a run of consecutive valid escapes.
    const bytes: number[] = [];
    let j = index;
    while (j + 2 < length && text.charCodeAt(j) === 37) {
      const hi = hexValue(text.charCodeAt(j + 1));
      const lo = hexValue(text.charCodeAt(j + 2));
      if (hi < 0 || lo < 0) break;
      bytes.push(hi * 16 + lo);
      j += 3;
    }
    if (bytes.length === 0) {
      index = text.indexOf("%", index + 1);
      continue;
    }
    parts.push(text.slice(start, index));
    parts.push(utf8Decoder.decode(new Uint8Array(bytes)));
    start = j;
    index = text.indexOf("%", j);
  }
  parts.push(text.slice(start));
  return parts.join("");
}

/** Form-encode one key or value: space as `+`, only `A-Za-z0-9_.-~` kept. */
export function formEncode(text: string): string {
  const encoded = percentEncode(text, FORM_SAFE);
  return encoded.indexOf("%20") === -1
    ? encoded
    : encoded.replaceAll("%20", "+");
}

/** Decode one form-encoded key or value: `+` is a space, then `%XX`. */
export function formDecode(text: string): string {
  return percentDecode(
    text.indexOf("+") === -1 ? text : text.replaceAll("+", " "),
  );
}

/** Whether `text` is a dotted-quad IPv4 address with octets 0 to 255. */
export function isValidIPv4(text: string): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return false;
    if (part.length > 1 && part[0] === "0") return false;
    if (Number(part) > 255) return false;
  }
  return true;
}

/**
 * Whether `text` (without brackets) is a valid IPv6 address, optionally
 * with a `%zone` suffix (as Python's `ipaddress` accepts).
 */
export function isValidIPv6(text: string): boolean {
  const percent = text.indexOf("%");
  if (percent !== -1) {
    const zone = text.slice(percent + 1);
    if (zone === "" || zone.includes("%")) return false;
    text = text.slice(0, percent);
  }
  if (text.length < 2 || text.length > 45) return false;
  const doubleColon = text.indexOf("::");
  if (doubleColon !== -1 && text.indexOf("::", doubleColon + 1) !== -1) {
    return false;
  }
  let head: string[];
  let tail: string[];
  if (doubleColon === -1) {
    head = text.split(":");
    tail = [];
  } else {
    const left = text.slice(0, doubleColon);
    const right = text.slice(doubleColon + 2);
    head = left === "" ? [] : left.split(":");
    tail = right === "" ? [] : right.split(":");
  }
  const groups = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (i === groups.length - 1 && group.includes(".")) {
      if (!isValidIPv4(group)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      count += 1;
    } else {
      return false;
    }
  }
  return doubleColon === -1 ? count === 8 : count <= 7;
}

// Punycode (RFC 3492) decoding, for showing `xn--` labels in Unicode.
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;

function adapt(delta: number, points: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / points);
  let k = 0;
  while (delta > ((BASE - T_MIN) * T_MAX) >> 1) {
    delta = Math.floor(delta / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW));
}

function digitOf(c: number): number {
  if (c >= 48 && c <= 57) return c - 22;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return -1;
}

/** Decode one punycode label (without `xn--`); `undefined` when invalid. */
export function punycodeDecode(input: string): string | undefined {
  const output: number[] = [];
  const basicEnd = input.lastIndexOf("-");
  for (let i = 0; i < Math.max(basicEnd, 0); i++) {
    const c = input.charCodeAt(i);
    if (c >= 128) return undefined;
    output.push(c);
  }
  let n = 128;
  let bias = 72;
  let i = 0;
  for (let pos = basicEnd > 0 ? basicEnd + 1 : 0; pos < input.length;) {
    const oldI = i;
    let w = 1;
    for (let k = BASE;; k += BASE) {
      if (pos >= input.length) return undefined;
      const digit = digitOf(input.charCodeAt(pos++));
      if (digit < 0) return undefined;
      i += digit * w;
      if (i > 0x7fffffff) return undefined;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      w *= BASE - t;
    }
    const points = output.length + 1;
    bias = adapt(i - oldI, points, oldI === 0);
    n += Math.floor(i / points);
    if (n > 0x10ffff) return undefined;
    i %= points;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/**
 * The Unicode form of an ASCII host, as HTTPX shows it: only a host that
 * starts with `xn--` is decoded (then every `xn--` label of it, where
 * valid); `www.xn--…` stays as it is.
 */
export function decodeIdnaHost(host: string): string {
  if (!host.startsWith("xn--")) return host;
  return host.split(".").map((label) => {
    if (!label.startsWith("xn--")) return label;
    return punycodeDecode(label.slice(4)) ?? label;
  }).join(".");
}

/** Python-`repr`-like quoting of one character, for error messages. */
export function describeChar(char: string): string {
  const c = char.charCodeAt(0);
  const named: Record<number, string> = { 9: "\\t", 10: "\\n", 13: "\\r" };
  const shown = named[c] ??
    (c < 0x20 || c === 0x7f ? "\\x" + c.toString(16).padStart(2, "0") : char);
  return `'${shown}'`;
}

/** Index of the first ASCII control character (or DEL), or -1. */
export function findNonPrintable(text: string): number {
  // deno-lint-ignore no-control-regex
  return text.search(/[\x00-\x1f\x7f]/);
}

/** Bytes of an ASCII (or byte-per-char) string. */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A byte-per-char string of some bytes. */
export function bytesToLatin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

// Reference resolution as Python's `urllib.parse.urljoin` does it, which is
// what `httpx.URL.join` is: RFC 3986 for the schemes Python lists as
// relative, plus its quirks (a reference in another scheme, or in a scheme
// that is not "relative", is returned unchanged; empty `?` and `#` vanish;
// empty path segments of a merged path collapse).
const RELATIVE_SCHEMES = new Set([
  "",
  "ftp",
  "http",
  "gopher",
  "nntp",
  "imap",
  "wais",
  "file",
  "https",
  "shttp",
  "mms",
  "prospero",
  "rtsp",
  "rtspu",
  "sftp",
  "svn",
  "svn+ssh",
  "ws",
  "wss",
]);
const NETLOC_SCHEMES = new Set([
  ...RELATIVE_SCHEMES,
  "telnet",
  "snews",
  "rsync",
  "nfs",
  "git",
  "git+ssh",
]);
const PARAMS_SCHEMES = new Set([
  "",
  "ftp",
  "hdl",
  "prospero",
  "http",
  "imap",
  "https",
  "shttp",
  "rtsp",
  "rtspu",
  "sip",
  "sips",
  "mms",
  "sftp",
  "tel",
]);
const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+.-]*$/;

interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  params: string;
  query: string;
  fragment: string;
}

function splitUrl(url: string, defaultScheme: string): SplitUrl {
  // deno-lint-ignore no-control-regex
  url = url.replace(/^[\x00-\x20]+/, "").replace(/[\t\r\n]/g, "");
  let scheme = defaultScheme;
  let netloc = "";
  let query = "";
  let fragment = "";
  const colon = url.indexOf(":");
  if (colon > 0 && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith("//")) {
    const end = url.slice(2).search(/[/?#]/);
    netloc = end === -1 ? url.slice(2) : url.slice(2, end + 2);
    url = end === -1 ? "" : url.slice(end + 2);
  }
  const hash = url.indexOf("#");
  if (hash !== -1) {
    fragment = url.slice(hash + 1);
    url = url.slice(0, hash);
  }
  const question = url.indexOf("?");
  if (question !== -1) {
    query = url.slice(question + 1);
    url = url.slice(0, question);
  }
  let params = "";
  if (PARAMS_SCHEMES.has(scheme) && url.includes(";")) {
    const semicolon = url.indexOf(";", Math.max(url.lastIndexOf("/"), 0));
    if (semicolon !== -1) {
      params = url.slice(semicolon + 1);
      url = url.slice(0, semicolon);
    }
  }
  return { scheme, netloc, path: url, params, query, fragment };
}

function unsplitUrl(parts: SplitUrl): string {
  let url = parts.params === "" ? parts.path : `${parts.path};${parts.params}`;
  if (
    parts.netloc !== "" ||
    (parts.scheme !== "" && NETLOC_SCHEMES.has(parts.scheme) &&
      !url.startsWith("//"))
  ) {
    if (url !== "" && !url.startsWith("/")) url = "/" + url;
    url = "//" + parts.netloc + url;
  }
  if (parts.scheme !== "") url = `${parts.scheme}:${url}`;
  if (parts.query !== "") url += "?" + parts.query;
  if (parts.fragment !== "") url += "#" + parts.fragment;
  return url;
}

/**
 * Resolve the reference `url` against `base` exactly as Python's
 * `urllib.parse.urljoin` (3.11) does; both are URL strings.
 */
export function pythonUrljoin(base: string, url: string): string {
  if (base === "") return url;
  if (url === "") return base;
  const b = splitUrl(base, "");
  const r = splitUrl(url, b.scheme);
  if (r.scheme !== b.scheme || !RELATIVE_SCHEMES.has(r.scheme)) return url;
  if (NETLOC_SCHEMES.has(r.scheme)) {
    if (r.netloc !== "") return unsplitUrl(r);
    r.netloc = b.netloc;
  }
  if (r.path === "" && r.params === "") {
    r.path = b.path;
    r.params = b.params;
    if (r.query === "") r.query = b.query;
    return unsplitUrl(r);
  }
  let segments: string[];
  if (r.path.startsWith("/")) segments = r.path.split("/");
  else {
    const baseSegments = b.path.split("/");
    if (baseSegments[baseSegments.length - 1] !== "") baseSegments.pop();
    segments = [...baseSegments, ...r.path.split("/")];
    // Empty segments between the first and the last are dropped.
    segments = segments.filter((segment, index) =>
      segment !== "" || index === 0 || index === segments.length - 1
    );
  }
  const resolved: string[] = [];
  for (const segment of segments) {
    if (segment === "..") resolved.pop();
    else if (segment !== ".") resolved.push(segment);
  }
  const last = segments[segments.length - 1];
  if (last === "." || last === "..") resolved.push("");
  r.path = resolved.join("/") || "/";
  return unsplitUrl(r);
}
