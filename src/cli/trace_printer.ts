/**
 * The `--verbose` output and the response heads, built as a consumer of the
 * transport's trace hook (httpcore's event names), as HTTPX's CLI does:
 * every response head in a redirect chain is printed the moment it arrives,
 * and with `verbose` also the connection steps and each request head.
 *
 * @module
 */

import type { TraceCallback } from "../_types.ts";
import {
  formatRequestHead,
  formatResponseHead,
  type RequestHead,
  type ResponseHead,
} from "./format_head.ts";
import type { Style } from "./style.ts";

/** Where a {@linkcode TracePrinter} writes. */
export type TextSink = (text: string) => void | Promise<void>;

/** Options of {@linkcode TracePrinter}. */
export interface TracePrinterOptions {
  /** Print connection steps and request heads too. */
  verbose: boolean;
  /** Colours, or none. */
  style: Style;
  /** Receives each piece of output. */
  write: TextSink;
}

type Fields = Array<[string, string]>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function fields(value: unknown): Fields {
  if (isRecord(value) && typeof value.wireItems === "function") {
    return fields((value.wireItems as () => unknown).call(value));
  }
  if (!Array.isArray(value) && !(isRecord(value) && Symbol.iterator in value)) {
    return [];
  }
  const out: Fields = [];
  for (const item of value as Iterable<unknown>) {
    if (Array.isArray(item) && item.length >= 2) {
      out.push([text(item[0]), text(item[1])]);
    }
  }
  return out;
}

const latin1 = new TextDecoder("latin1");

function text(value: unknown): string {
  return value instanceof Uint8Array ? latin1.decode(value) : String(value);
}

/**
 * Split `host:port` / `[v6]:port` as `NetworkStream.remoteAddr` has it.
 * Exported for tests.
 *
 * @param addr The address, or `null`.
 * @returns `[host, port]`, or `null` when it has no port.
 */
export function splitAddress(addr: string | null): [string, string] | null {
  if (addr === null) return null;
  const match = /^\[(.*)\]:(\d+)$/.exec(addr) ?? /^(.*):(\d+)$/.exec(addr);
  return match === null ? null : [match[1], match[2]];
}

