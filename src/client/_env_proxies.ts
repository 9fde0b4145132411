/**
 * Proxies from the environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`,
 * `NO_PROXY`, in upper or lower case), read as HTTPX reads them (through
 * Python's `urllib.request.getproxies`), and turned into mount patterns.
 *
 * Nothing here prompts: a variable is read only when `Deno.permissions`
 * says reading it is granted already.
 *
 * @module
 */

import {
  cidrContains,
  type CidrRange,
  parseCidr,
  parseIPv4,
  parseIPv6,
} from "../protocol/socks5/ip_address.ts";
import { MountPattern, type PatternTarget } from "./_patterns.ts";

/** Environment variables by name, as `Deno.env.toObject()` gives them. */
export type EnvironmentVariables = Readonly<Record<string, string>>;

/** The variables read when the whole environment may not be. */
const NAMES = [
  "http_proxy",
  "HTTP_PROXY",
  "https_proxy",
  "HTTPS_PROXY",
  "all_proxy",
  "ALL_PROXY",
  "no_proxy",
  "NO_PROXY",
  "REQUEST_METHOD",
];

interface DenoEnvLike {
  permissions?: {
    querySync?(descriptor: Deno.PermissionDescriptor): { state: string };
  };
  env?: {
    get(name: string): string | undefined;
    toObject(): Record<string, string>;
  };
}

function granted(deno: DenoEnvLike, variable?: string): boolean {
  try {
    const descriptor: Deno.PermissionDescriptor = variable === undefined
      ? { name: "env" }
      : { name: "env", variable };
    return deno.permissions?.querySync?.(descriptor).state === "granted";
  } catch {
    return false;
  }
}

/**
 * The proxy variables of the environment that may be read without a
 * prompt: all of them with `--allow-env`, else those named in
 * `--allow-env=…`, else none. Outside Deno, none.
 */
