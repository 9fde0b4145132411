/**
 * The Deno side of the differential suite: runs each scenario of
 * `scenarios.json` through our `Client` and normalises the results exactly
 * as `runner.py` does for Python HTTPX (keep the two in step).
 *
 * @module
 */

import * as httpx from "../../../mod.ts";

/** One request of a scenario, as `scenarios.json` spells it. */
export interface RequestSpec {
  method: string;
  path: string;
  params?: Record<string, string | string[]> | Array<[string, string]>;
  headers?: Record<string, string> | Array<[string, string]>;
  cookies?: Record<string, string>;
  data?: Record<string, string | string[]>;
  files?: Record<string, [string, string, string | null]>;
  json?: unknown;
  content?: string;
  auth?: AuthSpec;
  follow_redirects?: boolean;
}

/** `{ basic: [user, pass] }` or `{ digest: [user, pass] }`. */
export interface AuthSpec {
  basic?: [string, string];
  digest?: [string, string];
}

/** A scenario: one request, or client options and several requests. */
export interface Scenario extends Partial<RequestSpec> {
  name: string;
  client?: {
    headers?: Record<string, string>;
    params?: Record<string, string>;
    cookies?: Record<string, string>;
    max_redirects?: number;
    auth?: AuthSpec;
  };
  requests?: RequestSpec[];
}

/** A normalised result, or the name of the error raised. */
export type Result = Record<string, unknown>;

const VOLATILE_BODY_KEYS = new Set(["origin"]);
/** httpbin's digest endpoints set the last (random) nonce as a cookie. */
const VOLATILE_COOKIES = new Set(["last_nonce"]);
const BOUNDARY = /boundary=[0-9A-Za-z'()+_,./:=?-]+/g;
const KEPT_RESPONSE_HEADERS = [
  "content-type",
  "content-encoding",
  "location",
  "allow",
];

function cleanString(value: string, base: string): string {
  return value.replaceAll(base, "{base}").replace(
    BOUNDARY,
    "boundary=<boundary>",
  );
}

function cleanJson(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => cleanJson(item, base));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!VOLATILE_BODY_KEYS.has(key)) out[key] = cleanJson(item, base);
    }
    return out;
  }
  if (typeof value === "string") return cleanString(value, base);
  return value;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

function tryJson(bytes: Uint8Array): { ok: true; value: unknown } | {
  ok: false;
} {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

async function describeBody(
  response: httpx.Response,
  base: string,
): Promise<Result> {
  const content = response.content;
  const media = (response.headers.get("content-type") ?? "").split(";")[0]
    .trim();
  if (media === "application/json") {
    const whole = tryJson(content);
    if (whole.ok) return { json: cleanJson(whole.value, base) };
    const text = new TextDecoder().decode(content);
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    try {
      return { lines: lines.map((line) => cleanJson(JSON.parse(line), base)) };
    } catch {
      // fall through to the digest
    }
  }
  const body: Result = {
    sha256: await sha256(content),
    length: content.length,
  };
  if (media.startsWith("text/")) {
    body.text_sha256 = await sha256(new TextEncoder().encode(response.text));
  }
  return body;
}

async function describe(
  response: httpx.Response,
  client: httpx.Client,
  base: string,
): Promise<Result> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== undefined && value !== null) {
      headers[name] = cleanString(value, base);
    }
  }
  for (const [name, value] of response.headers) {
    if (name.toLowerCase().startsWith("x-test-")) {
      headers[name.toLowerCase()] = value;
    }
  }
  const cookies: Record<string, string> = {};
  for (
    const [name, value] of [...client.cookies].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    )
  ) {
    cookies[name] = VOLATILE_COOKIES.has(name) ? "<volatile>" : value;
  }
  return {
    status: response.statusCode,
    reason: response.reasonPhrase,
    http_version: response.httpVersion,
    method: response.request.method,
    url: cleanString(response.url.toString(), base),
    history: response.history.map((
      item,
    ) => [item.statusCode, cleanString(item.url.toString(), base)]),
    headers,
    cookies,
    body: await describeBody(response, base),
  };
}

function buildAuth(spec: AuthSpec | undefined): httpx.Auth | undefined {
  if (spec === undefined) return undefined;
  if (spec.basic) return new httpx.BasicAuth(...spec.basic);
  if (spec.digest) return new httpx.DigestAuth(...spec.digest);
  throw new Error(`Unknown auth ${JSON.stringify(spec)}`);
}

function buildFiles(
  spec: Record<string, [string, string, string | null]>,
): httpx.RequestFiles {
  const files: Record<string, httpx.FileValue> = {};
  for (const [field, [filename, text, contentType]] of Object.entries(spec)) {
    const data = new TextEncoder().encode(text);
    files[field] = contentType === null
      ? [filename, data]
      : [filename, data, contentType];
  }
  return files;
}

async function runRequest(
  client: httpx.Client,
  spec: RequestSpec,
): Promise<httpx.Response> {
  const options: httpx.RequestOptions = {};
  if (spec.params !== undefined) options.params = spec.params;
  if (spec.headers !== undefined) options.headers = spec.headers;
  if (spec.cookies !== undefined) options.cookies = spec.cookies;
  if (spec.data !== undefined) options.data = spec.data;
  if (spec.files !== undefined) options.files = buildFiles(spec.files);
  if (spec.json !== undefined) options.json = spec.json;
  if (spec.content !== undefined) {
    options.content = new TextEncoder().encode(spec.content);
  }
  if (spec.auth !== undefined) options.auth = buildAuth(spec.auth);
  if (spec.follow_redirects !== undefined) {
    options.followRedirects = spec.follow_redirects;
  }
  return await client.request(spec.method, spec.path, options);
}

/** Run one scenario on a fresh client; errors are recorded by class name. */
export async function runScenario(
  scenario: Scenario,
  base: string,
): Promise<Result[]> {
  const options = scenario.client ?? {};
  const clientOptions: httpx.ClientOptions = { baseUrl: base };
  if (options.headers) clientOptions.headers = options.headers;
  if (options.params) clientOptions.params = options.params;
  if (options.cookies) clientOptions.cookies = options.cookies;
  if (options.max_redirects !== undefined) {
    clientOptions.maxRedirects = options.max_redirects;
  }
  if (options.auth) clientOptions.auth = buildAuth(options.auth);
  const requests = scenario.requests ?? [scenario as RequestSpec];
  const results: Result[] = [];
  await using client = new httpx.Client(clientOptions);
  for (const spec of requests) {
    let response: httpx.Response;
    try {
      response = await runRequest(client, spec);
    } catch (error) {
      results.push({
        error: error instanceof Error ? error.name : String(error),
        message: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    results.push(await describe(response, client, base));
  }
  return results;
}
