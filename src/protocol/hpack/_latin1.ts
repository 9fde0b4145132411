/**
 * Octets to latin1 strings (one character per octet). `TextDecoder`'s
 * "latin1" is really windows-1252, so it cannot be used here.
 *
 * @module
 */

const CHUNK = 4096;

/** The octets `bytes[start, end)` as a string with one character per octet. */
export function latin1Decode(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
): string {
  const length = end - start;
  if (length <= 0) return "";
  if (length <= CHUNK) {
    return String.fromCharCode.apply(
      null,
      bytes.subarray(start, end) as unknown as number[],
    );
  }
  let out = "";
  for (let at = start; at < end; at += CHUNK) {
    out += String.fromCharCode.apply(
      null,
      bytes.subarray(at, Math.min(end, at + CHUNK)) as unknown as number[],
    );
  }
  return out;
}

/**
 * A latin1 string as octets; returns `null` when a character is above
 * U+00FF.
 */
export function latin1Encode(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return null;
    out[i] = code;
  }
  return out;
}
