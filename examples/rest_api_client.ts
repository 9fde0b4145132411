/**
 * A REST API client class: one `Client` with the base URL, the token and
 * the timeout, and small methods that raise for error statuses and return
 * the JSON body.
 *
 * Seed: 002 "REST API 클라이언트 클래스 패턴" (`APIClient` over
 * `requests.Session`).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Seed 002's `APIClient`, on `httpx.Client`. */
export class APIClient implements AsyncDisposable {
  /** The underlying client (the seed's `session`). */
  readonly client: httpx.Client;

  /**
   * @param baseUrl The API root, such as `https://api.example.com`.
   * @param apiKey The bearer token.
   * @param transport Another transport (tests pass an `AppTransport`).
   */
  constructor(
    baseUrl: string,
    apiKey: string,
    transport?: httpx.BaseTransport,
  ) {
    this.client = new httpx.Client({
      transport: transport ?? null,
      // base_url.rstrip("/") + "/" + path.lstrip("/") is what baseUrl does.
      baseUrl,
      headers: {
        "Authorization": `Bearer ${apiKey}`,
        "Content-Type": "application/json",
      },
      timeout: 15,
    });
  }

  async #request(
    method: string,
    path: string,
    options: httpx.RequestOptions = {},
  ): Promise<unknown> {
    const response = await this.client.request(
      method,
      path.replace(/^\/+/, ""),
      options,
    );
    response.raiseForStatus();
    return response.content.length > 0 ? response.json() : null;
  }

  /** GET `path` with query parameters. */
  get(path: string, params?: httpx.QueryParamTypes): Promise<unknown> {
    return this.#request("GET", path, params ? { params } : {});
  }

  /** POST a JSON body. */
  post(path: string, data: unknown): Promise<unknown> {
    return this.#request("POST", path, { json: data });
  }

  /** PUT a JSON body. */
  put(path: string, data: unknown): Promise<unknown> {
    return this.#request("PUT", path, { json: data });
  }

  /** DELETE `path`. */
  delete(path: string): Promise<unknown> {
    return this.#request("DELETE", path);
  }

  /** `__exit__`: close the client. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.client.close();
  }
}

type Echo = {
  method: string;
  url: string;
  args: unknown;
  json: unknown;
  headers: Record<string, string>;
};

/** Use the class as the seed does. */
export async function main(baseUrl: string): Promise<void> {
  // with APIClient("https://api.example.com", api_key="abc123") as client:
  // (httpbin's /anything echoes every call, standing in for the API.)
  {
    await using client = new APIClient(`${baseUrl}/anything/api/`, "abc123");
    const users = await client.get("/users", { page: 1 }) as Echo;
    console.log("GET   ", new URL(users.url).pathname, users.args);
    console.log("       Authorization:", users.headers["Authorization"]);
    const newUser = await client.post("/users", { name: "Alice" }) as Echo;
    console.log("POST  ", newUser.method, newUser.json);
    const updated = await client.put("/users/1", { name: "Alicia" }) as Echo;
    console.log("PUT   ", new URL(updated.url).pathname, updated.json);
    const deleted = await client.delete("/users/1") as Echo;
    console.log("DELETE", deleted.method, new URL(deleted.url).pathname);
  }

  // Errors surface as HTTPStatusError; an empty body gives null.
  {
    await using client = new APIClient(`${baseUrl}/status/`, "abc123");
    console.log("204 ->", await client.get("204"));
    try {
      await client.get("404");
    } catch (error) {
      if (!(error instanceof httpx.HTTPStatusError)) throw error;
      console.log("404 ->", error.name, error.response.statusCode);
    }
  }
}

if (import.meta.main) await runExample(main);
