/**
 * Parse the lines of a response head or a trailer section, already delimited
 * in a byte buffer, into a status line and header fields.
 *
 * @module
 */

import { RemoteProtocolError } from "../../errors.ts";
import { decodeUtf8OrLatin1, hasHighBytes, isToken } from "./_chars.ts";

const asciiDecoder = new TextDecoder();
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A parsed status line. */
export interface StatusLine {
  /** `"HTTP/1.1"` or `"HTTP/1.0"`. */
  httpVersion: string;
  /** Three-digit status code. */
  statusCode: number;
  /** The reason phrase as received (may be empty). */
  reasonPhrase: string;
}

const STATUS_LINE = /^HTTP\/(1\.[01]) ([0-9]{3})(?: ([^]*))?$/;

/**
 * Split `bytes[start, end)` (lines ending with LF, optionally CR LF, the
 * blank line excluded) into text lines. Pure ASCII goes through the native
 * decoder in one call; otherwise each line is UTF-8 when valid, else latin1.
 */
export function headLines(
  bytes: Uint8Array,
  start: number,
  end: number,
): string[] {
  const region = bytes.subarray(start, end);
  let text: string | null = null;
  if (!hasHighBytes(bytes, start, end)) {
    text = asciiDecoder.decode(region);
  } else {
    try {
      text = fatalUtf8.decode(region);
    } catch {
      text = null;
    }
  }
  let lines: string[];
  if (text !== null) {
    lines = text.split("\n");
  } else {
    lines = [];
    let from = 0;
    for (;;) {
      const lf = region.indexOf(10, from);
      if (lf === -1) {
        lines.push(decodeUtf8OrLatin1(region.subarray(from)));
        break;
      }
      lines.push(decodeUtf8OrLatin1(region.subarray(from, lf)));
      from = lf + 1;
    }
  }
  // The region ends with the last line's LF: drop the empty tail.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.indexOf("\r") !== -1) {
      throw new RemoteProtocolError("Invalid bare CR in response head");
    }
    if (line.indexOf("\0") !== -1) {
      throw new RemoteProtocolError("Invalid NUL in response head");
    }
    lines[i] = line;
  }
  return lines;
}

/**
 * Parse a status line.
 *
 * @throws {RemoteProtocolError} When it is not `HTTP/1.x NNN reason`.
 */
export function parseStatusLine(line: string): StatusLine {
  const match = STATUS_LINE.exec(line);
  if (match === null) {
    throw new RemoteProtocolError(
      `Invalid status line ${JSON.stringify(line.slice(0, 100))}`,
    );
  }
  return {
    httpVersion: "HTTP/" + match[1],
    statusCode: Number(match[2]),
    reasonPhrase: match[3] ?? "",
  };
}

/**
 * Parse header field lines `lines[from…]` into `[name, value]` pairs, names
 * as received. An obs-fold (a line starting with SP or HTAB) is joined to
 * the previous value with one space, as RFC 9112 §5.2 asks of user agents.
 *
 * @throws {RemoteProtocolError} For a line without a colon, an invalid name
 * (including whitespace before the colon) or a fold with nothing to fold.
 */
export function parseFieldLines(
  lines: string[],
  from: number,
): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      const last = fields[fields.length - 1];
      if (last === undefined) {
        throw new RemoteProtocolError(
          "Invalid obs-fold before the first header line",
        );
      }
      const more = trimOws(line);
      if (more !== "") {
        last[1] = last[1] === "" ? more : last[1] + " " + more;
      }
      continue;
    }
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    if (colon <= 0 || !isToken(name)) {
      throw new RemoteProtocolError(
        `Invalid header line ${JSON.stringify(line.slice(0, 100))}`,
      );
    }
    fields.push([name, trimOws(line.slice(colon + 1))]);
  }
  return fields;
}

/** Strip leading and trailing SP and HTAB (not other whitespace). */
function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end) {
    const c = text.charCodeAt(start);
    if (c !== 0x20 && c !== 0x09) break;
    start++;
  }
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
