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

/** TLS settings for a connection or an upgrade. */
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

/** Where and how to open a TCP connection. */
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

/** A connected byte stream (TCP or TLS). */
export interface NetworkStream {
  /**
   * Read at most `maxBytes`. Resolves to the bytes read, or `null` at EOF.
   * The returned view may share a buffer that the next `read` reuses:
   * callers copy what they keep.
   */
  read(maxBytes: number, timeout: number | null): Promise<Uint8Array | null>;
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

/** Opens network streams. */
export interface NetworkBackend {
  /** Open a TCP connection, and TLS over it when `options.tls` is set. */
  connect(options: ConnectOptions): Promise<NetworkStream>;
  /** Sleep for `seconds` (connect retry back-off). */
  sleep(seconds: number): Promise<void>;
}
