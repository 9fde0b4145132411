/**
 * `QueryParams`: the immutable multi-dict of a URL's query string.
 *
 * @module
 */

import { bytesToLatin1, formDecode, formEncode } from "./_url_helpers.ts";

/**
 * A value a query parameter may be given as: `true` → `"true"`, `null` → `""`.
 *
 * @example Primitive values in a query
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const values: httpx.PrimitiveData[] = ["a", 1, true, null];
 * const params = new httpx.QueryParams({ v: values });
 * console.assert(params.toString() === "v=a&v=1&v=true&v=");
 * ```
 */
export type PrimitiveData = string | number | boolean | null;

/**
 * Everything {@linkcode QueryParams} can be built from: a query string
 * (a leading `?` is ignored) or its bytes, another `QueryParams`, web
 * `URLSearchParams`, a record of values or lists of values, or a list of
 * `[key, value]` pairs (keys may repeat).
 *
 * @example The shapes query parameters may take
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const shapes: httpx.QueryParamTypes[] = [
 *   "a=1&a=2",
 *   { a: ["1", "2"] },
 *   [["a", "1"], ["a", "2"]],
 *   new URLSearchParams("a=1&a=2"),
 * ];
 * for (const params of shapes) {
 *   console.assert(new httpx.QueryParams(params).toString() === "a=1&a=2");
 * }
 * ```
 */
export type QueryParamTypes =
  | string
  | Uint8Array
  | QueryParams
  | URLSearchParams
  | Record<string, PrimitiveData | readonly PrimitiveData[] | undefined>
  | Iterable<readonly [string, PrimitiveData]>;

/**
 * Turn a primitive into its query-string text as HTTPX does: booleans as
 * `"true"`/`"false"`, `null` as `""`, numbers with `String()`.
 */
export function primitiveValueToString(value: PrimitiveData): string {
  if (typeof value === "string") return value;
  if (value === true) return "true";
  if (value === false) return "false";
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") {
    return String(value);
  }
  throw new TypeError(
    `Invalid type for a query parameter value: expected a string, number, boolean or null, got ${typeof value}`,
  );
}

/**
 * Python's `parse_qsl(keep_blank_values=True)`: fields split on `&` only, a
 * leading `?` is part of the first key (as in HTTPX), `+` is a space.
 */
function parseQueryString(query: string, into: Map<string, string[]>): void {
  if (query === "") return;
  for (const field of query.split("&")) {
    if (field === "") continue;
    const eq = field.indexOf("=");
    const key = formDecode(eq === -1 ? field : field.slice(0, eq));
    const value = eq === -1 ? "" : formDecode(field.slice(eq + 1));
    const list = into.get(key);
    if (list) list.push(value);
    else into.set(key, [value]);
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as Iterable<unknown>)?.[Symbol.iterator] === "function";
}

/**
 * URL query parameters as an immutable multi-dict, in key order of first
 * appearance. `set`, `add`, `remove` and `merge` return new instances.
 * Iterating yields `[key, firstValue]` pairs (HTTPX's `items()`);
 * {@linkcode QueryParams.multiItems} gives every pair.
 *
 * @example Build, read and derive query parameters
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const params = new httpx.QueryParams({
 *   q: "a b",
 *   page: 2,
 *   tag: ["x", "y"],
 * });
 * console.assert(params.toString() === "q=a+b&page=2&tag=x&tag=y");
 * console.assert(params.get("tag") === "x");
 * console.assert(params.getList("tag").length === 2);
 * const next = params.set("page", 3);
 * console.assert(next.get("page") === "3" && params.get("page") === "2");
 * ```
 */
export class QueryParams implements Iterable<[string, string]> {
  #dict: Map<string, string[]>;
  #string: string | undefined;

