/**
 * An incremental, sans-I/O HTTP/1.1 response parser: bytes go in with
 * `feed()`, events come out of `next()`.
 *
 * @module
 */

import { RemoteProtocolError } from "../../errors.ts";
import {
  type FastHead,
  headLines,
  parseFieldLines,
  parseHeadFast,
  parseStatusLine,
} from "./_head_parser.ts";
import {
  type ResponseBodyKind,
  responseFraming,
  simpleResponseFraming,
} from "./response_framing.ts";

/** The response head (the final, non-1xx one, or a 101). */
export interface HeadEvent {
  /** Event tag. */
  readonly type: "head";
  /** Three-digit status code. */
  readonly statusCode: number;
  /** The reason phrase exactly as received. */
  readonly reasonPhrase: string;
  /** `"HTTP/1.1"` or `"HTTP/1.0"`. */
  readonly httpVersion: string;
  /** Header fields in order, names as received. */
  readonly headers: Array<[string, string]>;
}

/** A piece of the response body. */
export interface DataEvent {
  /** Event tag. */
  readonly type: "data";
  /** Body bytes; never a view of a buffer that is reused (see `feed`). */
  readonly chunk: Uint8Array;
}

/** The response is complete. */
export interface EndEvent {
  /** Event tag. */
  readonly type: "end";
  /** Trailer fields of a chunked body (empty otherwise). */
  readonly trailers: Array<[string, string]>;
}

/** More bytes (or the end of input) are needed before the next event. */
export interface NeedDataEvent {
  /** Event tag. */
  readonly type: "needData";
}

/**
 * After 101 Switching Protocols or a 2xx answer to CONNECT: the connection
 * no longer speaks HTTP/1.1. `leftover` holds the bytes that arrived after
 * the head (a new array).
 */
export interface UpgradedEvent {
  /** Event tag. */
  readonly type: "upgraded";
  /** Bytes received after the head. */
  readonly leftover: Uint8Array;
}

/** What {@linkcode ResponseParser.next} returns. */
export type ResponseEvent =
  | HeadEvent
  | DataEvent
  | EndEvent
  | NeedDataEvent
  | UpgradedEvent;

/** Options of {@linkcode ResponseParser}. */
export interface ResponseParserOptions {
  /** Largest response head (and trailer section, and chunk-size line) accepted; 100 KiB by default. */
  maxHeadSize?: number;
}

/** Options of {@linkcode ResponseParser.startResponse}. */
export interface StartResponseOptions {
  /** `false` when the request said `Connection: close`. */
  requestKeepAlive?: boolean;
}

const NEED_DATA: NeedDataEvent = Object.freeze({ type: "needData" });

// Parser states; `#steps` maps each to its handler.
const HEAD = 0;
const BODY_LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_CRLF = 4;
const TRAILERS = 5;
const BODY_CLOSE = 6;
const END = 7;
const DONE = 8;
const UPGRADED = 9;
const IDLE = 10;

type State = number;

const STATE_NAMES = [
  "HEAD",
  "BODY_LENGTH",
  "CHUNK_SIZE",
  "CHUNK_DATA",
  "CHUNK_CRLF",
  "TRAILERS",
  "BODY_CLOSE",
  "END",
  "DONE",
  "UPGRADED",
  "IDLE",
] as const;

const EMPTY = new Uint8Array(0);

/**
 * Parses one HTTP/1.1 response at a time from bytes fed in any split.
 *
 * Call {@linkcode startResponse} before each response (with the request
 * method, which decides whether a body follows), {@linkcode feed} bytes as
 * they arrive and {@linkcode feedEof} at end of input, and {@linkcode next}
 * until it returns `needData` (feed more) or `end`.
 *
 * Buffers: a view passed to `feed()` is read in place and must stay
 * unchanged until `next()` returns `needData`; whatever is still unparsed at
 * that point is copied into the parser's own, reused, buffer. Data events
 * are `subarray`s of the fed view only when it was fed with `owned = true`;
 * otherwise (and always when they come from the parser's own buffer) they
 * are fresh copies, so a caller may keep them.
 *
 * @example
 * ```ts ignore
 * const parser = new ResponseParser();
 * parser.startResponse("GET");
 * parser.feed(new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));
 * parser.next(); // { type: "head", statusCode: 200, … }
 * parser.next(); // { type: "data", chunk: Uint8Array [104, 105] }
 * parser.next(); // { type: "end", trailers: [] }
 * ```
 */
