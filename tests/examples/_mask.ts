/**
 * Masks the volatile parts of example output so snapshots compare: ports,
 * dates, uuids and hex nonces, durations, and the package version.
 *
 * @module
 */

const MASKS: Array<[RegExp, string]> = [
  [/\b(127\.0\.0\.1|localhost|\[::1\]):\d{2,5}\b/g, "$1:<port>"],
  [
    /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g,
    "<date>",
  ],
  [
    /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
    "<uuid>",
  ],
  [/\b[0-9a-f]{32}\b/g, "<hex>"],
  [/\b\d+\.\d+ ?m?s\b/g, "<duration>"],
  [/\bx-httpx\/\d+\.\d+\.\d+\S*/g, "x-httpx/<version>"],
];

/**
 * Replace the volatile parts of `text` with placeholders.
 *
 * @param text What an example printed.
 * @returns The text with ports, dates, uuids, durations and the version masked.
 */
export function maskOutput(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MASKS) {
    out = out.replace(pattern, replacement);
  }
  return out;
}