  /**
   * Parse or copy query parameters.
   *
   * @param params A query string, bytes, another `QueryParams`,
   *   `URLSearchParams`, a record or a list of pairs.
   */
  constructor(params?: QueryParamTypes | null) {
    const dict = new Map<string, string[]>();
    this.#dict = dict;
    if (params === undefined || params === null) return;
    if (typeof params === "string") {
      parseQueryString(params, dict);
    } else if (params instanceof QueryParams) {
      for (const [key, values] of params.#dict) dict.set(key, values);
      this.#string = params.#string;
    } else if (params instanceof Uint8Array) {
      parseQueryString(bytesToLatin1(params), dict);
    } else if (params instanceof URLSearchParams) {
      for (const [key, value] of params) {
        const list = dict.get(key);
        if (list) list.push(value);
        else dict.set(key, [value]);
      }
    } else if (isIterable(params)) {
      for (const pair of params as Iterable<readonly [string, PrimitiveData]>) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          throw new TypeError(
            "Invalid query parameter pair: expected [key, value]",
          );
        }
        const key = String(pair[0]);
        const value = primitiveValueToString(pair[1]);
        const list = dict.get(key);
        if (list) list.push(value);
        else dict.set(key, [value]);
      }
    } else if (typeof params === "object") {
      for (const key of Object.keys(params)) {
        const value = (params as Record<string, unknown>)[key];
        if (value === undefined) continue;
        if (Array.isArray(value)) {
          dict.set(key, value.map((v) => primitiveValueToString(v)));
        } else {
          dict.set(key, [primitiveValueToString(value as PrimitiveData)]);
        }
      }
    } else {
      throw new TypeError(
        `Invalid type for query parameters: ${typeof params}`,
      );
    }
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.#dict.size;
  }

  /** The first value of `key`, or `undefined` when it is absent. */
  get(key: string): string | undefined {
    return this.#dict.get(key)?.[0];
  }

  /** Every value of `key`, in order (empty when absent). */
  getList(key: string): string[] {
    const list = this.#dict.get(key);
    return list ? [...list] : [];
  }

  /** Whether `key` is present (keys are case-sensitive). */
  has(key: string): boolean {
    return this.#dict.has(key);
  }

  /** The distinct keys, in order of first appearance. */
  keys(): IterableIterator<string> {
    return this.#dict.keys();
  }

  /** The first value of each key. */
  values(): IterableIterator<string> {
    return [...this.#dict.values()].map((list) => list[0]).values();
  }

  /** `[key, firstValue]` for each key. */
  entries(): IterableIterator<[string, string]> {
    return [...this.#dict].map(([key, list]): [string, string] => [
      key,
      list[0],
    ]).values();
  }

  /** `[key, firstValue]` for each key. */
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /** Every `[key, value]` pair, repeated keys included, grouped by key. */
  multiItems(): Array<[string, string]> {
    const items: Array<[string, string]> = [];
    for (const [key, list] of this.#dict) {
      for (const value of list) items.push([key, value]);
    }
    return items;
  }

  #derive(mutate: (dict: Map<string, string[]>) => void): QueryParams {
    const next = new QueryParams();
    const dict = new Map(this.#dict);
    mutate(dict);
    next.#dict = dict;
    return next;
  }

  /** A copy with `key` set to the single value `value`. */
  set(key: string, value: PrimitiveData = null): QueryParams {
    const text = primitiveValueToString(value);
    return this.#derive((dict) => dict.set(String(key), [text]));
  }

  /** A copy with `value` appended to the values of `key`. */
  add(key: string, value: PrimitiveData = null): QueryParams {
    const text = primitiveValueToString(value);
    return this.#derive((dict) => {
      dict.set(String(key), [...(dict.get(String(key)) ?? []), text]);
    });
  }

  /** A copy without `key`. */
  remove(key: string): QueryParams {
    return this.#derive((dict) => dict.delete(String(key)));
  }

  /**
   * A copy where each key of `params` replaces that key's values (keys only
   * here are kept).
   */
  merge(params?: QueryParamTypes | null): QueryParams {
    const other = new QueryParams(params);
    return this.#derive((dict) => {
      for (const [key, list] of other.#dict) dict.set(key, list);
    });
  }

  /**
   * Whether both hold the same pairs, in any order. Anything that is not a
   * `QueryParams` is parsed first.
   */
  equals(other: QueryParams | QueryParamTypes): boolean {
    let that: QueryParams;
    try {
      that = other instanceof QueryParams ? other : new QueryParams(other);
    } catch {
      return false;
    }
    const a = this.multiItems();
    const b = that.multiItems();
    if (a.length !== b.length) return false;
    const order = (x: [string, string], y: [string, string]): number =>
      x[0] < y[0]
        ? -1
        : x[0] > y[0]
        ? 1
        : x[1] < y[1]
        ? -1
        : x[1] > y[1]
        ? 1
        : 0;
    a.sort(order);
    b.sort(order);
    return a.every((pair, i) => pair[0] === b[i][0] && pair[1] === b[i][1]);
  }

  /** Form-encoded query string, as Python's `urlencode`: `a=b+c&d=%2F`. */
  toString(): string {
    if (this.#string !== undefined) return this.#string;
    const parts: string[] = [];
    for (const [key, list] of this.#dict) {
      const encodedKey = formEncode(key);
      for (const value of list) {
        parts.push(encodedKey + "=" + formEncode(value));
      }
    }
    return this.#string = parts.join("&");
  }

  /** `QueryParams('a=1&b=2')`, as HTTPX's `repr`. */
  [Symbol.for("Deno.customInspect")](): string {
    return `QueryParams('${this.toString()}')`;
  }
}