export class ResponseParser {
  readonly #maxHeadSize: number;
  #state: State = IDLE;
  #method = "GET";
  #requestKeepAlive = true;
  #keepAlive = false;
  #bodyKind: ResponseBodyKind | null = null;

  // Current input: `#buf[#pos, #buf.length)` is unparsed.
  #buf: Uint8Array = EMPTY;
  #pos = 0;
  #owned = false;
  #inAcc = false;
  #eof = false;
  // Where to resume the search for a line end (offset from #pos).
  #scanned = 0;
  // Set by #findBlankLine: where the field lines end (the blank line starts).
  #fieldsEnd = 0;
  // The parser's own buffer for bytes kept between feeds.
  #acc: Uint8Array = EMPTY;

  #remaining = 0;
  #received = 0;
  #trailers: Array<[string, string]> = [];
  #sawBytes = false;
  #head: HeadEvent | null = null;
  #headAscii = false;

  /**
   * Create a parser; call `startResponse()` before feeding it.
   *
   * @param options Size limits.
   */
  constructor(options: ResponseParserOptions = {}) {
    this.#maxHeadSize = options.maxHeadSize ?? 100 * 1024;
  }

  /**
   * Prepare for the next response. Bytes still buffered from before are
   * discarded.
   *
   * @param method The request method.
   * @param options Whether the request allows keep-alive.
   */
  startResponse(method: string, options: StartResponseOptions = {}): void {
    this.#state = HEAD;
    this.#method = method.toUpperCase();
    this.#requestKeepAlive = options.requestKeepAlive ?? true;
    this.#keepAlive = false;
    this.#bodyKind = null;
    this.#buf = EMPTY;
    this.#pos = 0;
    this.#owned = false;
    this.#inAcc = false;
    this.#eof = false;
    this.#scanned = 0;
    this.#remaining = 0;
    this.#received = 0;
    this.#trailers = [];
    this.#sawBytes = false;
    this.#head = null;
    this.#headAscii = false;
  }

