/**
 * Parsing of `WWW-Authenticate` challenges (RFC 9110 §11.6.1 syntax) and
 * validation of a Digest challenge (RFC 7616 §3.3).
 *
 * @module
 */

/** One challenge of a `WWW-Authenticate` field value. */
export interface Challenge {
  /** The auth-scheme as sent (`Digest`, `Basic`, …). */
  scheme: string;
  /** The token68 form, when the challenge used it instead of parameters. */
  token68?: string;
  /** Parameters, names lower-cased; the first occurrence of a name wins. */
  params: Map<string, string>;
}

/** Thrown by {@linkcode parseChallenges} for a field value it cannot read. */
export class ChallengeSyntaxError extends Error {
  override get name(): string {
    return "ChallengeSyntaxError";
  }
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]/;

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t";
}

/**
 * Split a `WWW-Authenticate` (or `Proxy-Authenticate`) field value into its
 * challenges: several challenges may share one value, parameter values may
 * be quoted strings with backslash escapes and commas inside.
 *
 * @param value The field value.
 * @returns The challenges in order.
 * @throws {ChallengeSyntaxError} On an unterminated quoted string or a
 * parameter without `=`.
 */
export function parseChallenges(value: string): Challenge[] {
  const challenges: Challenge[] = [];
  let pos = 0;
  const n = value.length;

  const skipSpace = (): void => {
    while (pos < n && isSpace(value[pos])) pos++;
  };
  const readToken = (): string => {
    const start = pos;
    while (pos < n && TCHAR.test(value[pos])) pos++;
    return value.slice(start, pos);
  };
  const readQuoted = (): string => {
    // value[pos] === '"'
    pos++;
    let out = "";
    while (pos < n) {
      const ch = value[pos];
      if (ch === "\\") {
        if (pos + 1 >= n) break;
        out += value[pos + 1];
        pos += 2;
      } else if (ch === '"') {
        pos++;
        return out;
      } else {
        out += ch;
        pos++;
      }
    }
    throw new ChallengeSyntaxError("Unterminated quoted string");
  };
  const readValue = (): string => {
    if (value[pos] === '"') return readQuoted();
    // Be lenient with unquoted values: take everything up to the next comma.
    const start = pos;
    while (pos < n && value[pos] !== ",") pos++;
    return value.slice(start, pos).trim();
  };
  // After a scheme: is what follows a token68 (and then the end or a comma)?
  const tryToken68 = (): string | undefined => {
    let p = pos;
    while (p < n && TOKEN68.test(value[p])) p++;
    if (p === pos) return undefined;
    while (p < n && value[p] === "=") p++;
    let q = p;
    while (q < n && isSpace(value[q])) q++;
    if (q < n && value[q] !== ",") return undefined;
    const token = value.slice(pos, p);
    pos = q;
    return token;
  };
  // Is the item at `pos` an auth-param (`name =`) rather than a new scheme?
  const atParam = (): boolean => {
    let p = pos;
    while (p < n && TCHAR.test(value[p])) p++;
    if (p === pos) return false;
    while (p < n && isSpace(value[p])) p++;
    return value[p] === "=";
  };

  let current: Challenge | undefined;
  while (pos < n) {
    // Skip list separators and empty elements.
    while (pos < n && (value[pos] === "," || isSpace(value[pos]))) pos++;
    if (pos >= n) break;
    if (current !== undefined && atParam()) {
      const name = readToken().toLowerCase();
      skipSpace();
      pos++; // "="
      skipSpace();
      const paramValue = readValue();
      if (!current.params.has(name)) current.params.set(name, paramValue);
    } else {
      const scheme = readToken();
      if (scheme === "") {
        throw new ChallengeSyntaxError(
          `Unexpected character ${JSON.stringify(value[pos])} in challenge`,
        );
      }
      current = { scheme, params: new Map() };
      challenges.push(current);
      if (pos < n && !isSpace(value[pos]) && value[pos] !== ",") {
        throw new ChallengeSyntaxError(
          `Unexpected character ${JSON.stringify(value[pos])} after scheme`,
        );
      }
      skipSpace();
      const token68 = tryToken68();
      if (token68 !== undefined) current.token68 = token68;
      // Else the first auth-param follows the scheme without a comma.
      else if (atParam()) continue;
    }
    skipSpace();
    if (pos < n && value[pos] !== ",") {
      throw new ChallengeSyntaxError(
        `Expected a comma at position ${pos} of the challenge`,
      );
    }
  }
  return challenges;
}

/** Digest algorithms this client can compute, upper-cased. */
export const DIGEST_ALGORITHMS: ReadonlySet<string> = new Set([
  "MD5",
  "MD5-SESS",
  "SHA",
  "SHA-SESS",
  "SHA-256",
  "SHA-256-SESS",
  "SHA-512",
  "SHA-512-SESS",
  "SHA-512-256",
  "SHA-512-256-SESS",
]);

