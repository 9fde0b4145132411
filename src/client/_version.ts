/**
 * The package version, used in the default `User-Agent` header.
 *
 * @module
 */

/** This package's version (kept in step with `deno.json`). */
export const VERSION = "0.1.0";

/** The default `User-Agent` header value: `x-httpx/<version>`. */
export const USER_AGENT: string = `x-httpx/${VERSION}`;
