/**
 * The `Proxy` configuration.
 *
 * @module
 */

import { Headers, type HeaderTypes } from "../models/headers.ts";
import { URL } from "../models/url.ts";

/**
 * Options of {@linkcode Proxy}.
 *
 * @example Credentials and proxy-only headers
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const options: httpx.ProxyOptions = {
 *   auth: ["user", "secret"],
 *   headers: { "x-proxy-tag": "ci" },
 * };
 * const proxy = new httpx.Proxy("http://127.0.0.1:3128", options);
 * console.assert(proxy.auth?.[1] === "secret");
 * console.assert(proxy.headers.get("x-proxy-tag") === "ci");
 * console.assert(!proxy.toString().includes("secret"));
 * ```
 */
export interface ProxyOptions {
  /** Proxy credentials; taken from the URL's userinfo when omitted. */
  auth?: [username: string, password: string] | null;
  /** Headers sent to the proxy only (never to the origin). */
  headers?: HeaderTypes;
}

const PROXY_SCHEMES = new Set(["http", "https", "socks5", "socks5h"]);

/**
 * A proxy: `http://`, `https://`, `socks5://` (names resolved locally) or
 * `socks5h://` (names resolved by the proxy).
 *
 * @example Credentials come from the URL
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const proxy = new httpx.Proxy("http://user:secret@127.0.0.1:3128");
 * console.assert(proxy.url.toString() === "http://127.0.0.1:3128");
 * console.assert(proxy.auth?.[0] === "user");
 * ```
 */
export class Proxy {
  /** The proxy URL, without credentials. */
  readonly url: URL;
  /** Credentials, or `null`. */
  readonly auth: [username: string, password: string] | null;
  /** Headers for the proxy. */
  readonly headers: Headers;

  /**
   * Build the configuration.
   *
   * @param url The proxy URL.
   * @param options Credentials and proxy headers.
   */
  constructor(url: string | URL, options: ProxyOptions = {}) {
    const parsed = url instanceof URL ? url : new URL(url);
    if (!PROXY_SCHEMES.has(parsed.scheme)) {
      throw new TypeError(
        `Unknown scheme for proxy URL: ${parsed.toString()}; use http://, https://, socks5:// or socks5h://`,
      );
    }
    let auth = options.auth ?? null;
    if (auth === null && (parsed.username || parsed.password)) {
      auth = [parsed.username, parsed.password];
    }
    this.url = parsed.username || parsed.password
      ? parsed.copyWith({ username: "", password: "" })
      : parsed;
    this.auth = auth;
    this.headers = new Headers(options.headers ?? {});
  }

  /** `Proxy('http://127.0.0.1:3128')`, credentials never shown. */
  toString(): string {
    const auth = this.auth ? `, auth=['${this.auth[0]}', '********']` : "";
    return `Proxy('${this.url.toString()}'${auth})`;
  }

  /** The same as {@linkcode Proxy.toString}: the password is never shown. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }
}
