/**
 * SOCKS5 constants (RFC 1928, RFC 1929): authentication methods, reply
 * codes and their messages.
 *
 * @module
 */

/** SOCKS protocol version 5. */
export const SOCKS_VERSION = 0x05;
/** Version of the username/password sub-negotiation (RFC 1929). */
export const USERPASS_VERSION = 0x01;

/** Authentication methods of the method-selection message. */
export const AuthMethod = {
  /** No authentication required. */
  NO_AUTH: 0x00,
  /** GSSAPI (not supported here). */
  GSSAPI: 0x01,
  /** Username/password (RFC 1929). */
  USERNAME_PASSWORD: 0x02,
  /** The server accepts none of the offered methods. */
  NO_ACCEPTABLE: 0xff,
} as const;

/** Commands of a SOCKS5 request. */
export const Command = {
  /** Open a TCP connection to the destination. */
  CONNECT: 0x01,
  /** Bind (not used here). */
  BIND: 0x02,
  /** UDP associate (not used here). */
  UDP_ASSOCIATE: 0x03,
} as const;

/** Address types of a SOCKS5 request or reply. */
export const AddressType = {
  /** Four bytes. */
  IPV4: 0x01,
  /** One length byte, then the name. */
  DOMAIN: 0x03,
  /** Sixteen bytes. */
  IPV6: 0x04,
} as const;

/** The reply codes of RFC 1928 §6 and what they mean. */
export const REPLY_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
  0x00: "succeeded",
  0x01: "general SOCKS server failure",
  0x02: "connection not allowed by ruleset",
  0x03: "network unreachable",
  0x04: "host unreachable",
  0x05: "connection refused",
  0x06: "TTL expired",
  0x07: "command not supported",
  0x08: "address type not supported",
});

/** `0x05`-style hex for messages. */
export function hexByte(value: number): string {
  return `0x${value.toString(16).padStart(2, "0")}`;
}

/**
 * The meaning of a reply code, e.g. `"connection refused"`, or
 * `"unassigned reply code 0x2a"`.
 *
 * @param code The REP byte of a reply.
 */
export function replyMessage(code: number): string {
  return REPLY_MESSAGES[code] ?? `unassigned reply code ${hexByte(code)}`;
}

/**
 * The name of an authentication method, as RFC 1928 writes it
 * (`"NO AUTHENTICATION REQUIRED"`, `"USERNAME/PASSWORD"`, …).
 *
 * @param method The METHOD byte.
 */
export function authMethodName(method: number): string {
  switch (method) {
    case AuthMethod.NO_AUTH:
      return "NO AUTHENTICATION REQUIRED";
    case AuthMethod.GSSAPI:
      return "GSSAPI";
    case AuthMethod.USERNAME_PASSWORD:
      return "USERNAME/PASSWORD";
    case AuthMethod.NO_ACCEPTABLE:
      return "NO ACCEPTABLE METHODS";
    default:
      return `method ${hexByte(method)}`;
  }
}
