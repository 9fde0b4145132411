/**
 * `Headers`: HTTP headers as an ordered, case-insensitive multi-dict.
 *
 * @module
 */

import { bytesToLatin1, latin1Bytes } from "./_url_helpers.ts";

/**
 * A header value as given: text, a number, or raw bytes.
 *
 * @example Text, number and byte values
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const headers = new httpx.Headers();
 * const values: httpx.HeaderValue[] = [
 *   "text/plain",
 *   42,
 *   new TextEncoder().encode("x"),
 * ];
 * headers.set("content-type", values[0]);
 * headers.set("content-length", values[1]);
 * headers.set("x-raw", values[2]);
 * console.assert(headers.get("content-length") === "42");
 * console.assert(headers.get("x-raw") === "x");
 * ```
 */
export type HeaderValue = string | number | Uint8Array;

/**
 * Everything {@linkcode Headers} can be built from: another `Headers`, web
 * `Headers`, a record (a list value gives repeated headers), or
 * `[name, value]` pairs.
 *
 * @example The shapes headers may take
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const shapes: httpx.HeaderTypes[] = [
 *   { accept: ["text/html", "application/json"] },
 *   [["accept", "text/html"], ["accept", "application/json"]],
 * ];
 * for (const init of shapes) {
 *   const headers = new httpx.Headers(init);
 *   console.assert(headers.get("Accept") === "text/html, application/json");
 * }
 * ```
 */
export type HeaderTypes =
  | Headers
  | globalThis.Headers
  | Record<string, HeaderValue | readonly HeaderValue[]>
  | Iterable<readonly [string | Uint8Array, HeaderValue]>;

/**
 * Options of {@linkcode Headers.getList}.
 *
 * @example Split a comma-separated header
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const headers = new httpx.Headers({ vary: "Accept, Accept-Encoding" });
 * const options: httpx.GetListOptions = { splitCommas: true };
 * const parts = headers.getList("vary", options);
 * console.assert(parts.length === 2 && parts[1] === "Accept-Encoding");
 * ```
 */
export interface GetListOptions {
  /** Split each value on commas and trim the parts. */
  splitCommas?: boolean;
}

const SENSITIVE = new Set(["authorization", "proxy-authorization"]);
const encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
// deno-lint-ignore no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
// deno-lint-ignore no-control-regex
const NON_LATIN1 = /[^\x00-\xff]/;

/**
 * A name or value as a byte string (one char per byte). Text with
 * characters above U+00FF is encoded as UTF-8; numbers are stringified.
 */
function toByteString(value: unknown, kind: "name" | "value"): string {
  if (typeof value === "string") {
    return NON_LATIN1.test(value)
      ? bytesToLatin1(encoder.encode(value))
      : value;
  }
  if (typeof value === "number" && kind === "value") return String(value);
  if (value instanceof Uint8Array) return bytesToLatin1(value);
  throw new TypeError(
    `Header ${kind} must be a string${
      kind === "value" ? ", number" : ""
    } or Uint8Array, got ${value === null ? "null" : typeof value}`,
  );
}

function normalizeEncoding(name: string): string {
  const n = name.trim().toLowerCase().replaceAll("_", "-");
  if (n === "ascii" || n === "us-ascii") return "ascii";
  if (n === "utf-8" || n === "utf8") return "utf-8";
  if (
    n === "iso-8859-1" || n === "latin-1" || n === "latin1" ||
    n === "iso8859-1" || n === "l1"
  ) {
    return "iso-8859-1";
  }
  new TextDecoder(n); // Throws a RangeError for unknown encodings.
  return n;
}

function decodeWith(encoding: string, text: string): string {
  if (encoding === "ascii" || encoding === "iso-8859-1") return text;
  if (!NON_ASCII.test(text)) return text;
  if (encoding === "utf-8") return utf8Decoder.decode(latin1Bytes(text));
  return new TextDecoder(encoding).decode(latin1Bytes(text));
}