  /** The state name, for debugging and tests. */
  get state(): string {
    return STATE_NAMES[this.#state];
  }

  /** How the current response's body is framed (`null` before its head). */
  get bodyKind(): ResponseBodyKind | null {
    return this.#bodyKind;
  }

  /** The final head of the current response, once parsed. */
  get head(): HeadEvent | null {
    return this.#head;
  }

  /**
   * Whether the rest of the current body is buffered already: `next()` will
   * give its data and then `end`, with no `needData` in between. Only ever
   * `true` for a body of known length (or none) once its head is parsed.
   */
  get bodyBuffered(): boolean {
    const state = this.#state;
    if (state === END || state === DONE) return true;
    return state === BODY_LENGTH &&
      this.#buf.length - this.#pos >= this.#remaining;
  }

  /**
   * Body bytes still to come for a body of known length (`Content-Length`)
   * once its head is parsed, including any already fed but not yet
   * returned; 0 otherwise.
   */
  get bodyRemaining(): number {
    return this.#state === BODY_LENGTH ? this.#remaining : 0;
  }

  /**
   * Whether every name and value of the current head is ASCII (checked
   * byte by byte); `false` also when that is not known.
   */
  get headIsAscii(): boolean {
    return this.#headAscii;
  }

  /** Whether any byte of the current response was fed. */
  get receivedBytes(): boolean {
    return this.#sawBytes;
  }

  /**
   * Whether the connection may carry another request: both sides allow
   * keep-alive, the framing is trustworthy, the response is complete and no
   * stray bytes followed it.
   */
  get keepAlive(): boolean {
    return (this.#state === DONE || this.#state === END) && this.#keepAlive &&
      this.#pos >= this.#buf.length;
  }

  /**
   * Give the parser more bytes.
   *
   * @param data The bytes; left untouched, and read in place until `next()`
   * returns `needData`.
   * @param owned `true` when the caller will never reuse `data`, so data
   * events may be views of it instead of copies.
   */
  feed(data: Uint8Array, owned = false): void {
    if (data.length === 0) return;
    if (this.#eof) {
      throw new RemoteProtocolError("Received data after end of input");
    }
    this.#sawBytes = true;
    const rest = this.#buf.length - this.#pos;
    if (rest === 0) {
      this.#buf = data;
      this.#pos = 0;
      this.#owned = owned;
      this.#inAcc = false;
      return;
    }
    // Unparsed bytes remain: append to the parser's own buffer.
    const total = rest + data.length;
    if (this.#inAcc && this.#acc.length >= total) {
      this.#acc.copyWithin(0, this.#pos, this.#buf.length);
    } else {
      const grown = new Uint8Array(Math.max(total, this.#acc.length * 2, 1024));
      grown.set(this.#buf.subarray(this.#pos));
      this.#acc = grown;
    }
    this.#acc.set(data, rest);
    this.#buf = this.#acc.subarray(0, total);
    this.#pos = 0;
    this.#owned = false;
    this.#inAcc = true;
  }

  /** Signal the end of input (the server closed the connection). */
  feedEof(): void {
    this.#eof = true;
  }

  /**
   * The next event.
   *
   * @throws {RemoteProtocolError} When the server's bytes are not a valid
   * response, or input ended too early.
   */
  next(): ResponseEvent {
    for (;;) {
      const event = ResponseParser.#steps[this.#state](this);
      if (event !== null) return event;
    }
  }

  // ---- steps (each returns an event, or null to run the next state) ----

  static #stepHead(p: ResponseParser): ResponseEvent | null {
    const buf = p.#buf;
    // Skip blank lines before a status line.
    while (p.#pos < buf.length && (buf[p.#pos] === 13 || buf[p.#pos] === 10)) {
      p.#pos++;
      p.#scanned = 0;
    }
    const start = p.#pos;
    const end = p.#findBlankLine(start);
    if (end === -1) {
      if (buf.length - start > p.#maxHeadSize) p.#tooBig();
      if (p.#eof) {
        throw new RemoteProtocolError(
          "Server disconnected without sending a response",
        );
      }
      return p.#needData();
    }
    if (end - start > p.#maxHeadSize) p.#tooBig();
    // The usual head in one pass; anything unusual takes the full rules.
    const fast = parseHeadFast(buf, start, p.#fieldsEnd);
    p.#headAscii = fast !== null;
    const status: FastHead = fast ??
      parseStatusAndFields(buf, start, p.#fieldsEnd);
    p.#pos = end;
    p.#scanned = 0;
    const headers = status.headers;
    const code = status.statusCode;
    if (code >= 100 && code < 200 && code !== 101) {
      // Interim response (100 Continue, 103 Early Hints): skip it.
      return null;
    }
    const framing = status.simple
      ? simpleResponseFraming(
        p.#method,
        code,
        status.httpVersion,
        status.contentLength,
        status.close,
        status.keepAlive,
        p.#requestKeepAlive,
      )
      : responseFraming(
        p.#method,
        code,
        status.httpVersion,
        headers,
        p.#requestKeepAlive,
      );
    p.#keepAlive = framing.keepAlive;
    p.#bodyKind = framing.kind;
    switch (framing.kind) {
      case "none":
        p.#state = END;
        break;
      case "length":
        p.#remaining = framing.length;
        p.#state = BODY_LENGTH;
        break;
      case "chunked":
        p.#state = CHUNK_SIZE;
        break;
      case "close":
        p.#state = BODY_CLOSE;
        break;
      case "upgrade":
        p.#state = UPGRADED;
        break;
    }
    const head: HeadEvent = {
      type: "head",
      statusCode: code,
      reasonPhrase: status.reasonPhrase,
      httpVersion: status.httpVersion,
      headers,
    };
    p.#head = head;
    return head;
  }

  static #stepBodyLength(p: ResponseParser): ResponseEvent | null {
    if (p.#remaining === 0) {
      p.#state = END;
      return null;
    }
    const available = p.#buf.length - p.#pos;
    if (available === 0) {
      if (p.#eof) {
        throw new RemoteProtocolError(
          `Server disconnected without sending complete message body: received ${p.#received} bytes, expected ${
            p.#received + p.#remaining
          }`,
        );
      }
      return p.#needData();
    }
    const n = Math.min(available, p.#remaining);
    p.#remaining -= n;
    p.#received += n;
    return p.#data(n);
  }

  static #stepChunkSize(p: ResponseParser): ResponseEvent | null {
    const buf = p.#buf;
    const lf = buf.indexOf(10, p.#pos + p.#scanned);
    if (lf === -1) {
      p.#scanned = buf.length - p.#pos;
      if (p.#scanned > p.#maxHeadSize) {
        throw new RemoteProtocolError("Chunk size line is too long");
      }
      if (p.#eof) p.#chunkedEof();
      return p.#needData();
    }
    let lineEnd = lf;
    if (lineEnd > p.#pos && buf[lineEnd - 1] === 13) lineEnd--;
    const size = parseChunkSize(buf, p.#pos, lineEnd);
    p.#pos = lf + 1;
    p.#scanned = 0;
    if (size === 0) {
      p.#state = TRAILERS;
    } else {
      p.#remaining = size;
      p.#state = CHUNK_DATA;
    }
    return null;
  }

  static #stepChunkData(p: ResponseParser): ResponseEvent | null {
    const available = p.#buf.length - p.#pos;
    if (available === 0) {
      if (p.#eof) p.#chunkedEof();
      return p.#needData();
    }
    const n = Math.min(available, p.#remaining);
    p.#remaining -= n;
    p.#received += n;
    if (p.#remaining === 0) p.#state = CHUNK_CRLF;
    return p.#data(n);
  }

  static #stepChunkCrlf(p: ResponseParser): ResponseEvent | null {
    const buf = p.#buf;
    const available = buf.length - p.#pos;
    if (available >= 1 && buf[p.#pos] !== 13) p.#missingCrlf();
    if (available < 2) {
      if (p.#eof) p.#chunkedEof();
      return p.#needData();
    }
    if (buf[p.#pos + 1] !== 10) p.#missingCrlf();
    p.#pos += 2;
    p.#state = CHUNK_SIZE;
    return null;
  }

  static #stepTrailers(p: ResponseParser): ResponseEvent | null {
    const start = p.#pos;
    const end = p.#findBlankLine(start);
    if (end === -1) {
      if (p.#buf.length - start > p.#maxHeadSize) {
        throw new RemoteProtocolError("Trailer section is too large");
      }
      if (p.#eof) p.#chunkedEof();
      return p.#needData();
    }
    const lines = headLines(p.#buf, start, p.#fieldsEnd);
    p.#trailers = parseFieldLines(lines, 0);
    p.#pos = end;
    p.#scanned = 0;
    p.#state = END;
    return null;
  }

  static #stepBodyClose(p: ResponseParser): ResponseEvent | null {
    const available = p.#buf.length - p.#pos;
    if (available === 0) {
      if (p.#eof) {
        p.#state = END;
        return null;
      }
      return p.#needData();
    }
    p.#received += available;
    return p.#data(available);
  }

  static #stepEnd(p: ResponseParser): ResponseEvent | null {
    p.#state = DONE;
    return { type: "end", trailers: p.#trailers };
  }

  static #stepDone(p: ResponseParser): ResponseEvent | null {
    return { type: "end", trailers: p.#trailers };
  }

  static #stepUpgraded(p: ResponseParser): ResponseEvent | null {
    const leftover = p.#buf.slice(p.#pos);
    p.#buf = EMPTY;
    p.#pos = 0;
    return { type: "upgraded", leftover };
  }

  static #stepIdle(_p: ResponseParser): ResponseEvent | null {
    throw new RemoteProtocolError("No response is expected");
  }

  /** Handlers indexed by state: the parser's transition table. */
  static readonly #steps: ReadonlyArray<
    (p: ResponseParser) => ResponseEvent | null
  > = [
    ResponseParser.#stepHead,
    ResponseParser.#stepBodyLength,
    ResponseParser.#stepChunkSize,
    ResponseParser.#stepChunkData,
    ResponseParser.#stepChunkCrlf,
    ResponseParser.#stepTrailers,
    ResponseParser.#stepBodyClose,
    ResponseParser.#stepEnd,
    ResponseParser.#stepDone,
    ResponseParser.#stepUpgraded,
    ResponseParser.#stepIdle,
  ];

  // ---- helpers ----

  /**
   * The index just past the blank line that ends the field section starting
   * at `start`, or -1 when it has not arrived yet. Lines end with LF, with an
   * optional CR before it.
   */
  #findBlankLine(start: number): number {
    const buf = this.#buf;
    const len = buf.length;
    // An empty section: the blank line comes first.
    this.#fieldsEnd = start;
    if (start < len && buf[start] === 10) return start + 1;
    if (start + 1 < len && buf[start] === 13 && buf[start + 1] === 10) {
      return start + 2;
    }
    let from = start + this.#scanned;
    for (;;) {
      const lf = buf.indexOf(10, from);
      if (lf === -1 || lf + 1 >= len) {
        this.#scanned = Math.max(0, (lf === -1 ? len : lf) - start);
        return -1;
      }
      const next = buf[lf + 1];
      this.#fieldsEnd = lf + 1;
      if (next === 10) return lf + 2;
      if (next === 13) {
        if (lf + 2 >= len) {
          this.#scanned = lf - start;
          return -1;
        }
        if (buf[lf + 2] === 10) return lf + 3;
      }
      from = lf + 1;
    }
  }

  #data(n: number): DataEvent {
    const start = this.#pos;
    this.#pos += n;
    const chunk = this.#owned
      ? this.#buf.subarray(start, start + n)
      : this.#buf.slice(start, start + n);
    return { type: "data", chunk };
  }

  #needData(): NeedDataEvent {
    // Keep what is unparsed: the caller may reuse the fed view now.
    const rest = this.#buf.length - this.#pos;
    if (rest === 0) {
      this.#buf = EMPTY;
      this.#pos = 0;
      this.#inAcc = false;
    } else if (!this.#inAcc) {
      if (this.#acc.length < rest) {
        this.#acc = new Uint8Array(Math.max(rest * 2, 1024));
      }
      this.#acc.set(this.#buf.subarray(this.#pos));
      this.#buf = this.#acc.subarray(0, rest);
      this.#pos = 0;
      this.#owned = false;
      this.#inAcc = true;
    }
    return NEED_DATA;
  }

  #tooBig(): never {
    throw new RemoteProtocolError(
      `Response head is larger than ${this.#maxHeadSize} bytes`,
    );
  }

  #missingCrlf(): never {
    throw new RemoteProtocolError("Missing CRLF after chunk data");
  }

  #chunkedEof(): never {
    throw new RemoteProtocolError(
      "Server disconnected without sending complete message body: incomplete chunked read",
    );
  }
}

/** The full rules: the status line and the fields, or the exact error. */
function parseStatusAndFields(
  buf: Uint8Array,
  start: number,
  end: number,
): FastHead {
  const lines = headLines(buf, start, end);
  const status = parseStatusLine(lines.length > 0 ? lines[0] : "");
  return {
    httpVersion: status.httpVersion,
    statusCode: status.statusCode,
    reasonPhrase: status.reasonPhrase,
    headers: parseFieldLines(lines, 1),
    simple: false,
    contentLength: -1,
    close: false,
    keepAlive: false,
  };
}

/**
 * Parse `chunk-size [ BWS ; chunk-ext ]` in `buf[start, end)`; extensions are
 * ignored.
 */
function parseChunkSize(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let size = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i];
    let d: number;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else break;
    digits++;
    size = size * 16 + d;
    if (size > Number.MAX_SAFE_INTEGER / 16) {
      throw new RemoteProtocolError("Chunk size is too large");
    }
  }
  if (digits === 0) badChunkSize(buf, start, end);
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  if (i < end) {
    if (buf[i] !== 0x3b) badChunkSize(buf, start, end);
    for (let j = i; j < end; j++) {
      if (buf[j] === 13 || buf[j] === 0) badChunkSize(buf, start, end);
    }
  }
  return size;
}

function badChunkSize(buf: Uint8Array, start: number, end: number): never {
  const text = String.fromCharCode(
    ...buf.subarray(start, Math.min(end, start + 100)),
  );
  throw new RemoteProtocolError(
    `Invalid chunk size line ${JSON.stringify(text)}`,
  );
}
