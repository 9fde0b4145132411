import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { DigestAuth } from "../../src/auth/digest_auth.ts";
import { ProtocolError } from "../../src/errors.ts";
import { Request } from "../../src/models/request.ts";
import { Response } from "../../src/models/response.ts";

const decoder = new TextDecoder();

/** A DigestAuth whose client nonces come from a list, to reproduce published vectors. */
class FixedCnonceDigestAuth extends DigestAuth {
  #cnonces: string[];
  constructor(username: string, password: string, ...cnonces: string[]) {
    super(username, password);
    this.#cnonces = cnonces;
  }
  protected override createCnonce(): string {
    const next = this.#cnonces.shift();
    assert.ok(next !== undefined, "ran out of test cnonces");
    return next;
  }
}

/** Split an Authorization header into its fields (values unquoted). */
function fields(header: string | undefined): Record<string, string> {
  assert.ok(header !== undefined, "no Authorization header");
  assert.ok(header.startsWith("Digest "), header);
  const out: Record<string, string> = {};
  const re = /([a-z*]+)=("(?:[^"\\]|\\.)*"|[^,]*)(?:,\s*|$)/gy;
  re.lastIndex = "Digest ".length;
  for (const match of header.matchAll(re)) {
    const raw = match[2];
    out[match[1]] = raw.startsWith('"')
      ? raw.slice(1, -1).replace(/\\(.)/g, "$1")
      : raw;
  }
  return out;
}

interface Exchange {
  /** The Authorization header of each request sent, in order. */
  sent: (string | undefined)[];
  /** The requests as sent (the same object may repeat). */
  requests: Request[];
  /** The last response, returned to the caller. */
  response: Response;
}

/** Drive an auth flow the way a client does, answering with `handler`. */
async function send(
  auth: DigestAuth,
  request: Request,
  handler: (request: Request) => Response | Promise<Response>,
): Promise<Exchange> {
  const flow = auth.asyncAuthFlow(request);
  const sent: (string | undefined)[] = [];
  const requests: Request[] = [];
  let step = await flow.next();
  let response: Response | undefined;
  while (!step.done) {
    const outgoing = step.value;
    sent.push(outgoing.headers.get("authorization"));
    requests.push(outgoing);
    response = await handler(outgoing);
    response.request = outgoing;
    step = await flow.next(response);
  }
  assert.ok(response !== undefined);
  return { sent, requests, response };
}

function challenge(
  header: string | undefined,
  extra: Record<string, string> = {},
): Response {
  const headers: [string, string][] = Object.entries(extra);
  if (header !== undefined) headers.unshift(["WWW-Authenticate", header]);
  return new Response(401, { headers });
}

/** Challenge with `header` (and `extra`) until a request is authorised, then 200. */
function challengeOnce(
  header: string,
  extra?: Record<string, string>,
): (request: Request) => Response {
  return (r) =>
    r.headers.has("authorization")
      ? new Response(200)
      : challenge(header, extra);
}

/** {@linkcode send} for `GET url`. */
function get(
  auth: DigestAuth,
  handler: (request: Request) => Response | Promise<Response>,
  url = "https://example.org/",
): Promise<Exchange> {
  return send(auth, new Request("GET", url), handler);
}

/** The user that {@linkcode DigestServer} accepts by default. */
function userAuth(): DigestAuth {
  return new DigestAuth("user", "password123");
}

// ---------------------------------------------------------------------------
// Published vectors

const RFC7616_CHALLENGE = (algorithm: string) =>
  'Digest realm="http-auth@example.org", qop="auth, auth-int", ' +
  `algorithm=${algorithm}, ` +
  'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
  'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