function isValidUtf8(text: string): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(latin1Bytes(text));
    return true;
  } catch {
    return false;
  }
}

/**
 * `web.get(name)`, or `undefined` when web headers refuse the name (our
 * lookup then decides).
 */
function webGet(
  web: globalThis.Headers,
  name: string,
): string | null | undefined {
  try {
    return web.get(name);
  } catch {
    return undefined;
  }
}

let adoptWeb: (web: globalThis.Headers) => Headers;

/**
 * Headers over a web `Headers` (a `fetch` response's), copied in only when
 * something needs more than `get` or `has` of ASCII values: for transports
 * that would otherwise convert every header of every response.
 * The web headers must not change afterwards.
 *
 * @internal
 */
export function headersFromWeb(web: globalThis.Headers): Headers {
  return adoptWeb(web);
}

/**
 * HTTP headers: ordered, case-insensitive and multi-valued. Names keep the
 * casing they were given (see {@linkcode Headers.raw} and
 * {@linkcode Headers.wireItems}); lookups ignore case, and `keys()`,
 * iteration and {@linkcode Headers.multiItems} give lower-case names.
 *
 * Values are held as bytes, in a string with one character per byte (as web
 * `Headers` do); text with characters above U+00FF is stored as UTF-8.
 * Reading decodes with {@linkcode Headers.encoding}: ASCII, else UTF-8 when
 * every header is valid UTF-8, else ISO-8859-1, as HTTPX guesses.
 *
 * @example Case-insensitive, multi-valued headers
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const headers = new httpx.Headers([["Accept", "text/html"], [
 *   "accept",
 *   "*\/*",
 * ]]);
 * console.assert(headers.get("ACCEPT") === "text/html, *\/*");
 * console.assert(headers.getList("accept").length === 2);
 * headers.set("Accept", "application/json");
 * console.assert(headers.get("accept") === "application/json");
 * console.assert([...headers.keys()].join() === "accept");
 * ```
 */
export class Headers implements Iterable<[string, string]> {
  #items: Array<[string, string]> = [];
  #lower: string[] = [];
  #encoding: string | undefined;
  #guessed: string | undefined;
  /**
   * Web headers not yet copied in (see {@linkcode headersFromWeb}): `get`
   * and `has` ask them directly; anything else copies them first.
   */
  #web: globalThis.Headers | null = null;

  static {
    adoptWeb = (web) => {
      const out = new Headers();
      out.#web = web;
      return out;
    };
  }

