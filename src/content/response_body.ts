/**
 * Response body encoding, for building a `Response` by hand (tests,
 * `MockTransport` handlers): `content`, `text`, `html` or `json`.
 *
 * @module
 */

import { encodeContent, type EncodedBody, encodeJson } from "./request_body.ts";
import { BytesStream, type ContentSource } from "./streams.ts";

/** What {@linkcode encodeResponse} encodes; the first one given wins. */
export interface EncodeResponseOptions {
  /** Raw body. */
  content?: ContentSource | null;
  /** Text, sent as UTF-8 with `Content-Type: text/plain; charset=utf-8`. */
  text?: string | null;
  /** HTML, sent as UTF-8 with `Content-Type: text/html; charset=utf-8`. */
  html?: string | null;
  /** Any JSON value (`undefined` means none), sent compactly. */
  json?: unknown;
}

const encoder = new TextEncoder();

/**
 * Encode a response body with HTTPX's precedence: `content`, `text`,
 * `html`, then `json`; else an empty body with no headers.
 *
 * @param options The body options.
 * @returns The body headers and the stream.
 */
export function encodeResponse(
  options: EncodeResponseOptions = {},
): EncodedBody {
  const { content, text, html, json } = options;
  if (content !== null && content !== undefined) return encodeContent(content);
  if (text !== null && text !== undefined) {
    return encodeText(text, "text/plain; charset=utf-8");
  }
  if (html !== null && html !== undefined) {
    return encodeText(html, "text/html; charset=utf-8");
  }
  if (json !== undefined) return encodeJson(json);
  return { headers: [], stream: new BytesStream() };
}

function encodeText(text: string, contentType: string): EncodedBody {
  const body = encoder.encode(text);
  return {
    headers: [
      ["Content-Length", String(body.byteLength)],
      ["Content-Type", contentType],
    ],
    stream: new BytesStream(body),
  };
}
