/**
 * IP address literals as bytes: parsing and formatting IPv4 and IPv6, and
 * CIDR range matching. Used by the SOCKS5 handshake (addresses go on the
 * wire as bytes) and by `NO_PROXY` matching.
 *
 * @module
 */

const IPV4_PART = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/**
 * The four bytes of a dotted-quad IPv4 literal (`"192.0.2.1"`), or `null`
 * when `text` is not one (leading zeros, which some parsers read as octal,
 * are refused).
 *
 * @param text The candidate literal.
 */
export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!IPV4_PART.test(parts[i])) return null;
    const value = Number(parts[i]);
    if (value > 255) return null;
    out[i] = value;
  }
  return out;
}

/**
 * The sixteen bytes of an IPv6 literal (`"::1"`, `"2001:db8::8:800:200c:417a"`,
 * `"::ffff:192.0.2.1"`), or `null` when `text` is not one. Brackets and zone
 * identifiers (`%eth0`) are not accepted.
 *
 * @param text The candidate literal.
 */
export function parseIPv6(text: string): Uint8Array | null {
  if (text.length < 2 || text.length > 45) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string): string[] | null =>
    part === "" ? [] : part.split(":");
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === null || tail === null) return null;

  // An embedded IPv4 address may end the literal.
  let v4: Uint8Array | null = null;
  const last = halves.length === 2 ? tail : head;
  if (last.length > 0 && last[last.length - 1].includes(".")) {
    v4 = parseIPv4(last[last.length - 1]);
    if (v4 === null) return null;
    last.pop();
  }
  const words = head.length + tail.length + (v4 === null ? 0 : 2);
  if (halves.length === 2 ? words > 7 : words !== 8) return null;

  const out = new Uint8Array(16);
  let offset = 0;
  const put = (group: string): boolean => {
    if (!HEX_GROUP.test(group)) return false;
    const value = parseInt(group, 16);
    out[offset++] = value >> 8;
    out[offset++] = value & 0xff;
    return true;
  };
  for (const group of head) if (!put(group)) return null;
  if (halves.length === 2) {
    offset = 16 - 2 * tail.length - (v4 === null ? 0 : 4);
    for (const group of tail) if (!put(group)) return null;
  }
  if (v4 !== null) out.set(v4, 12);
  return out;
}

/** Whether `text` is an IPv4 or IPv6 literal (IPv6 without brackets). */
export function isIpLiteral(text: string): boolean {
  return parseIPv4(text) !== null || parseIPv6(text) !== null;
}

/**
 * The text form of a 4-byte (IPv4) or 16-byte (IPv6, RFC 5952 shortening)
 * address.
 *
 * @param bytes The address bytes.
 */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join(".");
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  // The longest run of two or more zero words becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]): string =>
    list.map((word) => word.toString(16)).join(":");
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${
    hex(words.slice(bestStart + bestLength))
  }`;
}

/** A parsed CIDR range such as `10.0.0.0/8` or `fd00::/8`. */
export interface CidrRange {
  /** The network address bytes (4 or 16). */
  readonly address: Uint8Array;
  /** How many leading bits must match. */
  readonly prefixLength: number;
}

/**
 * Parse `address/prefix` (or a bare address, meaning the one address), or
 * return `null`.
 *
 * @param text For example `"192.168.0.0/16"`, `"::1"` or `"fd00::/8"`.
 */
export function parseCidr(text: string): CidrRange | null {
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const address = parseIPv4(addressText) ?? parseIPv6(addressText);
  if (address === null) return null;
  const bits = address.length * 8;
  if (slash < 0) return { address, prefixLength: bits };
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return null;
  const prefixLength = Number(prefixText);
  if (prefixLength > bits) return null;
  return { address, prefixLength };
}

/**
 * Whether the IP literal `host` lies in `range` (an IPv4 host never lies in
 * an IPv6 range and the other way round).
 *
 * @param range The range, from {@linkcode parseCidr}.
 * @param host An IP literal; names never match.
 */
export function cidrContains(range: CidrRange, host: string): boolean {
  const address = parseIPv4(host) ?? parseIPv6(host);
  if (address === null || address.length !== range.address.length) {
    return false;
  }
  let bits = range.prefixLength;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((address[i] & mask) !== (range.address[i] & mask)) return false;
  }
  return true;
}
