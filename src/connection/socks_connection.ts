/**
 * Connections through a SOCKS5 proxy (RFC 1928, with RFC 1929
 * username/password): `socks5://` resolves the target name locally and
 * sends the address, `socks5h://` sends the name for the proxy to resolve.
 *
 * @module
 */

import { traced } from "../_trace.ts";
import { ConnectError, ConnectTimeout } from "../errors.ts";
import type { NetworkStream } from "../net/network.ts";
import { Socks5Handshake } from "../protocol/socks5/handshake.ts";
import { isIpLiteral } from "../protocol/socks5/ip_address.ts";
import type { Origin } from "./_interface.ts";
import {
  type HandshakeContext,
  type ProxyConnectionOptions,
  TunnelledConnection,
  type TunnelSteps,
} from "./_proxy_shared.ts";

/** Resolves a host name to one IP literal (IPv6 without brackets). */
export type HostResolver = (
  host: string,
  signal: AbortSignal,
) => Promise<string>;

const SOCKS_STEPS: TunnelSteps = {
  kind: "SOCKSConnection",
  connectPrefix: "socks",
  startTlsEvent: "socks.start_tls",
  handshake: "the SOCKS5 handshake with the proxy",
  earlyData: () =>
    new ConnectError(
      "The SOCKS5 proxy sent data through the tunnel before the TLS handshake",
    ),
};

/** Options of {@linkcode SOCKSConnection}. */
export interface SOCKSConnectionOptions extends ProxyConnectionOptions {
  /**
   * How `socks5://` resolves names locally. Defaults to
   * {@linkcode resolveHost}: `localhost`, then `/etc/hosts` (when readable),
   * then DNS (A, then AAAA).
   */
  resolve?: HostResolver;
}

/** Whether `name` is `localhost` or a name under `.localhost` (RFC 6761). */
function isLocalhost(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost");
}

function hostsFilePath(): string {
  return Deno.build.os === "windows"
    ? "C:\\Windows\\System32\\drivers\\etc\\hosts"
    : "/etc/hosts";
}

/** The address `/etc/hosts` gives `name`, when the file may be read. */
function lookupHostsFile(name: string): string | null {
  const path = hostsFilePath();
  let text: string;
  try {
    if (
      Deno.permissions.querySync({ name: "read", path }).state !== "granted"
    ) {
      return null;
    }
    text = Deno.readTextFileSync(path);
  } catch {
    return null;
  }
  let v6: string | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") continue;
    const [address, ...names] = line.split(/\s+/);
    if (!names.some((entry) => entry.toLowerCase() === name)) continue;
    if (!isIpLiteral(address)) continue;
    if (!address.includes(":")) return address;
    v6 ??= address;
  }
  return v6;
}

/**
 * Resolve `host` locally, as `socks5://` does: IP literals as they are,
 * `localhost` names to `127.0.0.1`, then `/etc/hosts` (when read
 * permission is granted), then DNS: the first A record, else the first AAAA
 * record.
 *
 * @param host A host name or IP literal.
 * @param signal Cancels the DNS queries.
 * @throws {ConnectError} When the name has no address.
 */
export async function resolveHost(
  host: string,
  signal: AbortSignal,
): Promise<string> {
  const name = host.toLowerCase();
  if (isIpLiteral(name)) return name;
  if (isLocalhost(name)) return "127.0.0.1";
  const fromFile = lookupHostsFile(name);
  if (fromFile !== null) return fromFile;
  const failures: string[] = [];
  for (const type of ["A", "AAAA"] as const) {
    try {
      const addresses = await Deno.resolveDns(name, type, { signal });
      if (addresses.length > 0) return addresses[0];
    } catch (error) {
      if (signal.aborted) throw error;
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new ConnectError(
    `Could not resolve ${host} for the SOCKS5 proxy${
      failures.length > 0 ? `: ${failures[failures.length - 1]}` : ""
    }`,
  );
}

/**
 * A connection to one origin through a SOCKS5 proxy.
 *
 * On its first request it connects to the proxy, offers one authentication
 * method (none, or username/password from the proxy URL or `Proxy({ auth
 * })`), asks the proxy to CONNECT to the origin — by address for
 * `socks5://` (resolved here), by name for `socks5h://` — and, for
 * `https://` targets, runs TLS with the origin over the tunnel (SNI: the
 * `sniHostname` extension or the origin host; ALPN as configured). Every
 * step shares the connect timeout. A refusal raises `ProxyError`.
 *
 * Trace events: `socks.connect_tcp`, `socks.setup_socks5_connection`,
 * `socks.start_tls`.
 */
export class SOCKSConnection extends TunnelledConnection {
  #resolver: HostResolver;

  /**
   * No I/O happens until the first request.
   *
   * @param origin The target origin.
   * @param options The proxy (`socks5` or `socks5h`), the network backend,
   * TLS and ALPN settings, and the resolver.
   */
  constructor(origin: Origin, options: SOCKSConnectionOptions) {
    super(origin, options, SOCKS_STEPS);
    this.#resolver = options.resolve ?? resolveHost;
  }

  /** Negotiate with the proxy, traced as `socks.setup_socks5_connection`. */
  protected openTunnel(
    context: HandshakeContext,
    stream: NetworkStream,
  ): Promise<Uint8Array> {
    const origin = this.origin;
    const auth = this.proxy.auth;
    return traced(
      context.trace,
      "socks.setup_socks5_connection",
      {
        stream,
        host: origin.host,
        port: origin.port,
        auth: auth === null ? null : [auth[0], "********"],
      },
      () => this.#negotiate(context, stream),
    );
  }

  /** Run the handshake; the bytes read past its end. */
  async #negotiate(
    context: HandshakeContext,
    stream: NetworkStream,
  ): Promise<Uint8Array> {
    const origin = this.origin;
    let host = origin.host;
    if (this.proxy.scheme === "socks5") {
      host = await this.#resolve(context, host);
    }
    const handshake = new Socks5Handshake({
      host,
      port: origin.port,
      auth: this.proxy.auth,
    });
    await context.write(stream, handshake.start(), "the SOCKS5 greeting");
    for (;;) {
      const event = handshake.next();
      if (event.type === "connected") return event.leftover;
      if (event.type === "send") {
        await context.write(stream, event.data, "the SOCKS5 handshake");
        continue;
      }
      const bytes = await context.read(stream, "the SOCKS5 handshake");
      if (bytes === null) handshake.feedEof();
      else handshake.feed(bytes);
    }
  }

  /** Resolve `host` within the connect budget. */
  async #resolve(context: HandshakeContext, host: string): Promise<string> {
    const resolve = this.#resolver;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(context.signal?.reason);
    context.signal?.addEventListener("abort", onAbort, { once: true });
    const remaining = context.remaining();
    let timedOut = false;
    const timer = remaining === null ? undefined : setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, remaining * 1000);
    try {
      return await resolve(host, controller.signal);
    } catch (error) {
      if (timedOut) {
        throw new ConnectTimeout(
          `Timed out resolving ${host} for the SOCKS5 proxy`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      context.signal?.removeEventListener("abort", onAbort);
    }
  }
}
