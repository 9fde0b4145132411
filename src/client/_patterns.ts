/**
 * HTTPX's URL patterns for `mounts` (and, later, proxies).
 *
 * @module
 */

/** What a pattern needs to know of a URL to match it. */
export interface PatternTarget {
  /** Lower-case scheme, `""` when none. */
  readonly scheme: string;
  /** Host without brackets, lower-case. */
  readonly host: string;
  /** Port, `null` for the scheme's default. */
  readonly port: number | null;
}

const DEFAULT_PORTS: Record<string, number> = {
  ftp: 21,
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
};

const PATTERN_RE =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::([0-9]*))?(?:[/?#].*)?$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * One `mounts` key, such as `"all://"`, `"https://"`, `"all://*.example.org"`,
 * `"all://*example.org"` or `"https://example.org:8443"`, matched as HTTPX
 * matches its URL patterns:
 *
 * - the scheme `all` matches any scheme;
 * - a host `*` (or no host) matches any host; `*.example.org` matches
 *   subdomains only; `*example.org` matches the domain and its subdomains;
 *   any other host matches exactly;
 * - a port matches only that port; no port matches any port.
 *
 * Sort with {@linkcode MountPattern.compare}: patterns with a port first,
 * then longer hosts, then longer schemes.
 */
export class MountPattern {
  /** The pattern exactly as given. */
  readonly pattern: string;
  /** The scheme to match, `""` for any. */
  readonly scheme: string;
  /** The host as written (`""` for any). */
  readonly host: string;
  /** The port to match, `null` for any. */
  readonly port: number | null;
  #hostRegex: RegExp | null;

  /**
   * Parse a pattern.
   *
   * @param pattern A URL form with `://`, or `""` to match everything.
   * @throws {TypeError} When the key is a plain scheme name or not URL-shaped.
   */
  constructor(pattern: string) {
    this.pattern = pattern;
    if (pattern === "") {
      this.scheme = "";
      this.host = "";
      this.port = null;
      this.#hostRegex = null;
      return;
    }
    if (!pattern.includes("://")) {
      throw new TypeError(
        `Mount and proxy keys should use proper URL forms rather than plain scheme strings. Instead of "${pattern}", use "${
          pattern.replace(/:+$/, "")
        }://"`,
      );
    }
    const match = PATTERN_RE.exec(pattern);
    if (match === null) {
      throw new TypeError(`Invalid URL pattern "${pattern}"`);
    }
    const scheme = match[1].toLowerCase();
    let host = match[2].toLowerCase();
    if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
    let port: number | null = null;
    if (match[3] !== undefined && match[3] !== "") {
      port = Number(match[3]);
      if (DEFAULT_PORTS[scheme] === port) port = null;
    }
    this.scheme = scheme === "all" ? "" : scheme;
    this.host = host === "*" ? "" : host;
    this.port = port;
    if (this.host === "") {
      this.#hostRegex = null;
    } else if (this.host.startsWith("*.")) {
      this.#hostRegex = new RegExp(
        `^.+\\.${escapeRegExp(this.host.slice(2))}$`,
      );
    } else if (this.host.startsWith("*")) {
      this.#hostRegex = new RegExp(
        `^(.+\\.)?${escapeRegExp(this.host.slice(1))}$`,
      );
    } else {
      this.#hostRegex = new RegExp(`^${escapeRegExp(this.host)}$`);
    }
  }

  /** Whether a URL falls under this pattern. */
  matches(url: PatternTarget): boolean {
    if (this.scheme !== "" && this.scheme !== url.scheme) return false;
    if (
      this.#hostRegex !== null && !this.#hostRegex.test(url.host.toLowerCase())
    ) {
      return false;
    }
    if (this.port !== null && this.port !== url.port) return false;
    return true;
  }

  /**
   * The sort key, smallest first: `[0 if a port else 1, -host length,
   * -scheme length]`.
   */
  get priority(): [number, number, number] {
    const negate = (n: number): number => n === 0 ? 0 : -n;
    return [
      this.port !== null ? 0 : 1,
      negate(this.host.length),
      negate(this.scheme.length),
    ];
  }

  /** Comparator for `Array.prototype.sort`: most specific pattern first. */
  static compare(a: MountPattern, b: MountPattern): number {
    const pa = a.priority;
    const pb = b.priority;
    for (let i = 0; i < 3; i++) {
      if (pa[i] !== pb[i]) return pa[i] - pb[i];
    }
    return 0;
  }

  /** The pattern as given. */
  toString(): string {
    return this.pattern;
  }
}
