/**
 * Parse the lines of a response head or a trailer section, already delimited
 * in a byte buffer, into a status line and header fields.
 *
 * @module
 */

import { RemoteProtocolError } from "../../errors.ts";
import { decodeUtf8OrLatin1, hasHighBytes, isToken, TOKEN } from "./_chars.ts";

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

/**
 * A response head parsed in one pass over ASCII bytes, with what its
 * framing depends on noted on the way.
 */
export interface FastHead {
  /** `"HTTP/1.1"` or `"HTTP/1.0"`. */
  httpVersion: string;
  /** Three-digit status code. */
  statusCode: number;
  /** The reason phrase as received (may be empty). */
  reasonPhrase: string;
  /** Header fields in order, names as received. */
  headers: Array<[string, string]>;
  /**
   * Whether the framing can be decided from the fields below; `false` when
   * a header needs the full rules (`Transfer-Encoding`, a repeated or
   * unusual `Content-Length`, a `Connection` list).
   */
  simple: boolean;
  /** The one plain decimal `Content-Length`, or -1 when there is none. */
  contentLength: number;
  /** A `Connection: close` field was seen. */
  close: boolean;
  /** A `Connection: keep-alive` field was seen. */
  keepAlive: boolean;
}

/**
 * Parse the head in `bytes[start, end)` (status line and field lines, each
 * ending with LF or CR LF, the blank line excluded) in one pass, or return
 * `null` when anything is out of the ordinary (a byte above 0x7F, NUL, a
 * bare CR, an obs-fold, a malformed status or field line): then
 * {@linkcode headLines}, {@linkcode parseStatusLine} and
 * {@linkcode parseFieldLines} give the exact result or error. For every head
 * it accepts, the result is the same as theirs.
 */
export function parseHeadFast(
  bytes: Uint8Array,
  start: number,
  end: number,
): FastHead | null {
  const n = end - start;
  // "HTTP/1.x NNN" and its LF at least.
  if (n < 13) return null;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b >= 0x80 || b === 0) return null;
  }
  const text = asciiDecoder.decode(bytes.subarray(start, end));
  if (!text.startsWith("HTTP/1.")) return null;
  const minor = text.charCodeAt(7);
  if ((minor !== 0x30 && minor !== 0x31) || text.charCodeAt(8) !== 0x20) {
    return null;
  }
  const d0 = text.charCodeAt(9) - 0x30;
  const d1 = text.charCodeAt(10) - 0x30;
  const d2 = text.charCodeAt(11) - 0x30;
  if (
    d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9
  ) return null;
  let lf = text.indexOf("\n", 12);
  let lineEnd = text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
  if (lineEnd < 12) return null;
  let reasonPhrase = "";
  if (lineEnd > 12) {
    if (text.charCodeAt(12) !== 0x20) return null;
    const cr = text.indexOf("\r", 13);
    if (cr !== -1 && cr < lineEnd) return null;
    if (lineEnd > 13) {
      reasonPhrase = lineEnd === 15 && text.charCodeAt(13) === 0x4f &&
          text.charCodeAt(14) === 0x4b
        ? "OK"
        : text.slice(13, lineEnd);
    }
  }
  const head: FastHead = {
    httpVersion: minor === 0x31 ? "HTTP/1.1" : "HTTP/1.0",
    statusCode: d0 * 100 + d1 * 10 + d2,
    reasonPhrase,
    headers: [],
    simple: true,
    contentLength: -1,
    close: false,
    keepAlive: false,
  };
  const headers = head.headers;
  const length = text.length;
  let from = lf + 1;
  while (from < length) {
    lf = text.indexOf("\n", from);
    if (lf === -1) return null;
    lineEnd = lf > from && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    // The name: token characters up to the colon.
    let i = from;
    while (i < lineEnd) {
      const c = text.charCodeAt(i);
      if (TOKEN[c] === 0) break;
      i++;
    }
    if (i === from || i === lineEnd || text.charCodeAt(i) !== 0x3a) {
      return null;
    }
    const cr = text.indexOf("\r", i);
    if (cr !== -1 && cr < lineEnd) return null;
    const nameLength = i - from;
    const name = text.slice(from, i);
    // The value, without surrounding SP and HTAB.
    let vs = i + 1;
    while (vs < lineEnd) {
      const c = text.charCodeAt(vs);
      if (c !== 0x20 && c !== 0x09) break;
      vs++;
    }
    let ve = lineEnd;
    while (ve > vs) {
      const c = text.charCodeAt(ve - 1);
      if (c !== 0x20 && c !== 0x09) break;
      ve--;
    }
    const value = vs === ve ? "" : text.slice(vs, ve);
    headers.push([name, value]);
    if (
      nameLength === 14 && head.simple &&
      equalsLower(text, from, "content-length")
    ) {
      const digits = ve - vs;
      if (head.contentLength !== -1 || digits === 0 || digits > 15) {
        head.simple = false;
      } else {
        let number = 0;
        for (let k = vs; k < ve; k++) {
          const d = text.charCodeAt(k) - 0x30;
          if (d < 0 || d > 9) {
            head.simple = false;
            break;
          }
          number = number * 10 + d;
        }
        head.contentLength = number;
      }
    } else if (
      nameLength === 17 && equalsLower(text, from, "transfer-encoding")
    ) {
      head.simple = false;
    } else if (nameLength === 10 && equalsLower(text, from, "connection")) {
      const size = ve - vs;
      if (size === 10 && equalsLower(text, vs, "keep-alive")) {
        head.keepAlive = true;
      } else if (size === 5 && equalsLower(text, vs, "close")) {
        head.close = true;
      } else {
        head.simple = false;
      }
    }
    from = lf + 1;
  }
  return head;
}

/**
 * Whether `text` at `at` spells `lower` (lower-case letters and `-`) in
 * any case. Token characters only: `c | 0x20` maps nothing else onto a
 * letter or `-`.
 */
function equalsLower(text: string, at: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== lower.charCodeAt(k)) return false;
  }
  return true;
}
