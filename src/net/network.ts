/**
 * The one network seam: everything above it speaks to these interfaces, and
 * only `deno_backend.ts` touches `Deno.connect*`. `mock_backend.ts` scripts
 * bytes for tests.
 *
 * Timeouts are in seconds (`null`: none). Implementations raise only `httpx`
 * errors (`ConnectError`, `ConnectTimeout`, `ReadError`, `ReadTimeout`,
 * `WriteError`, `WriteTimeout`), with the Deno error kept in `cause`.
 *
 * @module
 */

/**
 * TLS settings for a connection or an upgrade.
 *
 * @example See what a handshake would be asked for
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const offered: httpx.TlsOptions[] = [];
 * const plain: httpx.NetworkStream = {
 *   alpnProtocol: null,
 *   remoteAddr: null,
 *   localAddr: null,
 *   isClosed: false,
 *   read: () => Promise.resolve(null),
 *   write: () => Promise.resolve(),
 *   close: () => {},
 *   startTls(options) {
 *     offered.push(options);
 *     return Promise.reject(new httpx.ConnectError("Handshake refused"));
 *   },
 * };
 * const backend: httpx.NetworkBackend = {
 *   connect: () => Promise.resolve(plain),
 *   sleep: () => Promise.resolve(),
 * };
 * const transport = new httpx.HTTPTransport({
 *   backend,
 *   http2: true,
 *   trustEnv: false,
 * });
 * await using client = new httpx.Client({ transport });
 * await client.get("https://example.org/").catch(() => {});
 * console.assert(offered[0].serverName === "example.org");
 * console.assert(offered[0].alpnProtocols?.join() === "h2,http/1.1");
 * ```
 */
export interface TlsOptions {
  /** Name sent as SNI and verified against the certificate. */
  serverName: string;
  /** PEM CA certificates to trust instead of the system store. */
  caCerts?: string[];
  /** PEM client certificate chain. */
  cert?: string;
  /** PEM private key for `cert`. */
  key?: string;
  /** ALPN protocols to offer, in order of preference (`["h2", "http/1.1"]`). */
  alpnProtocols?: string[];
}

/**
 * Where and how to open a TCP connection.
 *
 * @example Record where the transport connects
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const seen: httpx.ConnectOptions[] = [];
 * const backend: httpx.NetworkBackend = {
 *   connect(options) {
 *     seen.push(options);
 *     return Promise.reject(new httpx.ConnectError("Connection refused"));
 *   },
 *   sleep: () => Promise.resolve(),
 * };
 * const transport = new httpx.HTTPTransport({ backend, trustEnv: false });
 * await using client = new httpx.Client({
 *   transport,
 *   timeout: { connect: 3 },
 * });
 * const error = await client.get("http://example.org:8080/").catch((e) => e);
 * console.assert(error instanceof httpx.ConnectError);
 * console.assert(seen[0].host === "example.org" && seen[0].port === 8080);
 * console.assert(seen[0].timeout === 3);
 * ```
 */
export interface ConnectOptions {
  /** Host name or IP literal (IPv6 without brackets). */
  host: string;
  /** TCP port. */
  port: number;
  /** Connect (and TLS handshake) timeout in seconds. */
  timeout: number | null;
  /** Local address to bind (`"0.0.0.0"` forces IPv4, `"::"` IPv6). */
  localAddress?: string;
  /** When given, the TLS handshake is part of connecting. */
  tls?: TlsOptions;
  /** Cancels connecting. */
  signal?: AbortSignal;
}

/**
 * A connected byte stream (TCP or TLS).
 *
 * @example An in-memory server that answers once
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * class OneReply implements httpx.NetworkStream {
 *   readonly alpnProtocol = null;
 *   readonly remoteAddr = "203.0.113.7:80";
 *   readonly localAddr = null;
 *   isClosed = false;
 *   sent = "";
 *   #reply: Uint8Array | null = new TextEncoder().encode(
 *     "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
 *   );
 *   read(): Promise<Uint8Array | null> {
 *     const chunk = this.#reply;
 *     this.#reply = null;
 *     return Promise.resolve(chunk);
 *   }
 *   write(data: Uint8Array): Promise<void> {
 *     this.sent += new TextDecoder().decode(data);
 *     return Promise.resolve();
 *   }
 *   close(): void {
 *     this.isClosed = true;
 *   }
 *   startTls(): Promise<httpx.NetworkStream> {
 *     return Promise.reject(new httpx.ConnectError("No TLS here"));
 *   }
 * }
 * const stream = new OneReply();
 * const backend: httpx.NetworkBackend = {
 *   connect: () => Promise.resolve(stream),
 *   sleep: () => Promise.resolve(),
 * };
 * const client = new httpx.Client({
 *   transport: new httpx.HTTPTransport({ backend }),
 * });
 * const response = await client.get("http://example.org/");
 * console.assert(response.text === "hi");
 * console.assert(
 *   stream.sent.startsWith("GET / HTTP/1.1\r\nHost: example.org\r\n"),
 * );
 * await client.close();
 * console.assert(stream.isClosed);
 * ```
 */
export interface NetworkStream {
  /**
   * Read at most `maxBytes`. Resolves to the bytes read, or `null` at EOF.
   * The returned view may share a buffer that the next `read` reuses:
   * callers copy what they keep.
   */
  read(maxBytes: number, timeout: number | null): Promise<Uint8Array | null>;
  /**
   * Optional: read into `buffer`, which stays the caller's (nothing keeps
   * it), as `read()` does otherwise: the number of bytes read, or `null` at
   * the end of input. Lets a caller hand the bytes on without a copy.
   */
  readInto?(buffer: Uint8Array, timeout: number | null): Promise<number | null>;
  /** Write all of `data`. */
  write(data: Uint8Array, timeout: number | null): Promise<void>;
  /** Close the stream; idempotent and never throws. */
  close(): void;
  /** Upgrade to TLS (CONNECT tunnels); the old stream must not be used after. */
  startTls(options: TlsOptions, timeout: number | null): Promise<NetworkStream>;
  /** The ALPN protocol the server chose, or `null` (also for plain TCP). */
  readonly alpnProtocol: string | null;
  /** Remote address as `host:port`, when known. */
  readonly remoteAddr: string | null;
  /** Local address as `host:port`, when known. */
  readonly localAddr: string | null;
  /** Whether the stream was closed locally. */
  readonly isClosed: boolean;
}

/**
 * Opens network streams. {@linkcode HTTPTransport} takes one as its
 * `backend` option (Deno's sockets by default).
 *
 * @example Retry a refused connection without waiting
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * let attempts = 0;
 * const pauses: number[] = [];
 * const backend: httpx.NetworkBackend = {
 *   connect() {
 *     attempts++;
 *     return Promise.reject(new httpx.ConnectError("Connection refused"));
 *   },
 *   sleep(seconds) {
 *     pauses.push(seconds);
 *     return Promise.resolve();
 *   },
 * };
 * const transport = new httpx.HTTPTransport({
 *   backend,
 *   retries: 2,
 *   trustEnv: false,
 * });
 * await using client = new httpx.Client({ transport });
 * const error = await client.get("http://example.org/").catch((e) => e);
 * console.assert(error instanceof httpx.ConnectError && attempts === 3);
 * console.assert(pauses.length === 2);
 * ```
 */
export interface NetworkBackend {
  /** Open a TCP connection, and TLS over it when `options.tls` is set. */
  connect(options: ConnectOptions): Promise<NetworkStream>;
  /** Sleep for `seconds` (connect retry back-off). */
  sleep(seconds: number): Promise<void>;
}
