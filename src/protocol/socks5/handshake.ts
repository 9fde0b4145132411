/**
 * The client side of a SOCKS5 handshake (RFC 1928), with no authentication
 * or username/password (RFC 1929), as a sans-I/O state machine: bytes go in
 * with `feed()`, bytes to send and the outcome come out of `next()`.
 *
 * @module
 */

import { ProxyError } from "../../errors.ts";
import { formatIp, parseIPv4, parseIPv6 } from "./ip_address.ts";
import {
  AddressType,
  AuthMethod,
  authMethodName,
  Command,
  hexByte,
  replyMessage,
  SOCKS_VERSION,
  USERPASS_VERSION,
} from "./reply_codes.ts";

/** Options of {@linkcode Socks5Handshake}. */
export interface Socks5HandshakeOptions {
  /**
   * The destination: a host name (sent for the proxy to resolve) or an IP
   * literal (IPv6 without brackets, sent as an address).
   */
  host: string;
  /** The destination port. */
  port: number;
  /** Username and password (RFC 1929); `null` offers no authentication. */
  auth?: readonly [username: string, password: string] | null;
}

/** Bytes to write to the proxy. */
export interface Socks5SendEvent {
  /** Event tag. */
  readonly type: "send";
  /** The message. */
  readonly data: Uint8Array;
}

/** More bytes from the proxy are needed. */
export interface Socks5NeedDataEvent {
  /** Event tag. */
  readonly type: "needData";
}

/** The proxy connected to the destination; the stream is now a tunnel. */
export interface Socks5ConnectedEvent {
  /** Event tag. */
  readonly type: "connected";
  /** The address the proxy bound for the connection (as the proxy reports it). */
  readonly boundAddress: string;
  /** The port the proxy bound. */
  readonly boundPort: number;
  /** Bytes received after the reply (they belong to the tunnel). */
  readonly leftover: Uint8Array;
}

/** What {@linkcode Socks5Handshake.next} returns. */
export type Socks5Event =
  | Socks5SendEvent
  | Socks5NeedDataEvent
  | Socks5ConnectedEvent;

/** The states of a {@linkcode Socks5Handshake}. */
export type Socks5State =
  | "NEW"
  | "AWAIT_METHOD"
  | "AWAIT_AUTH"
  | "AWAIT_REPLY"
  | "CONNECTED"
  | "FAILED";

const encoder = new TextEncoder();
const NEED_DATA: Socks5NeedDataEvent = Object.freeze({ type: "needData" });

/**
 * A SOCKS5 CONNECT handshake.
 *
 * Call {@linkcode start} and send its bytes (the greeting), then loop on
 * {@linkcode next}: write `send` events, {@linkcode feed} what the proxy
 * answers on `needData` (or {@linkcode feedEof}), and stop at `connected`.
 * Exactly one authentication method is offered (no authentication, or
 * username/password when credentials are given). Every refusal raises
 * `ProxyError`.
 *
 * @example
 * ```ts ignore
 * const handshake = new Socks5Handshake({ host: "example.org", port: 443 });
 * handshake.start(); // 05 01 00
 * handshake.feed(Uint8Array.of(5, 0));
 * handshake.next(); // { type: "send", data: 05 01 00 03 0b "example.org" 01 bb }
 * handshake.feed(Uint8Array.of(5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90));
 * handshake.next(); // { type: "connected", boundAddress: "127.0.0.1", … }
 * ```
 */
export class Socks5Handshake {
  #state: Socks5State = "NEW";
  #method: number;
  #auth: Uint8Array | null = null;
  #request: Uint8Array;
  #buffer: Uint8Array = new Uint8Array(0);
  #eof = false;

