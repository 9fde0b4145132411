/**
 * Checks on received HTTP/2 header lists (RFC 9113 §8.2, §8.3): kept apart
 * from the connection so the rules are in one place.
 *
 * @module
 */

import type { HeaderList } from "../hpack/encoder.ts";

/** Headers that only make sense per hop in HTTP/1.1 and are forbidden in HTTP/2. */
export const CONNECTION_SPECIFIC_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

/** What kind of header block is being checked. */
export type HeaderBlockKind = "response" | "trailers";

/**
 * Why `headers` is not a valid response head or trailer block, or `null`
 * when it is. Rules: names are lowercase and not empty; pseudo-headers come
 * first, and a response has exactly one `:status` of three digits and no
 * other pseudo-header; trailers have none; no connection-specific headers;
 * `te` may only be `trailers`.
 */
export function responseHeaderProblem(
  headers: HeaderList,
  kind: HeaderBlockKind,
): string | null {
  let sawRegular = false;
  let status: string | null = null;
  for (const [name, value] of headers) {
    if (name.length === 0) return "Empty header name";
    if (name.charCodeAt(0) === 0x3a) {
      if (kind === "trailers") return `Pseudo-header ${name} in trailers`;
      if (sawRegular) return `Pseudo-header ${name} after regular headers`;
      if (name !== ":status") {
        return `Unexpected pseudo-header ${name} in a response`;
      }
      if (status !== null) return "Duplicate :status pseudo-header";
      status = value;
      continue;
    }
    sawRegular = true;
    if (/[A-Z]/.test(name)) return `Header name ${name} is not lowercase`;
    if (CONNECTION_SPECIFIC_HEADERS.has(name)) {
      return `Connection-specific header ${name} is not allowed in HTTP/2`;
    }
    if (name === "te" && value.trim().toLowerCase() !== "trailers") {
      return "The te header may only be trailers";
    }
  }
  if (kind === "response") {
    if (status === null) return "Response has no :status pseudo-header";
    if (!/^[0-9]{3}$/.test(status)) return `Invalid :status ${status}`;
  }
  return null;
}

/**
 * The `:status` of a response head as a number, or `null` when it is
 * missing or not three digits (checked even without full validation).
 */
export function responseStatus(headers: HeaderList): number | null {
  for (const [name, value] of headers) {
    if (name === ":status") {
      return /^[0-9]{3}$/.test(value) ? Number(value) : null;
    }
  }
  return null;
}