export function readProxyEnvironment(): Record<string, string> {
  const deno = (globalThis as { Deno?: DenoEnvLike }).Deno;
  if (deno?.env === undefined) return {};
  try {
    if (granted(deno)) return deno.env.toObject();
    const out: Record<string, string> = {};
    for (const name of NAMES) {
      if (!granted(deno, name)) continue;
      const value = deno.env.get(name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * `urllib.request.getproxies()` from environment variables: every
 * `*_proxy` variable, case-insensitively, keyed by its prefix; lower-case
 * names win, and an empty lower-case one removes the entry. Under CGI
 * (`REQUEST_METHOD` set), an upper-case `HTTP_PROXY` is ignored (it could
 * come from a client's `Proxy:` header).
 *
 * @param env The environment variables.
 */
export function getProxies(env: EnvironmentVariables): Map<string, string> {
  const proxies = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    const lower = name.toLowerCase();
    if (value && lower.endsWith("_proxy")) {
      proxies.set(lower.slice(0, -6), value);
    }
  }
  if ("REQUEST_METHOD" in env) proxies.delete("http");
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith("_proxy")) continue;
    const key = name.toLowerCase().slice(0, -6);
    if (value) proxies.set(key, value);
    else proxies.delete(key);
  }
  return proxies;
}

/** One `NO_PROXY` entry as a mount key, with its address range for IP entries. */
interface NoProxyEntry {
  key: string;
  range: CidrRange | null;
}

function noProxyEntry(entry: string): NoProxyEntry {
  if (entry.includes("://")) return { key: entry, range: null };
  const slash = entry.indexOf("/");
  const address = slash < 0 ? entry : entry.slice(0, slash);
  if (parseIPv4(address) !== null) {
    return { key: `all://${entry}`, range: parseCidr(entry) };
  }
  if (parseIPv6(address) !== null) {
    return { key: `all://[${entry}]`, range: parseCidr(entry) };
  }
  const bracketed = /^\[([^\]]+)\](:[0-9]+)?$/.exec(entry);
  if (bracketed !== null && parseIPv6(bracketed[1]) !== null) {
    return {
      key: `all://${entry}`,
      range: bracketed[2] === undefined ? parseCidr(bracketed[1]) : null,
    };
  }
  if (entry.toLowerCase() === "localhost") {
    return { key: `all://${entry}`, range: null };
  }
  // "*.example.org" means what ".example.org" means.
  const name = entry.startsWith("*.") ? entry.slice(1) : entry;
  return { key: `all://*${name}`, range: null };
}

function environmentEntries(
  env: EnvironmentVariables,
): Array<[string, string | null, CidrRange | null]> {
  const info = getProxies(env);
  const entries = new Map<string, [string | null, CidrRange | null]>();
  for (const scheme of ["http", "https", "all"]) {
    const value = info.get(scheme);
    if (!value) continue;
    entries.set(`${scheme}://`, [
      value.includes("://") ? value : `http://${value}`,
      null,
    ]);
  }
  for (const raw of (info.get("no") ?? "").split(",")) {
    const entry = raw.trim();
    if (entry === "*") return [];
    if (entry === "") continue;
    const { key, range } = noProxyEntry(entry);
    entries.set(key, [null, range]);
  }
  return [...entries].map(([key, [url, range]]) => [key, url, range]);
}

/**
 * HTTPX's `get_environment_proxies()`: mount keys mapped to a proxy URL, or
 * to `null` for `NO_PROXY` entries (which route to the default transport).
 *
 * - `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` → `"http://"`, `"https://"`,
 *   `"all://"`; a value without `://` gets `http://` in front.
 * - `NO_PROXY` (comma-separated, trimmed): `*` anywhere means no proxies at
 *   all (`{}`); an entry with `://` is a mount key as it is; an IPv4
 *   address or range → `all://10.0.0.0/8`; IPv6 → `all://[::1]`;
 *   `localhost` → `all://localhost`; any other name → `all://*name` (the
 *   domain and its subdomains; `.name` and `*.name`: subdomains only).
 *
 * @param env The environment; by default what may be read without a prompt.
 */
export function getEnvironmentProxies(
  env: EnvironmentVariables = readProxyEnvironment(),
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, url] of environmentEntries(env)) out[key] = url;
  return out;
}

/**
 * A `NO_PROXY` IP entry: matches IP literal hosts inside its range (so
 * `10.0.0.0/8` and `fd00::/8` work, and `::1` matches however it is
 * written), on any scheme and port.
 */
export class AddressRangePattern extends MountPattern {
  #range: CidrRange;

  /**
   * @param key The mount key (`all://10.0.0.0/8`, `all://[::1]`).
   * @param range The address range.
   */
  constructor(key: string, range: CidrRange) {
    super(key);
    this.#range = range;
  }

  /** Whether `url.host` is an IP literal inside the range. */
  override matches(url: PatternTarget): boolean {
    return cidrContains(this.#range, url.host);
  }
}

/**
 * The environment's proxies as mount patterns, each with a proxy URL or
 * `null` (no proxy), ready for the client's mount table. IP entries of
 * `NO_PROXY` match whole CIDR ranges (HTTPX matches only the network
 * address).
 *
 * @param env The environment; by default what may be read without a prompt.
 */
export function environmentProxyMounts(
  env: EnvironmentVariables = readProxyEnvironment(),
): Array<[MountPattern, string | null]> {
  const mounts: Array<[MountPattern, string | null]> = [];
  for (const [key, url, range] of environmentEntries(env)) {
    try {
      mounts.push([
        range === null
          ? new MountPattern(key)
          : new AddressRangePattern(key, range),
        url,
      ]);
    } catch {
      // A NO_PROXY entry that is no pattern at all ("a:b") matches nothing.
      if (url !== null) throw new TypeError(`Invalid proxy mount ${key}`);
    }
  }
  return mounts;
}
