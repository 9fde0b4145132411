/**
 * Merging client-level configuration into each request.
 *
 * @module
 */

import { Cookies, type CookiesInit } from "../models/cookies.ts";
import { Headers, type HeaderTypes } from "../models/headers.ts";
import { QueryParams, type QueryParamTypes } from "../models/query_params.ts";
import { URL } from "../models/url.ts";

/**
 * Give the base URL's path a trailing slash (HTTPX's rule), so relative
 * request URLs are always appended to it.
 */
export function enforceTrailingSlash(url: URL): URL {
  const rawPath = url.rawPath;
  if (rawPath.endsWith("/")) return url;
  return url.copyWith({ rawPath: `${rawPath}/` });
}

/**
 * The request URL against the client's base URL: an absolute URL is kept;
 * a relative one (no scheme or no host) is appended to the base path, with
 * its leading slashes removed.
 */
export function mergeUrl(baseUrl: URL, url: URL | string): URL {
  // "//users" is a path here, not a scheme-relative URL (as in HTTPX).
  const merge = url instanceof URL
    ? url
    : new URL(url.startsWith("//") ? url.replace(/^\/+/, "/") : url);
  if (!merge.isRelativeUrl) return merge;
  const rawPath = baseUrl.rawPath + merge.rawPath.replace(/^\/+/, "");
  return baseUrl.copyWith({ rawPath });
}

/**
 * Merge query parameters per key: request params over client params over
 * the URL's own query (a deliberate difference from HTTPX 0.28, which
 * replaces the URL's query). The URL is kept untouched when neither side
 * has params.
 */
export function mergeParams(
  url: URL,
  clientParams: QueryParams,
  requestParams: QueryParamTypes | undefined | null,
): URL {
  const request = requestParams === undefined || requestParams === null
    ? null
    : new QueryParams(requestParams);
  const hasRequest = request !== null && request.size > 0;
  if (clientParams.size === 0 && !hasRequest) return url;
  let merged = url.params.merge(clientParams);
  if (hasRequest) merged = merged.merge(request);
  return url.copyWith({ params: merged });
}

/**
 * Client headers, then the request's: each name the request gives replaces
 * every client value of that name.
 */
export function mergeHeaders(
  clientHeaders: Headers,
  requestHeaders: HeaderTypes | undefined | null,
): Headers {
  const merged = new Headers(clientHeaders);
  if (requestHeaders !== undefined && requestHeaders !== null) {
    merged.update(requestHeaders);
  }
  return merged;
}

/**
 * The client's cookies with the request's on top, or `undefined` when both
 * are empty.
 */
export function mergeCookies(
  clientCookies: Cookies,
  requestCookies: CookiesInit | undefined | null,
): Cookies | undefined {
  const request = requestCookies === undefined || requestCookies === null
    ? null
    : new Cookies(requestCookies);
  if (
    (clientCookies.jar.isBare || clientCookies.size === 0) &&
    (request === null || request.size === 0)
  ) {
    return undefined;
  }
  const merged = new Cookies(clientCookies);
  if (request !== null) merged.update(request);
  return merged;
}