/** Python-style `repr` of a string, as HTTPX shows hosts: `'example.org'`. */
function quote(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * The response head from a `*.receive_response_headers.complete` event:
 * an HTTP/1.1 head event `{ statusCode, reasonPhrase, httpVersion, headers }`
 * or httpcore's tuples `[status, headers]` (HTTP/2) and
 * `[version, status, reason, headers]`.
 */
function responseHeadOf(value: unknown, http2: boolean): ResponseHead | null {
  if (Array.isArray(value)) {
    if (value.length === 2) {
      return {
        httpVersion: "HTTP/2",
        statusCode: Number(value[0]),
        reasonPhrase: null,
        headers: fields(value[1]),
      };
    }
    if (value.length === 4) {
      return {
        httpVersion: text(value[0]),
        statusCode: Number(value[1]),
        reasonPhrase: value[2] === null ? null : text(value[2]),
        headers: fields(value[3]),
      };
    }
    return null;
  }
  if (!isRecord(value)) return null;
  const status = value.statusCode ?? value.status;
  if (typeof status !== "number") return null;
  const version = value.httpVersion;
  const reason = value.reasonPhrase;
  return {
    httpVersion: http2
      ? "HTTP/2"
      : typeof version === "string"
      ? version
      : "HTTP/1.1",
    statusCode: status,
    reasonPhrase: http2 || typeof reason !== "string" ? null : reason,
    headers: fields(value.headers),
  };
}

function requestHeadOf(value: unknown): RequestHead | null {
  if (!isRecord(value)) return null;
  const url = value.url;
  const extensions = isRecord(value.extensions) ? value.extensions : {};
  let target: string | null = null;
  if (typeof extensions.target === "string") target = extensions.target;
  else if (extensions.target instanceof Uint8Array) {
    target = text(extensions.target);
  } else if (isRecord(url) && typeof url.rawPath === "string") {
    target = url.rawPath;
  }
  if (target === null) return null;
  return {
    method: String(value.method),
    target,
    headers: fields(value.headers),
  };
}

/**
 * Turns trace events into the command line's output. Pass
 * {@linkcode TracePrinter.trace} as the request's `extensions.trace`.
 */
export class TracePrinter {
  /** The trace hook to hand to the transport. */
  readonly trace: TraceCallback;

  #verbose: boolean;
  #style: Style;
  #write: TextSink;
  #responses = 0;
  #newConnection = false;
  #connecting: [string, number | null] | null = null;
  #tlsServerName: string | null = null;

  /**
   * Build a printer.
   *
   * @param options Verbosity, style and where to write.
   */
  constructor(options: TracePrinterOptions) {
    this.#verbose = options.verbose;
    this.#style = options.style;
    this.#write = options.write;
    this.trace = (event, info) => this.#handle(event, info);
  }

  /** How many response heads have been printed. */
  get responsesPrinted(): number {
    return this.#responses;
  }

  async #info(line: string): Promise<void> {
    await this.#write(this.#style.dim(`* ${line}`) + "\n");
  }

  async #handle(event: string, info: Record<string, unknown>): Promise<void> {
    const value = info.return_value;
    switch (event) {
      case "http11.receive_response_headers.complete":
      case "http2.receive_response_headers.complete": {
        const head = responseHeadOf(value, event.startsWith("http2."));
        if (head === null) return;
        this.#responses += 1;
        await this.#write(formatResponseHead(head, this.#style));
        return;
      }
    }
    if (!this.#verbose) return;
    switch (event) {
      case "connection.connect_tcp.started":
      case "socks.connect_tcp.started": {
        const host = String(info.host);
        const port = typeof info.port === "number" ? info.port : null;
        this.#connecting = [host, port];
        await this.#info(`Connecting to ${quote(host)}`);
        return;
      }
      case "connection.connect_tcp.complete":
      case "socks.connect_tcp.complete": {
        const addr = isRecord(value) && typeof value.remoteAddr === "string"
          ? splitAddress(value.remoteAddr)
          : null;
        const [host, port] = addr ??
          [this.#connecting?.[0] ?? "?", String(this.#connecting?.[1] ?? "?")];
        this.#newConnection = true;
        await this.#info(`Connected to ${quote(host)} on port ${port}`);
        return;
      }
      case "connection.start_tls.started":
      case "proxy.start_tls.started":
      case "socks.start_tls.started": {
        const name = info.serverName ?? info.server_hostname ??
          (isRecord(info.tls) ? info.tls.serverName : undefined);
        this.#tlsServerName = typeof name === "string" ? name : null;
        return;
      }
      case "connection.start_tls.complete":
      case "proxy.start_tls.complete":
      case "socks.start_tls.complete": {
        const name = this.#tlsServerName ?? this.#connecting?.[0] ?? null;
        await this.#info(
          `TLS established using Deno's TLS stack` +
            (name === null ? "" : `, certificate verified for ${quote(name)}`),
        );
        const alpn = isRecord(value) ? value.alpnProtocol : null;
        await this.#info(
          `Selected ALPN protocol: ${
            typeof alpn === "string" ? quote(alpn) : "None"
          }`,
        );
        this.#newConnection = true;
        return;
      }
      case "connection.retry.started":
        await this.#info("Connection failed, retrying");
        return;
      case "http2.send_connection_init.complete":
        this.#newConnection = false;
        await this.#info("HTTP/2 connection established");
        return;
      case "http11.send_request_headers.started":
      case "http2.send_request_headers.started": {
        const http2 = event.startsWith("http2.");
        if (this.#newConnection && !http2) {
          await this.#info("HTTP/1.1 connection established");
        }
        this.#newConnection = false;
        const head = requestHeadOf(info.request);
        if (head === null) return;
        await this.#write(formatRequestHead(head, http2, this.#style));
        return;
      }
    }
  }
}
