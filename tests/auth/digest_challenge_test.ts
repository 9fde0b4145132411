import assert from "node:assert/strict";
import {
  ChallengeSyntaxError,
  DigestChallengeError,
  parseChallenges,
  selectDigestChallenge,
  toDigestChallenge,
} from "../../src/auth/_digest_challenge.ts";

function params(value: string): Record<string, string> {
  const [challenge] = parseChallenges(value);
  return Object.fromEntries(challenge.params);
}

Deno.test("challenge parser: quoted strings, escapes and commas inside quotes", () => {
  assert.deepEqual(
    params(
      'Digest realm="a, b", nonce="x\\"y\\\\z", opaque=plain, qop="auth,auth-int"',
    ),
    {
      realm: "a, b",
      nonce: 'x"y\\z',
      opaque: "plain",
      qop: "auth,auth-int",
    },
  );
});

Deno.test("challenge parser: parameter names are case-insensitive, first wins", () => {
  assert.deepEqual(params('Digest REALM="r", Nonce=n, realm="other"'), {
    realm: "r",
    nonce: "n",
  });
});

Deno.test("challenge parser: whitespace around = and empty list elements", () => {
  assert.deepEqual(params('Digest  realm = "r" ,, nonce= "n" ,'), {
    realm: "r",
    nonce: "n",
  });
});

Deno.test("challenge parser: several challenges in one field value", () => {
  const challenges = parseChallenges(
    'Newauth realm="apps", type=1, title="Login to \\"apps\\"", ' +
      'Basic realm="simple", Negotiate abc123==, Bearer, Digest realm="d", nonce="n"',
  );
  assert.deepEqual(
    challenges.map((c) => [c.scheme, Object.fromEntries(c.params), c.token68]),
    [
      [
        "Newauth",
        { realm: "apps", type: "1", title: 'Login to "apps"' },
        undefined,
      ],
      ["Basic", { realm: "simple" }, undefined],
      ["Negotiate", {}, "abc123=="],
      ["Bearer", {}, undefined],
      ["Digest", { realm: "d", nonce: "n" }, undefined],
    ],
  );
});

Deno.test("challenge parser: an unterminated quoted string is an error", () => {
  assert.throws(
    () => parseChallenges('Digest realm="r", qop="auth,au'),
    ChallengeSyntaxError,
  );
});

Deno.test("select: the Digest challenge among other schemes and fields", () => {
  const challenge = selectDigestChallenge([
    'Basic realm="x"',
    'Bearer realm="y", Digest realm="r@h", nonce="abc", algorithm=SHA-256, qop="auth"',
  ]);
  assert.deepEqual(challenge, {
    realm: "r@h",
    nonce: "abc",
    algorithm: "SHA-256",
    qop: "auth",
    stale: false,
    userhash: false,
  });
  assert.equal(
    selectDigestChallenge(['Basic realm="x"', "Token ..."]),
    undefined,
  );
  assert.equal(selectDigestChallenge([]), undefined);
});

Deno.test("select: skips a Digest challenge with an unknown algorithm", () => {
  const challenge = selectDigestChallenge([
    'Digest realm="r", nonce="1", algorithm=SHA3-256',
    'Digest realm="r", nonce="2", algorithm=MD5',
  ]);
  assert.equal(challenge?.nonce, "2");
  assert.throws(
    () =>
      selectDigestChallenge([
        'Digest realm="r", nonce="1", algorithm=SHA3-256',
      ]),
    (error: Error) =>
      error instanceof DigestChallengeError &&
      error.message === 'Unsupported Digest algorithm "SHA3-256"',
  );
});

Deno.test("validation: defaults, qop choice, flags", () => {
  const parse = (value: string) => toDigestChallenge(parseChallenges(value)[0]);
  const rfc2069 = parse('Digest realm="r", nonce="n"');
  assert.equal(rfc2069.algorithm, "MD5");
  assert.equal(rfc2069.qop, undefined);
  assert.equal(
    parse('Digest realm="r", nonce="n", qop="auth-int, auth"').qop,
    "auth",
  );
  assert.equal(
    parse('Digest realm="r", nonce="n", qop="unknown,auth"').qop,
    "auth",
  );
  assert.equal(
    parse('Digest realm="r", nonce="n", qop="auth-int"').qop,
    "auth-int",
  );
  assert.equal(parse('Digest realm="r", nonce="n", qop=""').qop, undefined);
  const flags = parse(
    'Digest realm="r", nonce="n", stale=TRUE, userhash=true, opaque="o"',
  );
  assert.equal(flags.stale, true);
  assert.equal(flags.userhash, true);
  assert.equal(flags.opaque, "o");
  assert.equal(parse('Digest realm="r", nonce="n", stale=FALSE').stale, false);
});

Deno.test("validation: malformed challenges say what is wrong", () => {
  const parse = (value: string) => () =>
    toDigestChallenge(parseChallenges(value)[0]);
  assert.throws(parse('Digest realm="r"'), {
    name: "DigestChallengeError",
    message: "Malformed Digest WWW-Authenticate header: missing nonce",
  });
  assert.throws(parse('Digest qop="auth"'), {
    message:
      "Malformed Digest WWW-Authenticate header: missing realm and nonce",
  });
  assert.throws(parse('Digest realm="r", nonce="n", qop="not-auth"'), {
    message: 'Unexpected qop value "not-auth" in digest auth',
  });
  assert.throws(
    () => selectDigestChallenge(['Digest realm="r", qop="auth,au']),
    {
      message:
        "Malformed Digest WWW-Authenticate header: unterminated quoted string",
    },
  );
});