for (
  const [algorithm, expected] of [
    ["MD5", "8ca523f5e9506fed4657c9700eebdbec"],
    [
      "SHA-256",
      "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    ],
  ]
) {
  Deno.test(`RFC 7616 §3.9.1 vector: ${algorithm}`, async () => {
    const auth = new FixedCnonceDigestAuth(
      "Mufasa",
      "Circle of Life",
      "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    );
    const exchange = await get(
      auth,
      challengeOnce(RFC7616_CHALLENGE(algorithm)),
      "https://www.example.com/dir/index.html",
    );
    assert.equal(exchange.sent.length, 2);
    assert.equal(exchange.sent[0], undefined);
    assert.deepEqual(fields(exchange.sent[1]), {
      username: "Mufasa",
      realm: "http-auth@example.org",
      nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
      uri: "/dir/index.html",
      response: expected,
      algorithm,
      opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
      qop: "auth",
      nc: "00000001",
      cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
    });
    assert.equal(exchange.response.statusCode, 200);
  });
}

Deno.test("RFC 2617 §3.5 vector (MD5, qop=auth)", async () => {
  const auth = new FixedCnonceDigestAuth(
    "Mufasa",
    "Circle Of Life",
    "0a4f113b",
  );
  const exchange = await get(
    auth,
    challengeOnce(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    ),
    "http://www.nowhere.org/dir/index.html",
  );
  const sent = fields(exchange.sent[1]);
  assert.equal(sent.response, "6629fae49393a05397450978507c4ef1");
  assert.equal(sent.nc, "00000001");
  assert.equal(sent.cnonce, "0a4f113b");
  assert.equal(sent.algorithm, "MD5");
});

Deno.test("RFC 2069 §2.4 vector (no qop; corrected by erratum 749)", async () => {
  const auth = new DigestAuth("Mufasa", "CircleOfLife");
  const exchange = await get(
    auth,
    challengeOnce(
      'Digest realm="testrealm@host.com", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    ),
    "https://www.example.com/dir/index.html",
  );
  assert.deepEqual(fields(exchange.sent[1]), {
    username: "Mufasa",
    realm: "testrealm@host.com",
    nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
    uri: "/dir/index.html",
    response: "1949323746fe6a43ef61f9606e7febea",
    algorithm: "MD5",
    opaque: "5ccc069c403ebaf9f0171e9517f40e41",
  });
});

Deno.test("RFC 7616 §3.9.2 example: SHA-512-256 with userhash and a UTF-8 user name", async () => {
  // The values printed in §3.9.2 were computed with SHA-512 truncated to 256
  // bits (its userhash 488869477b… and response ae66e67d… are exactly that),
  // not with SHA-512/256 (FIPS 180-4) that the algorithm names. These are
  // the SHA-512/256 values, computed independently with Python's hashlib.
  const auth = new FixedCnonceDigestAuth(
    "J\u00e4s\u00f8n Doe",
    "Secret, or not?",
    "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
  );
  const exchange = await get(
    auth,
    challengeOnce(
      'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, ' +
        'nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", ' +
        'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", ' +
        "charset=UTF-8, userhash=true",
    ),
    "https://api.example.org/doe.json",
  );
  assert.deepEqual(fields(exchange.sent[1]), {
    username:
      "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b",
    realm: "api@example.org",
    nonce: "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",
    uri: "/doe.json",
    response:
      "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5",
    algorithm: "SHA-512-256",
    opaque: "HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS",
    qop: "auth",
    nc: "00000001",
    cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v",
    userhash: "true",
  });
});

// ---------------------------------------------------------------------------
// A server that checks the digest itself (with node:crypto directly)

const NODE_HASH: Record<string, string> = {
  "MD5": "md5",
  "SHA": "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
  "SHA-512-256": "sha512-256",
};

interface ServerOptions {
  algorithm?: string;
  qop?: string;
  realm?: string;
  password?: string;
  /** How many 401s to send before accepting valid credentials. */
  challenges?: number;
  stale?: boolean;
}

class DigestServer {
  nonces: string[] = [];
  challengesSent = 0;
  accepted: Record<string, string>[] = [];
  #options: ServerOptions;
  constructor(options: ServerOptions = {}) {
    this.#options = options;
  }
  set challenges(count: number) {
    this.#options.challenges = count;
  }

  #challenge(): Response {
    this.challengesSent++;
    const nonce = crypto.randomUUID().replaceAll("-", "");
    this.nonces.push(nonce);
    const { algorithm = "SHA-256", qop = "auth", realm = "httpx@example.org" } =
      this.#options;
    const parts = [`Digest realm="${realm}"`, `nonce="${nonce}"`];
    if (qop !== "") parts.push(`qop="${qop}"`);
    parts.push(`opaque="${"o".repeat(64)}"`, `algorithm="${algorithm}"`);
    parts.push(`stale=${this.#options.stale ? "TRUE" : "FALSE"}`);
    return challenge(parts.join(", "));
  }

  handle = (request: Request): Response => {
    const header = request.headers.get("authorization");
    if (
      header === undefined ||
      this.challengesSent < (this.#options.challenges ?? 1)
    ) {
      return this.#challenge();
    }
    const f = fields(header);
    const algorithm = f.algorithm.toUpperCase();
    const name = NODE_HASH[algorithm.replace(/-SESS$/, "")];
    const H = (text: string | Uint8Array) =>
      createHash(name).update(text).digest("hex");
    const password = this.#options.password ?? "password123";
    let ha1 = H(`${f.username}:${f.realm}:${password}`);
    if (algorithm.endsWith("-SESS")) ha1 = H(`${ha1}:${f.nonce}:${f.cnonce}`);
    const a2 = f.qop === "auth-int"
      ? `${request.method}:${f.uri}:${H(request.content)}`
      : `${request.method}:${f.uri}`;
    const expected = f.qop
      ? H(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:${f.qop}:${H(a2)}`)
      : H(`${ha1}:${f.nonce}:${H(a2)}`);
    if (
      f.response !== expected || !this.nonces.includes(f.nonce) ||
      f.uri !== request.url.rawPath
    ) {
      return this.#challenge();
    }
    this.accepted.push(f);
    return new Response(200, { json: { auth: header } });
  };
}

for (
  const [algorithm, length] of [
    ["MD5", 32],
    ["MD5-SESS", 32],
    ["SHA", 40],
    ["SHA-SESS", 40],
    ["SHA-256", 64],
    ["SHA-256-SESS", 64],
    ["SHA-512", 128],
    ["SHA-512-SESS", 128],
    ["SHA-512-256", 64],
    ["SHA-512-256-sess", 64],
  ] as const
) {
  Deno.test(`full flow with ${algorithm}`, async () => {
    const exchange = await get(
      userAuth(),
      new DigestServer({ algorithm }).handle,
    );
    assert.equal(exchange.response.statusCode, 200);
    assert.equal(exchange.sent.length, 2);
    const sent = fields(exchange.sent[1]);
    assert.equal(sent.username, "user");
    assert.equal(sent.realm, "httpx@example.org");
    assert.equal(sent.uri, "/");
    assert.equal(sent.response.length, length);
    assert.equal(sent.opaque, "o".repeat(64));
    assert.equal(sent.algorithm, algorithm);
    assert.equal(sent.qop, "auth");
    assert.equal(sent.nc, "00000001");
    assert.match(sent.cnonce, /^[0-9a-f]{16}$/);
  });
}

Deno.test("the digest covers the path and query of the request", async () => {
  const server = new DigestServer();
  const exchange = await get(
    userAuth(),
    server.handle,
    "https://example.org/p/a%20th?q=1&r=%2F",
  );
  assert.equal(exchange.response.statusCode, 200);
  assert.equal(fields(exchange.sent[1]).uri, "/p/a%20th?q=1&r=%2F");
});

Deno.test("no qop in the challenge: RFC 2069 mode", async () => {
  const exchange = await get(userAuth(), new DigestServer({ qop: "" }).handle);
  assert.equal(exchange.response.statusCode, 200);
  const sent = fields(exchange.sent[1]);
  assert.equal("qop" in sent, false);
  assert.equal("nc" in sent, false);
  assert.equal("cnonce" in sent, false);
  assert.equal(sent.response.length, 64);
});

for (const qop of ["auth, auth-int", "auth,auth-int", "unknown,auth", "AUTH"]) {
  Deno.test(`qop list ${JSON.stringify(qop)} answers with auth`, async () => {
    const exchange = await get(userAuth(), new DigestServer({ qop }).handle);
    assert.equal(exchange.response.statusCode, 200);
    assert.equal(fields(exchange.sent[1]).qop, "auth");
  });
}

Deno.test("qop=auth-int hashes the request body", async () => {
  const server = new DigestServer({ qop: "auth-int" });
  const auth = userAuth();
  assert.equal(auth.requiresRequestBody, false);
  const exchange = await send(
    auth,
    new Request("POST", "https://example.org/upload", {
      content: (async function* () {
        yield new TextEncoder().encode("hello ");
        yield new TextEncoder().encode("world");
      })(),
    }),
    server.handle,
  );
  assert.equal(exchange.response.statusCode, 200);
  assert.equal(fields(exchange.sent[1]).qop, "auth-int");
  assert.equal(decoder.decode(exchange.requests[1].content), "hello world");
  // Later requests with this challenge need their body read up front.
  assert.equal(auth.requiresRequestBody, true);
  const second = await send(
    auth,
    new Request("PUT", "https://example.org/upload", { content: "again" }),
    server.handle,
  );
  assert.equal(second.sent.length, 1);
  assert.equal(second.response.statusCode, 200);
  assert.equal(server.accepted.length, 2);
});

Deno.test("an unsupported qop is a ProtocolError", async () => {
  const server = new DigestServer({ qop: "not-auth" });
  const request = new Request("GET", "https://example.org/");
  await assert.rejects(
    send(userAuth(), request, server.handle),
    (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(
        error.message,
        'Unexpected qop value "not-auth" in digest auth',
      );
      assert.equal(error.request, request);
      return true;
    },
  );
});

for (
  const [header, message] of [
    [
      'Digest realm="httpx@example.org", qop="auth"',
      "Malformed Digest WWW-Authenticate header: missing nonce",
    ],
    [
      'Digest realm="httpx@example.org", qop="auth,au',
      "Malformed Digest WWW-Authenticate header: unterminated quoted string",
    ],
    [
      'Digest nonce="n", algorithm=SHA3-512',
      "Malformed Digest WWW-Authenticate header: missing realm",
    ],
    [
      'Digest realm="r", nonce="n", algorithm=SHA3-512',
      'Unsupported Digest algorithm "SHA3-512"',
    ],
  ]
) {
  Deno.test(`malformed challenge: ${header}`, async () => {
    await assert.rejects(
      get(userAuth(), () => challenge(header)),
      (error: unknown) => {
        assert.ok(error instanceof ProtocolError);
        // HTTPX's text for a malformed challenge; the detail is the cause.
        const malformed = message.startsWith("Malformed");
        assert.equal(
          error.message,
          malformed ? "Malformed Digest WWW-Authenticate header" : message,
        );
        assert.equal((error.cause as Error).message, message);
        return true;
      },
    );
  });
}

Deno.test("a bare 'Digest' challenge is no challenge: the 401 is returned", async () => {
  // As HTTPX 0.28, which looks for "digest " followed by parameters.
  const { sent, response } = await get(userAuth(), () => challenge("Digest"));
  assert.equal(response.statusCode, 401);
  assert.equal(sent.length, 1);
});

Deno.test("responses that are not a Digest 401 are returned as they are", async () => {
  const cases: [string, Response][] = [
    ["200", new Response(200)],
    [
      "200 with a Digest challenge",
      new Response(200, {
        headers: {
          "WWW-Authenticate":
            'Digest realm="realm@host.com",qop="auth",nonce="abc",opaque="xyz"',
        },
      }),
    ],
    ["401 without WWW-Authenticate", new Response(401)],
    ["401 with another scheme", challenge("Token ...")],
    ["401 with Basic", challenge('Basic realm="x"')],
  ];
  for (const [label, response] of cases) {
    const exchange = await get(userAuth(), () => response);
    assert.equal(exchange.sent.length, 1, label);
    assert.equal(exchange.sent[0], undefined, label);
    assert.equal(exchange.response, response, label);
  }
});

Deno.test("a Digest challenge in a combined field value, after Basic", async () => {
  const exchange = await get(
    new DigestAuth("user", "pass"),
    challengeOnce('Basic realm="b", Digest realm="d", nonce="n", qop=auth'),
  );
  assert.equal(exchange.sent.length, 2);
  assert.equal(fields(exchange.sent[1]).realm, "d");
});

Deno.test("wrong credentials: the second 401 is returned after one retry", async () => {
  const exchange = await get(
    userAuth(),
    new DigestServer({ password: "other" }).handle,
  );
  assert.equal(exchange.response.statusCode, 401);
  assert.equal(exchange.sent.length, 2);
});

Deno.test("the challenge is reused: the next request needs no round trip", async () => {
  const server = new DigestServer();
  const auth = userAuth();
  const first = await get(auth, server.handle);
  const second = await get(auth, server.handle, "https://example.org/other");
  assert.equal(first.sent.length, 2);
  assert.equal(second.sent.length, 1);
  assert.equal(second.response.statusCode, 200);
  const [a, b] = [fields(first.sent[1]), fields(second.sent[0])];
  assert.equal(a.nonce, b.nonce);
  assert.equal(a.nc, "00000001");
  assert.equal(b.nc, "00000002");
  assert.notEqual(a.cnonce, b.cnonce);
  assert.equal(b.uri, "/other");
});

Deno.test("a new challenge resets the nonce count", async () => {
  const server = new DigestServer();
  const auth = userAuth();
  const first = await get(auth, server.handle);
  // Force a 401 for the next (pre-authorised) request.
  server.challenges = 2;
  const second = await get(auth, server.handle);
  assert.equal(second.response.statusCode, 200);
  assert.equal(second.sent.length, 2);
  assert.equal(fields(second.sent[0]).nc, "00000002");
  const [a, b] = [fields(first.sent[1]), fields(second.sent[1])];
  assert.notEqual(a.nonce, b.nonce);
  assert.equal(b.nc, "00000001");
});

Deno.test("stale=true: a rejected nonce is retried once more with the new one", async () => {
  const nonces: string[] = [];
  let answered = 0;
  const handler = (request: Request): Response => {
    answered++;
    const header = request.headers.get("authorization");
    // Accept only the fourth nonce; before that, say the nonce went stale.
    if (header !== undefined && fields(header).nonce === "n4") {
      return new Response(200);
    }
    const nonce = `n${nonces.length + 1}`;
    nonces.push(nonce);
    return challenge(
      `Digest realm="r", nonce="${nonce}", qop="auth"${
        header === undefined ? "" : ", stale=true"
      }`,
    );
  };
  const auth = new DigestAuth("user", "pass");
  // First request: unauthorised → n1, retry → stale n2, retry → stale n3: give up.
  const first = await get(auth, handler);
  assert.equal(first.response.statusCode, 401);
  assert.deepEqual(
    first.sent.map((h) => h && fields(h).nonce),
    [undefined, "n1", "n2"],
  );
  // Next request: pre-authorised with n3 → stale n4 → retry with n4 → 200.
  const second = await get(auth, handler);
  assert.equal(second.response.statusCode, 200);
  assert.deepEqual(second.sent.map((h) => h && fields(h).nonce), ["n3", "n4"]);
  assert.equal(answered, 5);
});

Deno.test("cookies set with the 401 go along with the retry", async () => {
  const seen: (string | undefined)[] = [];
  const answer = challengeOnce(
    'Digest realm="...", qop="auth", nonce="...", opaque="..."',
    { "Set-Cookie": "session=.session_value..." },
  );
  const exchange = await get(
    new DigestAuth("user", "pass"),
    (r) => {
      seen.push(r.headers.get("cookie"));
      return answer(r);
    },
    "https://www.example.com/auth",
  );
  assert.equal(exchange.response.statusCode, 200);
  assert.deepEqual(seen, [undefined, "session=.session_value..."]);
});

Deno.test("a user name outside ASCII is sent as username*", async () => {
  const exchange = await get(
    new DigestAuth("J\u00e4s\u00f8n", "pass"),
    challengeOnce('Digest realm="r", nonce="n", qop="auth"'),
  );
  const sent = fields(exchange.sent[1]);
  assert.equal(sent["username*"], "UTF-8''J%C3%A4s%C3%B8n");
  assert.equal("username" in sent, false);
});

Deno.test("quotes and backslashes in values are escaped", async () => {
  const exchange = await get(
    new DigestAuth('a"b', "pass"),
    challengeOnce('Digest realm="say \\"hi\\" \\\\ there", nonce="n"'),
  );
  const header = exchange.sent[1] ?? "";
  assert.ok(header.includes('username="a\\"b"'), header);
  assert.ok(header.includes('realm="say \\"hi\\" \\\\ there"'), header);
  assert.equal(fields(header).realm, 'say "hi" \\ there');
});

Deno.test("each Authorization header gets a fresh random cnonce", async () => {
  const server = new DigestServer();
  const auth = userAuth();
  const cnonces = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const exchange = await get(auth, server.handle);
    const last = exchange.sent.at(-1);
    cnonces.add(fields(last).cnonce);
  }
  assert.equal(cnonces.size, 5);
  assert.deepEqual(
    server.accepted.map((f) => f.nc),
    ["00000001", "00000002", "00000003", "00000004", "00000005"],
  );
});