/** A validated Digest challenge. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  /** The algorithm exactly as the server wrote it (`MD5` when absent). */
  algorithm: string;
  opaque?: string;
  /** The qop to use: `auth`, `auth-int`, or undefined for RFC 2069 mode. */
  qop?: "auth" | "auth-int";
  stale: boolean;
  userhash: boolean;
}

/** HTTPX's message for a Digest challenge it cannot read. */
export const MALFORMED_CHALLENGE = "Malformed Digest WWW-Authenticate header";

/** What {@linkcode toDigestChallenge} found wrong with a challenge. */
export class DigestChallengeError extends Error {
  override get name(): string {
    return "DigestChallengeError";
  }

  /**
   * Whether the challenge is malformed (missing `realm` or `nonce`, bad
   * syntax), for which HTTPX says just {@linkcode MALFORMED_CHALLENGE}.
   */
  get malformed(): boolean {
    return this.message.startsWith(MALFORMED_CHALLENGE);
  }
}

/**
 * Validate a parsed Digest challenge and choose the qop.
 *
 * @param challenge A challenge whose scheme is `Digest`.
 * @returns The values the client needs.
 * @throws {DigestChallengeError} When `realm` or `nonce` is missing, the
 * algorithm is unknown or no offered qop is supported.
 */
export function toDigestChallenge(challenge: Challenge): DigestChallenge {
  const params = challenge.params;
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  if (realm === undefined || nonce === undefined) {
    const missing = [
      realm === undefined ? "realm" : undefined,
      nonce === undefined ? "nonce" : undefined,
    ].filter((item) => item !== undefined).join(" and ");
    throw new DigestChallengeError(
      `${MALFORMED_CHALLENGE}: missing ${missing}`,
    );
  }
  const algorithm = params.get("algorithm") || "MD5";
  if (!DIGEST_ALGORITHMS.has(algorithm.toUpperCase())) {
    throw new DigestChallengeError(
      `Unsupported Digest algorithm ${JSON.stringify(algorithm)}`,
    );
  }
  let qop: DigestChallenge["qop"];
  const qopValue = params.get("qop");
  if (qopValue !== undefined && qopValue.trim() !== "") {
    const offered = qopValue.split(",").map((item) =>
      item.trim().toLowerCase()
    );
    if (offered.includes("auth")) qop = "auth";
    else if (offered.includes("auth-int")) qop = "auth-int";
    else {
      throw new DigestChallengeError(
        `Unexpected qop value ${JSON.stringify(qopValue)} in digest auth`,
      );
    }
  }
  const result: DigestChallenge = {
    realm,
    nonce,
    algorithm,
    qop,
    stale: params.get("stale")?.toLowerCase() === "true",
    userhash: params.get("userhash")?.toLowerCase() === "true",
  };
  const opaque = params.get("opaque");
  if (opaque !== undefined) result.opaque = opaque;
  return result;
}

/**
 * Pick the Digest challenge to answer among the `WWW-Authenticate` field
 * values: the first Digest challenge with a supported algorithm, or, when
 * every Digest challenge is unusable, the error of the first one.
 *
 * @param values Every `WWW-Authenticate` field value of the response.
 * @returns The challenge, or undefined when no Digest challenge was offered.
 * @throws {DigestChallengeError} When Digest challenges exist but none is usable.
 */
export function selectDigestChallenge(
  values: readonly string[],
): DigestChallenge | undefined {
  let firstError: DigestChallengeError | undefined;
  let sawDigest = false;
  for (const value of values) {
    let challenges: Challenge[];
    try {
      challenges = parseChallenges(value);
    } catch (error) {
      // A value we cannot split: if it looks like Digest, it is malformed.
      if (/^\s*digest(\s|$)/i.test(value)) {
        sawDigest = true;
        firstError ??= new DigestChallengeError(
          `${MALFORMED_CHALLENGE}: ${(error as Error).message.toLowerCase()}`,
          { cause: error },
        );
      }
      continue;
    }
    for (const challenge of challenges) {
      if (challenge.scheme.toLowerCase() !== "digest") continue;
      // A bare "Digest" is no challenge at all to HTTPX (it looks for
      // "digest " followed by parameters): the 401 is returned as it is.
      if (challenge.params.size === 0 && challenge.token68 === undefined) {
        continue;
      }
      sawDigest = true;
      try {
        return toDigestChallenge(challenge);
      } catch (error) {
        firstError ??= error as DigestChallengeError;
      }
    }
  }
  if (sawDigest && firstError !== undefined) throw firstError;
  return undefined;
}
