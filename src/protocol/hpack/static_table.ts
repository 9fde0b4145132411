/**
 * The HPACK static table, RFC 7541 Appendix A.
 *
 * @module
 */

/** Static table entries as `[name, value]`; index 1 is `STATIC_TABLE[0]`. */
export const STATIC_TABLE: ReadonlyArray<readonly [string, string]> = [
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
];

/** Number of static entries (61); dynamic indexes start after it. */
export const STATIC_TABLE_LENGTH: number = STATIC_TABLE.length;

const fullIndex = new Map<string, number>();
const nameIndex = new Map<string, number>();
for (let i = 0; i < STATIC_TABLE.length; i++) {
  const [name, value] = STATIC_TABLE[i];
  const key = `${name}\0${value}`;
  if (!fullIndex.has(key)) fullIndex.set(key, i + 1);
  if (!nameIndex.has(name)) nameIndex.set(name, i + 1);
}

/** The static index of `name: value`, or 0 when there is none. */
export function staticFullMatch(name: string, value: string): number {
  return fullIndex.get(`${name}\0${value}`) ?? 0;
}

/** The first static index whose name is `name`, or 0 when there is none. */
export function staticNameMatch(name: string): number {
  return nameIndex.get(name) ?? 0;
}
