/**
 * The default transport: `HTTPTransport` where raw sockets can be used,
 * `FetchTransport` where `Deno.connect` is missing or not permitted.
 *
 * @module
 */

import type { Limits } from "../config/limits.ts";
import type { Proxy } from "../config/proxy.ts";
import type { URL } from "../models/url.ts";
import type { BaseTransport } from "./base.ts";
import { FetchTransport } from "./fetch.ts";
import { HTTPTransport } from "./http.ts";

/** The settings a client passes to the transport it builds. */
export interface DefaultTransportOptions {
  /** TLS verification: `true` or `{ caCerts }`. */
  verify?: boolean | { caCerts: string[] };
  /** A client certificate and key (PEM). */
  cert?: { cert: string; key: string };
  /** Allow HTTP/1.1. */
  http1?: boolean;
  /** Allow HTTP/2. */
  http2?: boolean;
  /** Read settings from the environment. */
  trustEnv?: boolean;
  /** Pool limits. */
  limits?: Limits;
  /** A proxy for every request. */
  proxy?: string | URL | Proxy | null;
}

/** Which transport {@linkcode createDefaultTransport} builds. */
export type DefaultTransportKind = "http" | "fetch";

interface DenoSockets {
  connect?: unknown;
  permissions?: {
    querySync?: (descriptor: { name: "net" }) => { state: string };
  };
}

/**
 * `"http"` when `Deno.connect` exists and the `net` permission is not
 * denied (granted, or still to be asked for: `fetch` would need the same
 * permission), else `"fetch"`.
 *
 * @returns The kind of transport to build by default.
 */
export function defaultTransportKind(): DefaultTransportKind {
  const deno = (globalThis as { Deno?: DenoSockets }).Deno;
  if (deno === undefined || typeof deno.connect !== "function") return "fetch";
  try {
    const state = deno.permissions?.querySync?.({ name: "net" }).state;
    if (state === "denied") return "fetch";
  } catch {
    // No permission API to ask: assume sockets work.
  }
  return "http";
}

/**
 * Build the default transport for these settings: an `HTTPTransport`, or a
 * `FetchTransport` where raw sockets cannot be used.
 *
 * @param options The client's transport settings.
 * @returns The transport.
 */
export function createDefaultTransport(
  options: DefaultTransportOptions,
): BaseTransport {
  if (defaultTransportKind() === "fetch") return new FetchTransport(options);
  return new HTTPTransport(
    options as ConstructorParameters<typeof HTTPTransport>[0],
  );
}
