/**
 * Where the interop servers are (`bash scripts/interop_servers.sh env`) and
 * small helpers the interop tests share. Every interop test is declared with
 * `ignore: !INTEROP`, so the suite passes where the servers are absent.
 *
 * @module
 */

import type * as httpx from "../../mod.ts";

/** Whether the real servers run (`HTTPX_INTEROP` is set). */
export const INTEROP: boolean = Deno.env.get("HTTPX_INTEROP") !== undefined;

function env(name: string, fallback: string): string {
  return (Deno.env.get(name) ?? fallback).replace(/\/$/, "");
}

/** httpbin under gunicorn. */
export const HTTPBIN_URL: string = env("HTTPBIN_URL", "http://127.0.0.1:18080");
/** nginx, plain HTTP, gzip on. */
export const NGINX_URL: string = env("NGINX_URL", "http://127.0.0.1:18081");
/** nginx, TLS and HTTP/2. */
export const NGINX_TLS_URL: string = env(
  "NGINX_TLS_URL",
  "https://localhost:18443",
);
/** apache2 with mod_auth_digest (`/private/index.txt`). */
export const APACHE_URL: string = env("APACHE_URL", "http://127.0.0.1:18082");
/** nghttpd, HTTP/2 over TLS. */
export const NGHTTPD_URL: string = env(
  "NGHTTPD_URL",
  "https://localhost:18444",
);
/** nghttpd, HTTP/2 over cleartext (prior knowledge). */
export const NGHTTPD_H2C_URL: string = env(
  "NGHTTPD_H2C_URL",
  "http://127.0.0.1:18445",
);
/** The servers' state folder; static files are in `www/`. */
export const STATE_DIR: string = env(
  "HTTPX_INTEROP_STATE",
  "/tmp/httpx-interop",
);

/** The test CA that signed the servers' certificate, PEM (read lazily). */
export function testCa(): string {
  const path = Deno.env.get("HTTPX_TEST_CA") ??
    new URL("../testdata/tls/ca.pem", import.meta.url).pathname;
  return Deno.readTextFileSync(path);
}

/** Hex SHA-256 of some bytes. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** A trace hook that counts new TCP connections. */
export function connectCounter(): {
  readonly count: number;
  extensions: httpx.RequestExtensions;
} {
  let connects = 0;
  return {
    get count() {
      return connects;
    },
    extensions: {
      trace: (event: string) => {
        if (event === "connection.connect_tcp.started") connects++;
      },
    },
  };
}
