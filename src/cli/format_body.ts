/**
 * The response body as the command line prints it: JSON indented, text as
 * text, anything else summarised as `<N bytes of binary data>`.
 *
 * @module
 */

import type { Response } from "../models/response.ts";
import type { Style } from "./style.ts";

/** How a body is shown. */
export type BodyKind = "json" | "text" | "binary";

const TEXT_TYPES = new Set([
  "application/javascript",
  "application/ecmascript",
  "application/x-javascript",
  "application/xml",
  "application/xhtml+xml",
  "application/x-yaml",
  "application/yaml",
  "application/toml",
  "application/x-sh",
  "application/sql",
  "application/graphql",
  "application/x-httpd-php",
  "application/x-python",
  "application/x-ruby",
  "application/x-perl",
  "application/x-tex",
  "image/svg+xml",
  "message/http",
]);

const JSON_TYPES = new Set([
  "application/json",
  "application/json-object",
  "application/x-ndjson",
  "application/jsonl",
  "application/json-seq",
]);

/**
 * Decide how to show a body from its `Content-Type`: JSON types (and any
 * `+json` suffix) as JSON, `text/*` and the common textual application types
 * (and any `+xml` suffix) as text, everything else, and no type at all, as
 * binary.
 *
 * @param contentType The `Content-Type` value, if any.
 * @returns The kind of body.
 */
export function bodyKind(
  contentType: string | null | undefined,
): BodyKind {
  if (contentType === null || contentType === undefined) return "binary";
  const mime = contentType.split(";", 1)[0].trim().toLowerCase();
  if (JSON_TYPES.has(mime) || /^[a-z]+\/[^\s/]+\+json$/.test(mime)) {
    return "json";
  }
  if (mime.startsWith("text/") || TEXT_TYPES.has(mime)) return "text";
  if (/^[a-z]+\/[^\s/]+\+xml$/.test(mime)) return "text";
  return "binary";
}

/**
 * A JSON value indented by four spaces, keys and values coloured by `style`.
 *
 * @param value A value from `JSON.parse`.
 * @param style Colours, or none.
 * @returns The indented text, without a final newline.
 */
export function formatJson(value: unknown, style: Style): string {
  const render = (item: unknown, indent: string): string => {
    if (item === null) return style.literal("null");
    if (typeof item === "boolean") return style.literal(String(item));
    if (typeof item === "number") {
      return style.number(Number.isFinite(item) ? String(item) : "null");
    }
    if (typeof item === "string") return style.string(JSON.stringify(item));
    const inner = indent + "    ";
    if (Array.isArray(item)) {
      if (item.length === 0) return "[]";
      const parts = item.map((element) => inner + render(element, inner));
      return `[\n${parts.join(",\n")}\n${indent}]`;
    }
    const entries = Object.entries(item as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const parts = entries.map(([key, element]) =>
      `${inner}${style.key(JSON.stringify(key))}: ${render(element, inner)}`
    );
    return `{\n${parts.join(",\n")}\n${indent}}`;
  };
  return render(value, "");
}

/**
 * The body of a read response as printed: nothing for an empty body, else
 * the text ending in one newline. A JSON body that does not parse is shown
 * as text.
 *
 * @param response A response whose body has been read.
 * @param style Colours, or none.
 * @returns The text to print (empty when there is no body).
 */
export function formatBody(response: Response, style: Style): string {
  const content = response.content;
  if (content.length === 0) return "";
  const kind = bodyKind(response.headers.get("content-type"));
  if (kind === "binary") return `<${content.length} bytes of binary data>\n`;
  let text: string | null = null;
  if (kind === "json") {
    try {
      text = formatJson(response.json(), style);
    } catch {
      text = null;
    }
  }
  text ??= response.text;
  return text.endsWith("\n") ? text : text + "\n";
}