  /** Copy in the web headers this was made from, once. */
  #sync(): void {
    const web = this.#web;
    if (web === null) return;
    this.#web = null;
    const items = this.#items;
    const lower = this.#lower;
    let ascii = true;
    // Names from web headers are lower-case already; values are byte strings.
    web.forEach((value, name) => {
      items.push([name, value]);
      lower.push(name);
      if (ascii && NON_ASCII.test(value)) ascii = false;
    });
    this.#guessed = ascii ? "ascii" : undefined;
  }

  /**
   * Build headers from another `Headers`, web `Headers`, a record or pairs.
   *
   * @param headers The headers to start from.
   * @param encoding Force the encoding used to read values.
   */
  constructor(headers?: HeaderTypes | null, encoding?: string) {
    if (encoding !== undefined) this.#encoding = normalizeEncoding(encoding);
    if (headers === undefined || headers === null) return;
    const items = this.#items;
    const lower = this.#lower;
    if (headers instanceof Headers) {
      headers.#sync();
      this.#items = headers.#items.slice();
      this.#lower = headers.#lower.slice();
      if (encoding === undefined) this.#encoding = headers.#encoding;
      return;
    }
    if (Array.isArray(headers)) {
      // Fast path: arrays of pairs, as the HTTP parsers produce.
      let ascii = true;
      for (let i = 0; i < headers.length; i++) {
        const pair = headers[i];
        let name = pair[0];
        let value = pair[1];
        if (typeof name !== "string" || NON_ASCII.test(name)) {
          name = toByteString(name, "name");
          ascii = false;
        }
        if (typeof value !== "string" || NON_ASCII.test(value)) {
          value = toByteString(value, "value");
          ascii = false;
        }
        items.push([name, value as string]);
        lower.push((name as string).toLowerCase());
      }
      // Nothing but ASCII text: the encoding guess is already known.
      if (ascii) this.#guessed = "ascii";
      return;
    }
    if (headers instanceof globalThis.Headers) {
      for (const [name, value] of headers) {
        this.#push(name, value);
      }
      return;
    }
    if (
      typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function"
    ) {
      for (const pair of headers as Iterable<readonly [unknown, unknown]>) {
        this.#push(pair[0], pair[1]);
      }
      return;
    }
    if (typeof headers !== "object") {
      throw new TypeError(`Invalid type for headers: ${typeof headers}`);
    }
    for (const name of Object.keys(headers)) {
      const value = (headers as Record<string, unknown>)[name];
      if (Array.isArray(value)) {
        for (const item of value) this.#push(name, item);
      } else {
        this.#push(name, value);
      }
    }
  }

  #push(name: unknown, value: unknown): void {
    this.#sync();
    const byteName = toByteString(name, "name");
    this.#items.push([byteName, toByteString(value, "value")]);
    this.#lower.push(byteName.toLowerCase());
    this.#guessed = undefined;
  }

  /**
   * The encoding used to decode names and values: the one set, else
   * `"ascii"`, `"utf-8"` or `"iso-8859-1"`, whichever first fits every header.
   */
  get encoding(): string {
    this.#sync();
    if (this.#encoding !== undefined) return this.#encoding;
    if (this.#guessed !== undefined) return this.#guessed;
    let guess = "ascii";
    for (const [name, value] of this.#items) {
      if (NON_ASCII.test(name) || NON_ASCII.test(value)) {
        guess = "utf-8";
        break;
      }
    }
    if (guess === "utf-8") {
      for (const [name, value] of this.#items) {
        if (!isValidUtf8(name) || !isValidUtf8(value)) {
          guess = "iso-8859-1";
          break;
        }
      }
    }
    return this.#guessed = guess;
  }

  set encoding(value: string) {
    this.#encoding = normalizeEncoding(value);
  }

  /** The number of header lines (repeated names counted each time). */
  get size(): number {
    this.#sync();
    return this.#items.length;
  }

  /** Every header as `[name, value]` bytes, names in their original casing. */
  get raw(): Array<[Uint8Array, Uint8Array]> {
    this.#sync();
    return this.#items.map(([name, value]): [Uint8Array, Uint8Array] => [
      latin1Bytes(name),
      latin1Bytes(value),
    ]);
  }

  /**
   * Every header as `[name as given, value]`, in order, values as byte
   * strings (one char per byte): what an HTTP/1.1 serialiser writes.
   *
   * @internal
   */
  wireItems(): Array<[string, string]> {
    this.#sync();
    return this.#items.slice();
  }

  /**
   * {@linkcode Headers.wireItems} without the copy: the headers' own list,
   * to be read at once and never changed.
   *
   * @internal
   */
  wireView(): ReadonlyArray<readonly [string, string]> {
    this.#sync();
    return this.#items;
  }

  /**
   * Headers that adopt `items` (not copied): names and values that are
   * ASCII, trusted as such, as a parser that checked every byte produces;
   * the same as `new Headers(items)` without checking them again.
   *
   * @internal
   */
  static fromAscii(items: Array<[string, string]>): Headers {
    const out = new Headers();
    out.#items = items;
    const lower = out.#lower;
    for (let i = 0; i < items.length; i++) {
      lower.push(items[i][0].toLowerCase());
    }
    out.#guessed = "ascii";
    return out;
  }

  /**
   * New headers: `pairs` (ASCII byte strings, trusted as valid), then
   * every header of `headers`; the same as `new Headers([...pairs,
   * ...headers.wireItems()])` without converting each header again.
   *
   * @internal
   */
  static withAsciiPrepended(
    pairs: ReadonlyArray<[string, string]>,
    headers: Headers,
  ): Headers {
    const out = new Headers();
    const items = out.#items;
    const lower = out.#lower;
    for (let i = 0; i < pairs.length; i++) {
      const name = pairs[i][0];
      items.push(pairs[i]);
      // The names the client adds, without a new string each time.
      lower.push(
        name === "Host"
          ? "host"
          : name === "Content-Length"
          ? "content-length"
          : name.toLowerCase(),
      );
    }
    headers.#sync();
    const from = headers.#items;
    const fromLower = headers.#lower;
    for (let i = 0; i < from.length; i++) {
      items.push(from[i]);
      lower.push(fromLower[i]);
    }
    // The encoding is guessed from the bytes, as for any new Headers.
    if (headers.#guessed === "ascii") out.#guessed = "ascii";
    return out;
  }

  #key(name: string): string {
    return (typeof name === "string" && !NON_LATIN1.test(name)
      ? name
      : toByteString(name, "name")).toLowerCase();
  }

  /** All values of `name` joined with `", "`, or `undefined` when absent. */
  get(name: string): string | undefined {
    const web = this.#web;
    if (web !== null) {
      const value = webGet(web, name);
      if (value === null) return undefined;
      // ASCII reads the same in every encoding.
      if (value !== undefined && !NON_ASCII.test(value)) return value;
      this.#sync();
    }
    const key = this.#key(name);
    const lower = this.#lower;
    let found: string | undefined;
    for (let i = 0; i < lower.length; i++) {
      if (lower[i] !== key) continue;
      const value = this.#items[i][1];
      found = found === undefined ? value : `${found}, ${value}`;
    }
    return found === undefined ? undefined : decodeWith(this.encoding, found);
  }

  /**
   * Every value of `name`, in order.
   *
   * @param name The header name, any case.
   * @param options `splitCommas: true` also splits each value on commas.
   */
  getList(name: string, options?: GetListOptions): string[] {
    this.#sync();
    const key = this.#key(name);
    const encoding = this.encoding;
    const values: string[] = [];
    for (let i = 0; i < this.#lower.length; i++) {
      if (this.#lower[i] === key) {
        values.push(decodeWith(encoding, this.#items[i][1]));
      }
    }
    if (!options?.splitCommas) return values;
    return values.flatMap((value) => value.split(",").map((v) => v.trim()));
  }

  /** Whether a header `name` is present, in any case. */
  has(name: string): boolean {
    const web = this.#web;
    if (web !== null) {
      try {
        return web.has(name);
      } catch {
        // Not a name web headers take: look it up here.
        this.#sync();
      }
    }
    return this.#lower.includes(this.#key(name));
  }

  /**
   * Set `name` to a single value: the first header of that name is replaced
   * in place (taking the new casing), any others are removed, and a new
   * name is appended.
   */
  set(name: string, value: HeaderValue): void {
    this.#sync();
    const byteName = toByteString(name, "name");
    const byteValue = toByteString(value, "value");
    const key = byteName.toLowerCase();
    const first = this.#lower.indexOf(key);
    this.#guessed = undefined;
    if (first === -1) {
      this.#items.push([byteName, byteValue]);
      this.#lower.push(key);
      return;
    }
    this.#items[first] = [byteName, byteValue];
    for (let i = this.#lower.length - 1; i > first; i--) {
      if (this.#lower[i] === key) {
        this.#items.splice(i, 1);
        this.#lower.splice(i, 1);
      }
    }
  }

  /** Add a header, keeping any others of the same name. */
  append(name: string, value: HeaderValue): void {
    this.#push(name, value);
  }

  /** Remove every header `name`; `false` when there was none. */
  delete(name: string): boolean {
    this.#sync();
    const key = this.#key(name);
    let removed = false;
    for (let i = this.#lower.length - 1; i >= 0; i--) {
      if (this.#lower[i] === key) {
        this.#items.splice(i, 1);
        this.#lower.splice(i, 1);
        removed = true;
      }
    }
    if (removed) this.#guessed = undefined;
    return removed;
  }

  #joined(): Map<string, string> {
    this.#sync();
    const joined = new Map<string, string>();
    const encoding = this.encoding;
    for (let i = 0; i < this.#lower.length; i++) {
      const key = decodeWith(encoding, this.#lower[i]);
      const value = decodeWith(encoding, this.#items[i][1]);
      const previous = joined.get(key);
      joined.set(key, previous === undefined ? value : `${previous}, ${value}`);
    }
    return joined;
  }

  /** The distinct names, lower-cased, in order of first appearance. */
  keys(): IterableIterator<string> {
    this.#sync();
    const encoding = this.encoding;
    return new Set(this.#lower.map((key) => decodeWith(encoding, key)))
      .values();
  }

  /** One value per distinct name, repeated values joined with `", "`. */
  values(): IterableIterator<string> {
    return this.#joined().values();
  }

  /** `[lower-case name, joined value]` per distinct name. */
  entries(): IterableIterator<[string, string]> {
    return this.#joined().entries();
  }

  /** `[lower-case name, joined value]` per distinct name. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** Every header as `[lower-case name, value]`, repeats included. */
  multiItems(): Array<[string, string]> {
    this.#sync();
    const encoding = this.encoding;
    return this.#items.map((item, i): [string, string] => [
      decodeWith(encoding, this.#lower[i]),
      decodeWith(encoding, item[1]),
    ]);
  }

  /** An independent copy, with the same encoding. */
  copy(): Headers {
    return new Headers(this);
  }

  /**
   * Merge `headers` in: every name they contain first loses its current
   * values here, then their headers are appended.
   */
  update(headers: HeaderTypes | null | undefined): void {
    this.#sync();
    const other = headers instanceof Headers ? headers : new Headers(headers);
    other.#sync();
    const keys = new Set(other.#lower);
    for (let i = this.#lower.length - 1; i >= 0; i--) {
      if (keys.has(this.#lower[i])) {
        this.#items.splice(i, 1);
        this.#lower.splice(i, 1);
      }
    }
    for (let i = 0; i < other.#items.length; i++) {
      this.#items.push(other.#items[i]);
      this.#lower.push(other.#lower[i]);
    }
    this.#guessed = undefined;
  }

  /**
   * Whether both hold the same `[lower-case name, value]` pairs, in any
   * order. Anything that is not a `Headers` is converted first.
   */
  equals(other: HeaderTypes): boolean {
    let that: Headers;
    try {
      that = other instanceof Headers ? other : new Headers(other);
    } catch {
      return false;
    }
    this.#sync();
    that.#sync();
    if (that.#items.length !== this.#items.length) return false;
    const pairs = (h: Headers): string[] =>
      h.#items.map((item, i) => `${h.#lower[i]}\0${item[1]}`).sort();
    const a = pairs(this);
    const b = pairs(that);
    return a.every((pair, i) => pair === b[i]);
  }

  /**
   * `Headers({"accept": "*\/*"})` (a list when names repeat), with the
   * values of `authorization` and `proxy-authorization` shown as `[secure]`.
   */
  toString(): string {
    const items = this.multiItems().map(([key, value]): [string, string] => [
      key,
      SENSITIVE.has(key) ? "[secure]" : value,
    ]);
    const unique = new Set(items.map(([key]) => key)).size === items.length;
    const body = unique
      ? `{${
        items.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
          .join(", ")
      }}`
      : `[${
        items.map(([k, v]) => `[${JSON.stringify(k)}, ${JSON.stringify(v)}]`)
          .join(", ")
      }]`;
    const encoding = this.encoding;
    const suffix = encoding === "ascii"
      ? ""
      : `, encoding=${JSON.stringify(encoding)}`;
    return `Headers(${body}${suffix})`;
  }

  /** The same as {@linkcode Headers.toString}: sensitive values masked. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}
