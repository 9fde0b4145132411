/**
 * Authentication: Basic (a `[user, password]` pair or `BasicAuth`),
 * Digest, bearer tokens and API keys, `.netrc`, and a custom `Auth`
 * subclass whose flow refreshes an expired token.
 *
 * Seeds: 000 "Authentication", 001 "Basic and Digest HTTP authentication",
 * 002 "인증 패턴", 003 "Customizing authentication", 004 "Basic Usage:
 * Comparing with requests".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Authenticate in each of the ways the seeds show. */
export async function main(baseUrl: string): Promise<void> {
  // httpx.get("https://example.com", auth=("my_user", "password123"))
  let r = await httpx.get(`${baseUrl}/basic-auth/my_user/password123`, {
    auth: ["my_user", "password123"],
  });
  console.log("basic (pair):", r, r.json());

  // HTTPBasicAuth("user", "pass") in requests is httpx.BasicAuth.
  r = await httpx.get(`${baseUrl}/basic-auth/user/pass`, {
    auth: new httpx.BasicAuth("user", "pass"),
  });
  console.log("basic (BasicAuth):", r.statusCode);

  // Seed 004 compares requests and httpx on an endpoint that needs auth:
  // here with the wrong password, so the answer is a 401.
  r = await httpx.get(`${baseUrl}/basic-auth/user/pass`, {
    auth: ["user", "wrong"],
  });
  console.log(
    "wrong password:",
    r.statusCode,
    r.headers.get("www-authenticate"),
  );
  console.log("content:", r.content, "encoding:", r.encoding);

  // auth = httpx.DigestAuth("my_user", "password123")
  const digest = new httpx.DigestAuth("my_user", "password123");
  r = await httpx.get(`${baseUrl}/digest-auth/auth/my_user/password123`, {
    auth: digest,
  });
  console.log("digest:", r, r.json());
  // The first answer was the 401 challenge; the retry carried the digest.
  console.log(
    "  history:",
    r.history,
    "scheme sent:",
    r.request.headers.get("authorization")?.split(" ")[0],
  );

  // Other algorithms and qop=auth-int.
  for (
    const path of [
      "auth/my_user/password123/SHA-256",
      "auth-int/my_user/password123/MD5",
    ]
  ) {
    r = await httpx.post(`${baseUrl}/digest-auth/${path}`, {
      auth: digest,
      content: "body covered by auth-int",
    });
    console.log(
      `digest ${path.split("/")[0]} ${path.split("/")[3]}:`,
      r.statusCode,
    );
  }

  // Bearer token (JWT): just a header.
  const accessToken = "eyJhbGciOiJIUzI1NiJ9.e30.token";
  r = await httpx.get(`${baseUrl}/anything/me`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  console.log(
    "bearer:",
    r.json<{ headers: Record<string, string> }>().headers["Authorization"],
  );

  // API key, in a header or in the query.
  r = await httpx.get(`${baseUrl}/anything/resource`, {
    headers: { "X-API-Key": "my_api_key" },
  });
  console.log(
    "api key header:",
    r.json<{ headers: Record<string, string> }>().headers["X-Api-Key"],
  );
  r = await httpx.get(`${baseUrl}/anything/resource`, {
    params: { api_key: "my_api_key" },
  });
  console.log("api key param:", r.json<{ args: unknown }>().args);

  // A function works as auth too: it gets the request and returns it.
  r = await httpx.get(`${baseUrl}/headers`, {
    auth: (request) => {
      request.headers.set("X-Signed", "yes");
      return request;
    },
  });
  console.log(
    "function auth:",
    r.json<{ headers: Record<string, string> }>().headers["X-Signed"],
  );

  // .netrc: credentials by host from a netrc file.
  const netrc = await Deno.makeTempFile();
  try {
    const host = new URL(baseUrl).hostname;
    await Deno.writeTextFile(
      netrc,
      `machine ${host}\nlogin netrc_user\npassword netrc_pass\n`,
    );
    r = await httpx.get(`${baseUrl}/basic-auth/netrc_user/netrc_pass`, {
      auth: new httpx.NetRCAuth(netrc),
    });
    console.log("netrc:", r.statusCode, r.json());
  } finally {
    await Deno.remove(netrc);
  }

  // A custom scheme: an Auth subclass whose flow sends the request with
  // the current token and, on a 401, fetches a new token and tries again.
  // (Seed 002 uses requests-oauthlib for this; here the token endpoint
  // and the API are a small app called in process.)
  await refreshingTokenDemo();
}

/** Bearer auth that refreshes its token when the server says 401. */
class RefreshingTokenAuth extends httpx.Auth {
  #token: string;
  #refresh: () => Promise<string>;
  constructor(token: string, refresh: () => Promise<string>) {
    super();
    this.#token = token;
    this.#refresh = refresh;
  }
  override async *authFlow(
    request: httpx.Request,
  ): AsyncGenerator<httpx.Request, void, httpx.Response> {
    request.headers.set("Authorization", `Bearer ${this.#token}`);
    const response = yield request;
    if (response.statusCode === 401) {
      this.#token = await this.#refresh();
      request.headers.set("Authorization", `Bearer ${this.#token}`);
      yield request;
    }
  }
}

async function refreshingTokenDemo(): Promise<void> {
  let issued = 0;
  const api = (request: Request): Response => {
    const url = new URL(request.url);
    if (url.pathname === "/token") {
      return Response.json({ access_token: `token-${++issued}` });
    }
    const current = `Bearer token-${issued}`;
    if (issued === 0 || request.headers.get("authorization") !== current) {
      return new Response(null, { status: 401 });
    }
    return Response.json({ resource: "secret data" });
  };
  await using client = new httpx.Client({
    baseUrl: "http://api.test",
    transport: new httpx.AppTransport(api),
  });
  const auth = new RefreshingTokenAuth("expired", async () => {
    const response = await client.post("/token", { auth: null });
    return response.json<{ access_token: string }>().access_token;
  });
  client.auth = auth;
  let r = await client.get("/resource");
  console.log(
    "custom auth:",
    r.statusCode,
    r.json(),
    "after",
    r.history.length,
    "401",
  );
  r = await client.get("/resource");
  console.log(
    "custom auth again:",
    r.statusCode,
    "after",
    r.history.length,
    "401",
  );
}

if (import.meta.main) await runExample(main);
