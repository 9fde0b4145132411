/**
 * Parsing of the `Link` response header (RFC 8288), the way HTTPX reads it.
 *
 * @module
 */

/**
 * One link of a `Link` header: its `url` and every parameter given, as
 * `Response.links` returns them.
 *
 * @example Follow the `next` page
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const response = new httpx.Response(200, {
 *   headers: { link: '<https://api.example.org/items?page=2>; rel="next"' },
 * });
 * const next: httpx.Link = response.links.next;
 * console.assert(next.url === "https://api.example.org/items?page=2");
 * console.assert(next.rel === "next");
 * ```
 */
export type Link = Record<string, string>;

const QUOTES_AND_SPACES = " '\"";
const URL_TRIM = "<> '\"";

function trimChars(value: string, chars: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && chars.includes(value[start])) start++;
  while (end > start && chars.includes(value[end - 1])) end--;
  return value.slice(start, end);
}

/**
 * Split a `Link` header value into its links. Each link is an object with
 * `url` and the parameters (`rel`, `type`, …) with quotes and spaces
 * removed. A malformed parameter ends the parameter list of its link, as
 * HTTPX does.
 */
export function parseHeaderLinks(value: string): Link[] {
  const links: Link[] = [];
  const header = trimChars(value, QUOTES_AND_SPACES);
  if (header === "") return links;
  for (const part of header.split(/, *</)) {
    const semicolon = part.indexOf(";");
    const target = semicolon === -1 ? part : part.slice(0, semicolon);
    const params = semicolon === -1 ? "" : part.slice(semicolon + 1);
    const link: Link = { url: trimChars(target, URL_TRIM) };
    for (const param of params.split(";")) {
      const pieces = param.split("=");
      if (pieces.length !== 2) break;
      link[trimChars(pieces[0], QUOTES_AND_SPACES)] = trimChars(
        pieces[1],
        QUOTES_AND_SPACES,
      );
    }
    links.push(link);
  }
  return links;
}

/**
 * The links of a `Link` header keyed by their `rel` (or by their `url` when
 * they have no `rel`), as `Response.links` returns them.
 */
export function linksByRel(
  value: string | null | undefined,
): Record<string, Link> {
  const result: Record<string, Link> = {};
  if (!value) return result;
  for (const link of parseHeaderLinks(value)) {
    result[link.rel || link.url] = link;
  }
  return result;
}
