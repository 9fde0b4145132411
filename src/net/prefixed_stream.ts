/**
 * {@linkcode PrefixedStream}: bytes read ahead come first, then the socket.
 *
 * @module
 */

import { LocalProtocolError } from "../errors.ts";
import type { NetworkStream, TlsOptions } from "./network.ts";

/**
 * A stream that returns bytes already read (past the end of a CONNECT
 * answer, a SOCKS5 reply, or a 101 response head) before reading from the
 * socket again.
 */
export class PrefixedStream implements NetworkStream {
  #stream: NetworkStream;
  #prefix: Uint8Array;
  #onClose: (() => void) | undefined;

  /**
   * @param stream The stream to read from once `prefix` is used up.
   * @param prefix The bytes to return first.
   * @param onClose Called after the inner stream is closed.
   */
  constructor(
    stream: NetworkStream,
    prefix: Uint8Array,
    onClose?: () => void,
  ) {
    this.#stream = stream;
    this.#prefix = prefix;
    this.#onClose = onClose;
  }

  /** The inner stream's ALPN protocol. */
  get alpnProtocol(): string | null {
    return this.#stream.alpnProtocol;
  }

  /** The inner stream's remote address. */
  get remoteAddr(): string | null {
    return this.#stream.remoteAddr;
  }

  /** The inner stream's local address. */
  get localAddr(): string | null {
    return this.#stream.localAddr;
  }

  /** Whether the inner stream is closed. */
  get isClosed(): boolean {
    return this.#stream.isClosed;
  }

  /** The prefix first, then the inner stream. */
  read(maxBytes: number, timeout: number | null): Promise<Uint8Array | null> {
    const prefix = this.#prefix;
    if (prefix.length > 0) {
      const n = Math.max(1, Math.min(maxBytes, prefix.length));
      this.#prefix = prefix.subarray(n);
      return Promise.resolve(prefix.subarray(0, n));
    }
    return this.#stream.read(maxBytes, timeout);
  }

  /** Write to the inner stream. */
  write(data: Uint8Array, timeout: number | null): Promise<void> {
    return this.#stream.write(data, timeout);
  }

  /** Close the inner stream. */
  close(): void {
    this.#stream.close();
    this.#onClose?.();
  }

  /** TLS over the inner stream; refused while read-ahead bytes remain. */
  startTls(
    options: TlsOptions,
    timeout: number | null,
  ): Promise<NetworkStream> {
    if (this.#prefix.length > 0) {
      return Promise.reject(
        new LocalProtocolError(
          "Cannot start TLS: the server sent data before the handshake",
        ),
      );
    }
    return this.#stream.startTls(options, timeout);
  }
}
