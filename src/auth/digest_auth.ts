/**
 * HTTP Digest authentication (RFC 7616, with RFC 2069 compatibility).
 *
 * @module
 */

import { ProtocolError } from "../errors.ts";
import type { Request } from "../models/request.ts";
import type { Response } from "../models/response.ts";
import { Cookies } from "../models/cookies.ts";
import { Auth } from "./auth.ts";
import {
  type DigestChallenge,
  DigestChallengeError,
  MALFORMED_CHALLENGE,
  selectDigestChallenge,
} from "./_digest_challenge.ts";
import { digestHash, type HashFunction } from "./_digest_hash.ts";

const encoder = new TextEncoder();

function bytesOf(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

function join(parts: readonly (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map(bytesOf);
  let length = chunks.length - 1;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(Math.max(length, 0));
  let offset = 0;
  chunks.forEach((chunk, index) => {
    if (index > 0) out[offset++] = 0x3a; // ":"
    out.set(chunk, offset);
    offset += chunk.length;
  });
  return out;
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, "\\$&")}"`;
}

// RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" /
// "." / "^" / "_" / "`" / "|" / "~"
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function extValue(bytes: Uint8Array): string {
  let out = "UTF-8''";
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(ch)
      ? ch
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function isPlainAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 || byte > 0x7e) return false;
  }
  return true;
}

function rawPathOf(request: Request): string {
  const raw: unknown = request.url.rawPath;
  return typeof raw === "string"
    ? raw
    : new TextDecoder().decode(raw as Uint8Array);
}

/**
 * HTTP Digest authentication. The first request goes out without
 * credentials and a `401` Digest challenge is answered by one retry; the
 * challenge is remembered, so later requests are authorised up front. A
 * `stale=true` nonce gets one more retry.
 *
 * Algorithms `MD5`, `SHA-256` and `SHA-512-256` (and HTTPX's `SHA` and
 * `SHA-512`), each also as `-sess`; qop `auth`, `auth-int` or none (RFC
 * 2069); `userhash` and `opaque`. Hashes come from `node:crypto`, loaded on
 * first use.
 *
 * @example Answer a Digest challenge
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport((request) => {
 *   if (!request.headers.has("authorization")) {
 *     return new httpx.Response(401, {
 *       headers: {
 *         "WWW-Authenticate": 'Digest realm="api", nonce="abc", qop="auth"',
 *       },
 *     });
 *   }
 *   return new httpx.Response(200, { text: "welcome" });
 * });
 * const client = new httpx.Client({ transport });
 * const response = await client.get("https://example.org/", {
 *   auth: new httpx.DigestAuth("user", "pass"),
 * });
 * console.assert(response.statusCode === 200);
 * console.assert(response.history.length === 1);
 * ```
 */
export class DigestAuth extends Auth {
  #username: Uint8Array;
  #password: Uint8Array;
  #challenge: DigestChallenge | undefined;
  #nonceCount = 0;

  /**
   * Keep the credentials; nothing is sent until a server challenges.
   *
   * @param username The user name (a string is encoded as UTF-8).
   * @param password The password (a string is encoded as UTF-8).
   */
  constructor(username: string | Uint8Array, password: string | Uint8Array) {
    super();
    this.#username = bytesOf(username);
    this.#password = bytesOf(password);
  }

  /**
   * A fresh client nonce (`cnonce`) for one `Authorization` header: 16
   * random hex digits. Subclasses (and tests reproducing published vectors)
   * may override it.
   *
   * @returns The client nonce.
   */
  protected createCnonce(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0"))
      .join("");
  }