  /**
   * Prepare the handshake; the messages are built (and checked) at once.
   *
   * @param options Destination and credentials.
   * @throws {ProxyError} For a port out of range, a name longer than 255
   * bytes, or credentials longer than 255 bytes each.
   */
  constructor(options: Socks5HandshakeOptions) {
    const { host, port } = options;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ProxyError(`Invalid destination port ${port} for SOCKS5`);
    }
    this.#request = connectRequest(host, port);
    const auth = options.auth ?? null;
    if (auth === null) {
      this.#method = AuthMethod.NO_AUTH;
    } else {
      this.#method = AuthMethod.USERNAME_PASSWORD;
      this.#auth = userPassRequest(auth[0], auth[1]);
    }
  }

  /** The current state. */
  get state(): Socks5State {
    return this.#state;
  }

  /**
   * The greeting (version and the one offered method), to send first.
   *
   * @throws {Error} When called twice.
   */
  start(): Uint8Array {
    if (this.#state !== "NEW") {
      throw new Error("The SOCKS5 handshake was already started");
    }
    this.#state = "AWAIT_METHOD";
    return Uint8Array.of(SOCKS_VERSION, 1, this.#method);
  }

  /**
   * Bytes received from the proxy (copied; the view may be reused after).
   *
   * @param data The bytes read.
   */
  feed(data: Uint8Array): void {
    if (data.length === 0) return;
    const joined = new Uint8Array(this.#buffer.length + data.length);
    joined.set(this.#buffer, 0);
    joined.set(data, this.#buffer.length);
    this.#buffer = joined;
  }

  /** The proxy closed the connection. */
  feedEof(): void {
    this.#eof = true;
  }

  /**
   * The next step: bytes to send, a request for more input, or the end of
   * the handshake.
   *
   * @throws {ProxyError} When the proxy refuses, answers with something
   * that is not SOCKS5, or closes the connection early.
   */
  next(): Socks5Event {
    try {
      return this.#step();
    } catch (error) {
      this.#state = "FAILED";
      throw error;
    }
  }

  #step(): Socks5Event {
    switch (this.#state) {
      case "NEW":
        throw new Error("Call start() before next()");
      case "AWAIT_METHOD": {
        const bytes = this.#take(2);
        if (bytes === null) return this.#needData("the method selection");
        checkVersion(bytes[0], SOCKS_VERSION);
        const method = bytes[1];
        if (method !== this.#method) {
          throw new ProxyError(methodMismatch(this.#method, method));
        }
        if (this.#auth !== null) {
          this.#state = "AWAIT_AUTH";
          return { type: "send", data: this.#auth };
        }
        this.#state = "AWAIT_REPLY";
        return { type: "send", data: this.#request };
      }
      case "AWAIT_AUTH": {
        const bytes = this.#take(2);
        if (bytes === null) return this.#needData("the authentication reply");
        if (bytes[0] !== USERPASS_VERSION) {
          throw new ProxyError(
            `Invalid username/password reply version ${
              hexByte(bytes[0])
            } from the proxy server`,
          );
        }
        if (bytes[1] !== 0x00) {
          throw new ProxyError("Invalid username/password");
        }
        this.#state = "AWAIT_REPLY";
        return { type: "send", data: this.#request };
      }
      case "AWAIT_REPLY": {
        const buffer = this.#buffer;
        if (buffer.length < 2) return this.#needData("the connect reply");
        checkVersion(buffer[0], SOCKS_VERSION);
        const code = buffer[1];
        if (code !== 0x00) {
          throw new ProxyError(
            `Proxy server could not connect: ${
              replyMessage(code)
            } (SOCKS5 reply ${hexByte(code)})`,
          );
        }
        if (buffer.length < 5) return this.#needData("the connect reply");
        const type = buffer[3];
        let length: number;
        if (type === AddressType.IPV4) length = 4 + 4 + 2;
        else if (type === AddressType.IPV6) length = 4 + 16 + 2;
        else if (type === AddressType.DOMAIN) length = 4 + 1 + buffer[4] + 2;
        else {
          throw new ProxyError(
            `Invalid address type ${
              hexByte(type)
            } in the SOCKS5 reply from the proxy server`,
          );
        }
        const bytes = this.#take(length);
        if (bytes === null) return this.#needData("the connect reply");
        let boundAddress: string;
        if (type === AddressType.DOMAIN) {
          boundAddress = new TextDecoder().decode(bytes.subarray(5, -2));
        } else {
          boundAddress = formatIp(bytes.subarray(4, -2));
        }
        const boundPort = (bytes[length - 2] << 8) | bytes[length - 1];
        this.#state = "CONNECTED";
        const leftover = this.#buffer;
        this.#buffer = new Uint8Array(0);
        return { type: "connected", boundAddress, boundPort, leftover };
      }
      case "CONNECTED":
        throw new Error("The SOCKS5 handshake is already complete");
      case "FAILED":
        throw new ProxyError("The SOCKS5 handshake failed");
    }
  }

  /** The first `n` buffered bytes (removed from the buffer), or `null`. */
  #take(n: number): Uint8Array | null {
    if (this.#buffer.length < n) return null;
    const bytes = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return bytes;
  }

  #needData(what: string): Socks5NeedDataEvent {
    if (this.#eof) {
      throw new ProxyError(
        `The proxy server closed the connection before sending ${what} of the SOCKS5 handshake`,
      );
    }
    return NEED_DATA;
  }
}

function checkVersion(got: number, expected: number): void {
  if (got !== expected) {
    throw new ProxyError(
      `The proxy server did not answer as a SOCKS5 server (version byte ${
        hexByte(got)
      }, expected ${hexByte(expected)})`,
    );
  }
}

function methodMismatch(requested: number, got: number): string {
  let message = `Requested ${
    authMethodName(requested)
  } from the proxy server, but got ${authMethodName(got)}`;
  if (got === AuthMethod.USERNAME_PASSWORD) {
    message += "; the proxy needs a username and password in the proxy URL";
  } else if (
    got === AuthMethod.NO_ACCEPTABLE &&
    requested === AuthMethod.NO_AUTH
  ) {
    message += "; the proxy probably needs a username and password";
  }
  return message;
}

/** The CONNECT request: VER CMD RSV ATYP DST.ADDR DST.PORT. */
function connectRequest(host: string, port: number): Uint8Array {
  let address: Uint8Array;
  let type: number;
  const v4 = parseIPv4(host);
  const v6 = v4 === null ? parseIPv6(host) : null;
  if (v4 !== null) {
    type = AddressType.IPV4;
    address = v4;
  } else if (v6 !== null) {
    type = AddressType.IPV6;
    address = v6;
  } else {
    const name = encoder.encode(host);
    if (name.length === 0 || name.length > 255) {
      throw new ProxyError(
        `Cannot send the host name ${
          JSON.stringify(host.slice(0, 300))
        } to a SOCKS5 proxy: it must be 1 to 255 bytes long`,
      );
    }
    type = AddressType.DOMAIN;
    address = new Uint8Array(1 + name.length);
    address[0] = name.length;
    address.set(name, 1);
  }
  const out = new Uint8Array(4 + address.length + 2);
  out[0] = SOCKS_VERSION;
  out[1] = Command.CONNECT;
  out[2] = 0x00;
  out[3] = type;
  out.set(address, 4);
  out[out.length - 2] = port >> 8;
  out[out.length - 1] = port & 0xff;
  return out;
}

/** The RFC 1929 request: VER ULEN UNAME PLEN PASSWD. */
function userPassRequest(username: string, password: string): Uint8Array {
  const user = encoder.encode(username);
  const pass = encoder.encode(password);
  if (user.length > 255 || pass.length > 255) {
    throw new ProxyError(
      "SOCKS5 usernames and passwords are limited to 255 bytes each",
    );
  }
  const out = new Uint8Array(3 + user.length + pass.length);
  out[0] = USERPASS_VERSION;
  out[1] = user.length;
  out.set(user, 2);
  out[2 + user.length] = pass.length;
  out.set(pass, 3 + user.length);
  return out;
}
