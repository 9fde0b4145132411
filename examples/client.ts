/**
 * The `Client`: a connection pool plus configuration shared by every
 * request (headers, params, cookies, auth, timeouts, `baseUrl`), and how
 * request options merge with it.
 *
 * Seeds: 001 "Advanced usage", 002 "Session — 연결 재사용 + 공통 설정",
 * 003 "Client instances", 004 "Advanced Usage: Using the Client object".
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

type Echo = { headers: Record<string, string>; args: unknown };

/** Share configuration across requests with a client. */
export async function main(baseUrl: string): Promise<void> {
  // with httpx.Client() as client: r = client.get('https://example.com')
  {
    await using client = new httpx.Client();
    const r = await client.get(`${baseUrl}/get`);
    console.log(r);
  } // the client and its connections are closed here

  // Or close it explicitly.
  const client = new httpx.Client();
  try {
    const r = await client.get(`${baseUrl}/get`);
    console.log("explicit close:", r.statusCode);
  } finally {
    await client.close();
  }
  console.log("isClosed:", client.isClosed);
  try {
    await client.get(`${baseUrl}/get`);
  } catch (error) {
    console.log("after close:", (error as Error).message);
  }

  // Request options as with httpx.get(): custom headers for one request.
  {
    await using client = new httpx.Client();
    const r = await client.get(`${baseUrl}/get`, {
      headers: { "X-Custom": "value" },
    });
    console.log(
      "r.request.headers['X-Custom']:",
      r.request.headers.get("X-Custom"),
    );
  }

  // Sharing configuration: headers on every request.
  {
    await using client = new httpx.Client({
      headers: { "user-agent": "my-app/0.0.1" },
    });
    const r = await client.get(`${baseUrl}/headers`);
    console.log("User-Agent:", r.json<Echo>().headers["User-Agent"]);
  }

  // Merging: headers, params and cookies combine (the request wins per
  // key)…
  {
    await using client = new httpx.Client({
      headers: { "X-Auth": "from-client" },
      params: { client_id: "client1" },
    });
    const r = await client.get(`${baseUrl}/get`, {
      headers: { "X-Custom": "from-request" },
      params: { request_id: "request1" },
    });
    console.log(r.request.url);
    console.log("X-Auth:", r.request.headers.get("X-Auth"));
    console.log("X-Custom:", r.request.headers.get("X-Custom"));
  }

  // …every other option given on the request replaces the client's.
  {
    await using client = new httpx.Client({ auth: ["tom", "mot123"] });
    const r = await client.get(`${baseUrl}/get`, {
      auth: ["alice", "ecila123"],
    });
    const [, credentials] = r.request.headers.get("Authorization")!.split(" ");
    console.log("decoded:", atob(credentials));
  }

  // base_url: relative URLs are joined to it.
  {
    await using client = new httpx.Client({ baseUrl });
    const r = await client.get("/headers");
    console.log(r.request.url);
    const nested = new httpx.Client({ baseUrl: `${baseUrl}/anything/api/v1` });
    const n = await nested.get("users", { params: { page: 1 } });
    console.log(n.request.url);
    await nested.close();
  }

  // A Session in requests is a Client here: update its headers in place,
  // and it keeps cookies between requests (seed 002).
  {
    await using session = new httpx.Client({ baseUrl });
    session.headers.update({
      "Authorization": "Bearer my_token",
      "Accept": "application/json",
    });
    const r1 = await session.get("/anything/users");
    const r2 = await session.get("/anything/products");
    console.log(
      "session:",
      r1.json<Echo>().headers["Accept"],
      r2.json<Echo>().headers["Authorization"] === "Bearer my_token",
    );
    await session.get("/cookies/set/session_id/abc123");
    const r3 = await session.get("/cookies");
    console.log("cookies kept:", r3.json());
  }

  // Client options with no request-level equivalent.
  {
    await using client = new httpx.Client({
      timeout: 10,
      followRedirects: true,
      maxRedirects: 5,
      params: { lang: "en" },
    });
    const r = await client.get(`${baseUrl}/redirect/1`);
    console.log("followRedirects:", r.url.path, r.history.length, "hop");
    console.log("client.params:", client.params.toString());
    console.log("client.timeout.read:", client.timeout.read);
  }
}

if (import.meta.main) await runExample(main);
