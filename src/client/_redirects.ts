/**
 * Building the request that follows a redirect response.
 *
 * @module
 */

import { InvalidURL, RemoteProtocolError } from "../errors.ts";
import type { Cookies } from "../models/cookies.ts";
import { Headers } from "../models/headers.ts";
import { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { URL } from "../models/url.ts";

const DEFAULT_PORTS: Record<string, number> = {
  ftp: 21,
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
};

/** The port of a URL, or its scheme's default port. */
export function portOrDefault(url: URL): number | null {
  return url.port ?? DEFAULT_PORTS[url.scheme] ?? null;
}

/** Whether two URLs have the same scheme, host and (default) port. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.scheme === b.scheme && a.host === b.host &&
    portOrDefault(a) === portOrDefault(b);
}

/**
 * Whether `location` is the same host as `url`, upgraded from http on port
 * 80 to https on port 443 (the one cross-origin hop that keeps
 * `Authorization`).
 */
export function isHttpsRedirect(url: URL, location: URL): boolean {
  return url.host === location.host && url.scheme === "http" &&
    portOrDefault(url) === 80 && location.scheme === "https" &&
    portOrDefault(location) === 443;
}

/** `host[:port]` as the `Host` header carries it (IPv6 in brackets). */
export function hostHeader(url: URL): string {
  const host = url.rawHost.includes(":") ? `[${url.rawHost}]` : url.rawHost;
  return url.port === null ? host : `${host}:${url.port}`;
}

/** The method after a redirect, as browsers (and HTTPX) do it. */
export function redirectMethod(method: string, statusCode: number): string {
  if (statusCode === 303 && method !== "HEAD") return "GET";
  if (statusCode === 302 && method !== "HEAD") return "GET";
  if (statusCode === 301 && method === "POST") return "GET";
  return method;
}

/** `scheme://` then no host: an optional `:port`, then the rest. */
const HOSTLESS_RE =
  /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)((?::[0-9]*)?(?:[/?#].*)?)$/s;

/** The URL a redirect response points to. */
export function redirectUrl(request: Request, response: Response): URL {
  let location = response.headers.get("location") ?? "";
  // A malformed absolute Location with no host ("https://:443/") keeps the
  // request's host (and the port it gives).
  const hostless = HOSTLESS_RE.exec(location);
  if (hostless !== null) {
    const host = request.url.rawHost.includes(":")
      ? `[${request.url.rawHost}]`
      : request.url.rawHost;
    location = `${hostless[1]}${host}${hostless[2]}`;
  }
  let url: URL;
  try {
    url = new URL(location);
  } catch (error) {
    if (error instanceof InvalidURL || error instanceof TypeError) {
      throw new RemoteProtocolError(
        `Invalid URL in location header: ${error.message}`,
        { request, cause: error },
      );
    }
    throw error;
  }
  if (url.scheme !== "" && url.host === "") {
    url = url.copyWith({ host: request.url.host });
  }
  if (url.isRelativeUrl) url = request.url.join(url);
  if (request.url.fragment !== "" && url.fragment === "") {
    url = url.copyWith({ fragment: request.url.fragment });
  }
  return url;
}

const BODY_HEADERS = [
  "content-length",
  "transfer-encoding",
  "content-type",
  "content-encoding",
];

/**
 * The request that follows `response`: the method rewritten (301/302/303),
 * the URL resolved against the request's, `Authorization` dropped across
 * origins (except the http→https upgrade of the same host), `Host` updated,
 * the body and every body header dropped when the method becomes GET,
 * and the `Cookie` header recomputed from the client's jar.
 *
 * @param request The request that got the redirect.
 * @param response The redirect response (with a `Location` header).
 * @param cookies The client's cookie jar (already holding this hop's cookies).
 */
export function buildRedirectRequest(
  request: Request,
  response: Response,
  cookies: Cookies,
): Request {
  const method = redirectMethod(request.method, response.statusCode);
  const url = redirectUrl(request, response);
  const headers = new Headers(request.headers);
  if (!sameOrigin(url, request.url)) {
    if (!isHttpsRedirect(request.url, url)) headers.delete("authorization");
    headers.set("Host", hostHeader(url));
  }
  const toGet = method !== request.method && method === "GET";
  if (toGet) {
    for (const name of BODY_HEADERS) headers.delete(name);
  }
  headers.delete("cookie");
  const next = toGet
    ? new Request(method, url, {
      headers,
      extensions: { ...request.extensions },
    })
    : new Request(method, url, {
      headers,
      stream: request.stream,
      extensions: { ...request.extensions },
    });
  cookies.setCookieHeader(next);
  return next;
}