  /**
   * Send the request (authorised up front when a challenge is remembered),
   * answer a Digest `401` once, and once more for a `stale` nonce.
   *
   * @param request The request about to be sent.
   * @returns An async generator of requests that receives responses.
   */
  override async *authFlow(
    request: Request,
  ): AsyncGenerator<Request, void, Response> {
    if (this.#challenge !== undefined) {
      request.headers.set(
        "Authorization",
        await this.#authorization(request, this.#challenge),
      );
    }
    let response: Response = yield request;
    let retried = false;
    let staleRetried = false;
    while (response.statusCode === 401) {
      let challenge: DigestChallenge | undefined;
      try {
        challenge = selectDigestChallenge(
          response.headers.getList("www-authenticate"),
        );
      } catch (error) {
        if (!(error instanceof DigestChallengeError)) throw error;
        // HTTPX's exact text; the detail stays in `cause`.
        const message = error.malformed ? MALFORMED_CHALLENGE : error.message;
        throw new ProtocolError(message, { request, cause: error });
      }
      if (challenge === undefined) return;
      this.#remember(challenge);
      if (retried) {
        // Wrong credentials: stop, unless the server only refused the nonce.
        if (!challenge.stale || staleRetried) return;
        staleRetried = true;
      }
      retried = true;
      request.headers.set(
        "Authorization",
        await this.#authorization(request, challenge),
      );
      // Cookies the server set with its challenge go along with the retry.
      const cookies = new Cookies();
      cookies.extractCookies(response, request);
      cookies.setCookieHeader(request);
      response = yield request;
    }
  }

  #remember(challenge: DigestChallenge): void {
    if (this.#challenge?.nonce !== challenge.nonce) this.#nonceCount = 0;
    this.#challenge = challenge;
    this.requiresRequestBody = challenge.qop === "auth-int";
  }

  async #authorization(
    request: Request,
    challenge: DigestChallenge,
  ): Promise<string> {
    let hash: HashFunction;
    try {
      hash = await digestHash(challenge.algorithm);
    } catch (error) {
      throw new ProtocolError(
        `Digest algorithm ${challenge.algorithm} is not available`,
        { request, cause: error },
      );
    }
    const body = challenge.qop === "auth-int"
      ? await request.read()
      : undefined;

    // Everything below is synchronous, so concurrent requests sharing this
    // instance each get their own nonce count.
    const { realm, nonce, qop } = challenge;
    const sess = challenge.algorithm.toUpperCase().endsWith("-SESS");
    const cnonce = qop !== undefined || sess ? this.createCnonce() : "";
    const nc = qop !== undefined
      ? (++this.#nonceCount).toString(16).padStart(8, "0")
      : "";
    const uri = rawPathOf(request);

    let ha1 = hash(join([this.#username, realm, this.#password]));
    if (sess) ha1 = hash(join([ha1, nonce, cnonce]));
    const a2: (string | Uint8Array)[] = [request.method, uri];
    if (body !== undefined) a2.push(hash(body));
    const ha2 = hash(join(a2));
    const digest = qop !== undefined
      ? hash(join([ha1, nonce, nc, cnonce, qop, ha2]))
      : hash(join([ha1, nonce, ha2]));

    let usernameField: string;
    if (challenge.userhash) {
      usernameField = `username=${quote(hash(join([this.#username, realm])))}`;
    } else if (isPlainAscii(this.#username)) {
      usernameField = `username=${
        quote(new TextDecoder().decode(this.#username))
      }`;
    } else {
      usernameField = `username*=${extValue(this.#username)}`;
    }

    const fields = [
      usernameField,
      `realm=${quote(realm)}`,
      `nonce=${quote(nonce)}`,
      `uri=${quote(uri)}`,
      `response=${quote(digest)}`,
      `algorithm=${challenge.algorithm}`,
    ];
    if (challenge.opaque !== undefined) {
      fields.push(`opaque=${quote(challenge.opaque)}`);
    }
    if (qop !== undefined) {
      fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    } else if (sess) {
      fields.push(`cnonce=${quote(cnonce)}`);
    }
    if (challenge.userhash) fields.push("userhash=true");
    return `Digest ${fields.join(", ")}`;
  }
}
