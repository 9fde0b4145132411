/**
 * `host:port` for messages, CONNECT targets and connection descriptions.
 *
 * @module
 */

/** `host:port`, with IPv6 literals in brackets. */
export function authority(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
