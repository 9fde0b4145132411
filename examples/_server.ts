/**
 * An httpbin-like test application: a web fetch handler (`Deno.serve`'s
 * handler signature) answering with httpbin's JSON shapes, and a helper that
 * serves it on a local port. Used by examples, tests and benchmarks.
 *
 * @module
 */

/** What `Deno.serve` passes next to the request; only the peer address is read. */
export interface AppInfo {
  /** The client's address, shown as `origin`. */
  remoteAddr?: { hostname: string };
}

type Json =
  | string
  | number
  | boolean
  | null
  | Json[]
  | { [key: string]: Json };

const encoder = new TextEncoder();
const MAX_BYTES = 100 * 1024;
const MAX_DELAY_SECONDS = 10;
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mP4n8IARwzEcQBRIhYxRrSWogAAAABJRU5ErkJggg==";

// ---------------------------------------------------------------------------
// Small helpers

function jsonResponse(
  body: Json,
  init: { status?: number; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body, null, 2) + "\n", {
    status: init.status ?? 200,
    headers,
  });
}

function textResponse(
  body: string,
  contentType: string,
  status = 200,
): Response {
  return new Response(body, {
    status,
    headers: { "content-type": contentType },
  });
}

function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { location } });
}

function titleCase(name: string): string {
  return name.split("-").map((part) =>
    part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()
  ).join("-");
}

function headersOf(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const key = titleCase(name);
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  if (!("Host" in out)) out.Host = new globalThis.URL(request.url).host;
  return out;
}

function multiDict(pairs: Iterable<[string, string]>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, value] of pairs) {
    const previous = out[key];
    if (previous === undefined) out[key] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else out[key] = [previous, value];
  }
  return out;
}

function originOf(request: Request, info?: AppInfo): string {
  const forwarded = request.headers.get("x-forwarded-for");
  if (forwarded) return forwarded.split(",")[0].trim();
  return info?.remoteAddr?.hostname ?? "127.0.0.1";
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return btoa(binary);
}

function bytesAsText(bytes: Uint8Array, contentType: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return `data:${contentType};base64,${base64(bytes)}`;
  }
}

/** The httpbin fields every echo route shares. */
function baseFields(request: Request, info?: AppInfo): Record<string, Json> {
  const url = new globalThis.URL(request.url);
  return {
    args: multiDict(url.searchParams),
    headers: headersOf(request),
    origin: originOf(request, info),
    url: request.url,
  };
}

/** `data`, `files`, `form` and `json` from the request body. */
async function bodyFields(request: Request): Promise<Record<string, Json>> {
  const result: Record<string, Json> = {
    data: "",
    files: {},
    form: {},
    json: null,
  };
  if (request.body === null) return result;
  const contentType = (request.headers.get("content-type") ?? "")
    .toLowerCase();
  if (contentType.startsWith("multipart/form-data")) {
    const form = await request.formData();
    const fields: Array<[string, string]> = [];
    const files: Array<[string, string]> = [];
    for (const [name, value] of form) {
      if (typeof value === "string") fields.push([name, value]);
      else {
        const bytes = new Uint8Array(await value.arrayBuffer());
        files.push([
          name,
          bytesAsText(bytes, value.type || "application/octet-stream"),
        ]);
      }
    }
    result.form = multiDict(fields);
    result.files = multiDict(files);
    return result;
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    result.form = multiDict(
      new URLSearchParams(new TextDecoder().decode(bytes)),
    );
    return result;
  }
  result.data = bytesAsText(bytes, "application/octet-stream");
  try {
    result.json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    result.json = null;
  }
  return result;
}

function sleep(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || seconds <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    signal.addEventListener("abort", done, { once: true });
  });
}

function seededRandom(seed: number | null): (bytes: Uint8Array) => void {
  if (seed === null) {
    return (bytes) => {
      for (let i = 0; i < bytes.length; i += 65536) {
        crypto.getRandomValues(bytes.subarray(i, i + 65536));
      }
    };
  }
  let state = seed >>> 0;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      // mulberry32
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
  };
}

function intParam(value: string | undefined | null, fallback: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

function parseCookies(header: string | null): Record<string, Json> {
  const cookies: Record<string, Json> = {};
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

function etagList(header: string): string[] {
  return header.split(",").map((tag) =>
    tag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1")
  );
}

// ---------------------------------------------------------------------------
// Authentication

function unauthorizedBasic(hidden: boolean): Response {
  if (hidden) return jsonResponse({ authenticated: false }, { status: 404 });
  return new Response(null, {
    status: 401,
    headers: { "www-authenticate": 'Basic realm="Fake Realm"' },
  });
}

function checkBasic(request: Request, user: string, passwd: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return false;
  try {
    const bytes = Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes) === `${user}:${passwd}`;
  } catch {
    return false;
  }
}

type HashFn = (text: string | Uint8Array) => string;
let createHash:
  | ((algorithm: string) => {
    update(data: string | Uint8Array): { digest(encoding: "hex"): string };
  })
  | undefined;

async function hashFunction(algorithm: string): Promise<HashFn | undefined> {
  const names: Record<string, string> = {
    "MD5": "md5",
    "SHA-256": "sha256",
    "SHA-512": "sha512",
    "SHA-512-256": "sha512-256",
  };
  const name = names[algorithm.toUpperCase().replace(/-SESS$/, "")];
  if (name === undefined) return undefined;
  if (createHash === undefined) {
    createHash = (await import("node:crypto")).createHash;
  }
  const create = createHash;
  return (text) => create(name).update(text).digest("hex");
}

function parseDigestHeader(header: string): Record<string, string> | null {
  const match = /^Digest\s+(.*)$/is.exec(header);
  if (!match) return null;
  const fields: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const part of match[1].matchAll(re)) {
    fields[part[1].toLowerCase()] = part[2] !== undefined
      ? part[2].replace(/\\(.)/g, "$1")
      : part[3];
  }
  return fields;
}

/** Nonces handed out, with how many times each was used. */
const digestNonces = new Map<string, number>();

function digestChallenge(
  qop: string | null,
  algorithm: string,
  stale: boolean,
): Response {
  const nonce = crypto.randomUUID().replaceAll("-", "");
  if (digestNonces.size > 1000) digestNonces.clear();
  digestNonces.set(nonce, 0);
  const opaque = crypto.randomUUID().replaceAll("-", "");
  const parts = [
    `realm="me@kennethreitz.com"`,
    `nonce="${nonce}"`,
    ...(qop ? [`qop="${qop}"`] : []),
    `opaque="${opaque}"`,
    `algorithm=${algorithm}`,
    `stale=${stale ? "TRUE" : "FALSE"}`,
  ];
  return new Response(null, {
    status: 401,
    headers: { "www-authenticate": `Digest ${parts.join(", ")}` },
  });
}

async function digestAuth(
  request: Request,
  qopParam: string,
  user: string,
  passwd: string,
  algorithmParam = "MD5",
  staleAfter = "never",
): Promise<Response> {
  const algorithm = algorithmParam.toUpperCase();
  const hash = await hashFunction(algorithm);
  if (hash === undefined) {
    return textResponse(
      `Unsupported algorithm ${algorithm}\n`,
      "text/plain",
      400,
    );
  }
  const qop = qopParam === "auth" || qopParam === "auth-int" ? qopParam : null;
  const fields = parseDigestHeader(request.headers.get("authorization") ?? "");
  if (fields === null) return digestChallenge(qop, algorithm, false);
  const uses = digestNonces.get(fields.nonce ?? "");
  if (uses === undefined) return digestChallenge(qop, algorithm, true);
  const limit = staleAfter === "never"
    ? Infinity
    : intParam(staleAfter, Infinity);
  if (uses >= limit) {
    digestNonces.delete(fields.nonce);
    return digestChallenge(qop, algorithm, true);
  }
  digestNonces.set(fields.nonce, uses + 1);
  const url = new globalThis.URL(request.url);
  const body = new Uint8Array(await request.arrayBuffer());
  let ha1 = hash(`${user}:${fields.realm}:${passwd}`);
  if (algorithm.endsWith("-SESS")) {
    ha1 = hash(`${ha1}:${fields.nonce}:${fields.cnonce}`);
  }
  const givenQop = fields.qop ?? null;
  const ha2 = givenQop === "auth-int"
    ? hash(`${request.method}:${fields.uri}:${hash(body)}`)
    : hash(`${request.method}:${fields.uri}`);
  const expected = givenQop
    ? hash(
      `${ha1}:${fields.nonce}:${fields.nc}:${fields.cnonce}:${givenQop}:${ha2}`,
    )
    : hash(`${ha1}:${fields.nonce}:${ha2}`);
  const ok = fields.username === user &&
    fields.response === expected &&
    (fields.uri === url.pathname + url.search ||
      fields.uri === request.url) &&
    (qop === null || givenQop === qop);
  if (!ok) return digestChallenge(qop, algorithm, false);
  return jsonResponse({ authenticated: true, user });
}

// ---------------------------------------------------------------------------
// Streaming bodies

function streamOf(
  chunks: () => Generator<Uint8Array>,
): ReadableStream<Uint8Array> {
  let iterator: Generator<Uint8Array> | undefined;
  return new ReadableStream({
    pull(controller) {
      iterator ??= chunks();
      const next = iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel() {
      iterator?.return(undefined);
    },
  });
}

function drip(
  numbytes: number,
  interval: number,
  initialDelay: number,
): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sent = 0;
  let first = true;
  return new ReadableStream({
    pull(controller) {
      if (sent >= numbytes) {
        controller.close();
        return;
      }
      const wait = first ? initialDelay : interval;
      first = false;
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          timer = undefined;
          controller.enqueue(encoder.encode("*"));
          sent++;
          resolve();
        }, wait * 1000);
      });
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
    },
  }, { highWaterMark: 0 });
}

async function compress(
  bytes: Uint8Array,
  format: "gzip" | "deflate",
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
    new CompressionStream(format),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// ---------------------------------------------------------------------------
// Static documents (our own sample content)

const HTML_PAGE = `<!DOCTYPE html>
<html>
  <head><title>Sample page</title></head>
  <body>
    <h1>A sample HTML page</h1>
    <p>This document is served by the test application so that clients have
    some HTML to download. It has a heading, a paragraph and a list.</p>
    <ul><li>one</li><li>two</li><li>three</li></ul>
  </body>
</html>
`;

const UTF8_PAGE = `<!DOCTYPE html>
<html>
  <head><meta charset="utf-8"><title>UTF-8 sample</title></head>
  <body>
    <h1>Unicode sample ✓</h1>
    <p>Deutsch: Größe, Übermaß, Straße.</p>
    <p>Français : déjà vu, garçon, œuvre.</p>
    <p>Ελληνικά: καλημέρα κόσμε.</p>
    <p>Русский: съешь же ещё этих булок.</p>
    <p>日本語: いろはにほへと。中文: 你好，世界。</p>
    <p>Symbols: € £ ¥ → ∑ ∞ ☃ 🙂</p>
  </body>
</html>
`;

const XML_DOC = `<?xml version="1.0" encoding="utf-8"?>
<catalog title="Sample catalog">
  <book id="1">
    <title>First sample</title>
    <pages>120</pages>
  </book>
  <book id="2">
    <title>Second sample</title>
    <pages>240</pages>
  </book>
</catalog>
`;

const JSON_DOC: Json = {
  slideshow: {
    author: "Test Application",
    date: "2024-01-01",
    title: "Sample Slide Show",
    slides: [
      { title: "Introduction", type: "all" },
      { title: "Details", type: "all", items: ["First point", "Second point"] },
    ],
  },
};

// ---------------------------------------------------------------------------
// Routing

type Handler = (
  request: Request,
  params: string[],
  info?: AppInfo,
) => Response | Promise<Response>;

interface Route {
  pattern: RegExp;
  methods?: string[];
  handler: Handler;
}

async function echo(
  request: Request,
  info: AppInfo | undefined,
  withMethod: boolean,
): Promise<Response> {
  const fields = baseFields(request, info);
  const body = await bodyFields(request);
  const out: Record<string, Json> = {
    args: fields.args,
    data: body.data,
    files: body.files,
    form: body.form,
    headers: fields.headers,
    json: body.json,
  };
  if (withMethod) out.method = request.method;
  out.origin = fields.origin;
  out.url = fields.url;
  return jsonResponse(out);
}

function statusResponse(code: number): Response {
  if (code >= 300 && code < 400 && code !== 304) {
    return redirect("/redirect/1", code);
  }
  if (code === 401) {
    return new Response(null, {
      status: 401,
      headers: { "www-authenticate": 'Basic realm="Fake Realm"' },
    });
  }
  if (code === 407) {
    return new Response(null, {
      status: 407,
      headers: { "proxy-authenticate": 'Basic realm="Fake Realm"' },
    });
  }
  if (code === 418) return textResponse("I'm a teapot\n", "text/plain", 418);
  const empty = code === 204 || code === 205 || code === 304 || code < 200;
  return new Response(empty ? null : "", { status: code });
}

function pickStatus(spec: string): number | null {
  const choices: Array<[number, number]> = [];
  for (const item of spec.split(",")) {
    const [code, weight] = item.split(":");
    const value = Number(code);
    if (!Number.isInteger(value) || value < 100 || value > 599) return null;
    choices.push([value, weight === undefined ? 1 : Number(weight)]);
  }
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let pick = Math.random() * total;
  for (const [code, weight] of choices) {
    if ((pick -= weight) < 0) return code;
  }
  return choices[choices.length - 1][0];
}

function redirectChain(
  request: Request,
  n: number,
  absolute: boolean,
): Response {
  const origin = new globalThis.URL(request.url).origin;
  const prefix = absolute ? origin : "";
  if (!Number.isInteger(n) || n < 1) {
    return textResponse("Invalid n\n", "text/plain", 400);
  }
  if (n === 1) return redirect(`${prefix}/get`);
  return redirect(
    `${prefix}/${absolute ? "absolute" : "relative"}-redirect/${n - 1}`,
  );
}

function rangeResponse(request: Request, n: number): Response {
  if (!Number.isInteger(n) || n < 0 || n > MAX_BYTES) {
    return textResponse(
      "number of bytes must be in the range (0, 102400]\n",
      "text/plain",
      404,
    );
  }
  const all = new Uint8Array(n);
  for (let i = 0; i < n; i++) all[i] = 97 + (i % 26);
  const headers: Record<string, string> = {
    "accept-ranges": "bytes",
    "etag": `range${n}`,
    "content-type": "application/octet-stream",
  };
  const range = request.headers.get("range");
  const match = range ? /^bytes=(\d*)-(\d*)$/.exec(range.trim()) : null;
  if (range === null) return new Response(all, { headers });
  let start: number;
  let end: number;
  if (match === null || (match[1] === "" && match[2] === "")) {
    start = NaN;
    end = NaN;
  } else if (match[1] === "") {
    start = Math.max(0, n - Number(match[2]));
    end = n - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? n - 1 : Math.min(Number(match[2]), n - 1);
  }
  if (!(start <= end) || start >= n) {
    return new Response(null, {
      status: 416,
      headers: { ...headers, "content-range": `bytes */${n}` },
    });
  }
  return new Response(all.slice(start, end + 1), {
    status: 206,
    headers: { ...headers, "content-range": `bytes ${start}-${end}/${n}` },
  });
}

function linksPage(n: number, offset: number): Response {
  const count = Math.min(Math.max(n, 1), 200);
  const links: string[] = [];
  for (let i = 0; i < count; i++) {
    links.push(
      i === offset ? `${i}` : `<a href='/links/${count}/${i}'>${i}</a>`,
    );
  }
  return textResponse(
    `<html><head><title>Links</title></head><body>${
      links.join(" ")
    }</body></html>`,
    "text/html; charset=utf-8",
  );
}

const ROUTES: Route[] = [
  {
    pattern: /^\/get$/,
    methods: ["GET", "HEAD", "OPTIONS"],
    handler: (request, _, info) => jsonResponse(baseFields(request, info)),
  },
  ...["post", "put", "patch", "delete"].map((method): Route => ({
    pattern: new RegExp(`^/${method}$`),
    methods: [method.toUpperCase()],
    handler: (request, _, info) => echo(request, info, false),
  })),
  {
    pattern: /^\/anything(?:\/.*)?$/,
    handler: (request, _, info) => echo(request, info, true),
  },
  {
    pattern: /^\/headers$/,
    handler: (request) => jsonResponse({ headers: headersOf(request) }),
  },
  {
    pattern: /^\/ip$/,
    handler: (request, _, info) =>
      jsonResponse({ origin: originOf(request, info) }),
  },
  {
    pattern: /^\/user-agent$/,
    handler: (request) =>
      jsonResponse({ "user-agent": request.headers.get("user-agent") }),
  },
  {
    pattern: /^\/status\/([^/]+)$/,
    handler: (_, [spec]) => {
      const code = pickStatus(spec);
      return code === null
        ? textResponse("Invalid status code\n", "text/plain", 400)
        : statusResponse(code);
    },
  },
  {
    pattern: /^\/redirect\/(\d+)$/,
    handler: (request, [n]) => {
      const absolute =
        new globalThis.URL(request.url).searchParams.get("absolute")
          ?.toLowerCase() === "true";
      return redirectChain(request, Number(n), absolute);
    },
  },
  {
    pattern: /^\/relative-redirect\/(\d+)$/,
    handler: (request, [n]) => redirectChain(request, Number(n), false),
  },
  {
    pattern: /^\/absolute-redirect\/(\d+)$/,
    handler: (request, [n]) => redirectChain(request, Number(n), true),
  },
  {
    pattern: /^\/redirect-to$/,
    handler: async (request) => {
      const params = new globalThis.URL(request.url).searchParams;
      let target = params.get("url");
      let status = params.get("status_code");
      if (target === null && request.body !== null) {
        const form = new URLSearchParams(await request.text());
        target = form.get("url");
        status ??= form.get("status_code");
      }
      if (target === null) {
        return textResponse("Missing url parameter\n", "text/plain", 400);
      }
      const code = intParam(status, 302);
      return new Response(null, {
        status: code >= 300 && code < 400 ? code : 302,
        headers: {
          location: /^[\x21-\x7e]*$/.test(target) ? target : encodeURI(target),
        },
      });
    },
  },
  {
    pattern: /^\/cookies$/,
    handler: (request) =>
      jsonResponse({ cookies: parseCookies(request.headers.get("cookie")) }),
  },
  {
    pattern: /^\/cookies\/set$/,
    handler: (request) => {
      const headers = new Headers({ location: "/cookies" });
      for (
        const [name, value] of new globalThis.URL(request.url).searchParams
      ) {
        headers.append("set-cookie", `${name}=${value}; Path=/`);
      }
      return new Response(null, { status: 302, headers });
    },
  },
  {
    pattern: /^\/cookies\/set\/([^/]+)\/([^/]*)$/,
    handler: (_, [name, value]) => {
      const headers = new Headers({ location: "/cookies" });
      headers.append("set-cookie", `${name}=${value}; Path=/`);
      return new Response(null, { status: 302, headers });
    },
  },
  {
    pattern: /^\/cookies\/delete$/,
    handler: (request) => {
      const headers = new Headers({ location: "/cookies" });
      for (const name of new globalThis.URL(request.url).searchParams.keys()) {
        headers.append(
          "set-cookie",
          `${name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`,
        );
      }
      return new Response(null, { status: 302, headers });
    },
  },
  {
    pattern: /^\/basic-auth\/([^/]+)\/([^/]+)$/,
    handler: (request, [user, passwd]) =>
      checkBasic(request, user, passwd)
        ? jsonResponse({ authenticated: true, user })
        : unauthorizedBasic(false),
  },
  {
    pattern: /^\/hidden-basic-auth\/([^/]+)\/([^/]+)$/,
    handler: (request, [user, passwd]) =>
      checkBasic(request, user, passwd)
        ? jsonResponse({ authenticated: true, user })
        : unauthorizedBasic(true),
  },
  {
    pattern:
      /^\/digest-auth\/([^/]+)\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/,
    handler: (request, [qop, user, passwd, algorithm, staleAfter]) =>
      digestAuth(request, qop, user, passwd, algorithm, staleAfter),
  },
  {
    pattern: /^\/bytes\/(\d+)$/,
    handler: (request, [n]) => {
      const seed = new globalThis.URL(request.url).searchParams.get("seed");
      const bytes = new Uint8Array(Math.min(Number(n), MAX_BYTES));
      seededRandom(seed === null ? null : Number(seed))(bytes);
      return new Response(bytes, {
        headers: { "content-type": "application/octet-stream" },
      });
    },
  },
  {
    pattern: /^\/stream\/(\d+)$/,
    handler: (request, [n], info) => {
      const count = Math.min(Number(n), 100);
      const fields = baseFields(request, info);
      const body = streamOf(function* () {
        for (let id = 0; id < count; id++) {
          const line = {
            url: fields.url,
            args: fields.args,
            headers: fields.headers,
            origin: fields.origin,
            id,
          };
          yield encoder.encode(JSON.stringify(line) + "\n");
        }
      });
      return new Response(body, {
        headers: { "content-type": "application/json" },
      });
    },
  },
  {
    pattern: /^\/stream-bytes\/(\d+)$/,
    handler: (request, [n]) => {
      const params = new globalThis.URL(request.url).searchParams;
      const total = Math.min(Number(n), MAX_BYTES);
      const chunkSize = Math.max(1, intParam(params.get("chunk_size"), 10240));
      const seed = params.get("seed");
      const fill = seededRandom(seed === null ? null : Number(seed));
      const body = streamOf(function* () {
        for (let sent = 0; sent < total; sent += chunkSize) {
          const chunk = new Uint8Array(Math.min(chunkSize, total - sent));
          fill(chunk);
          yield chunk;
        }
      });
      return new Response(body, {
        headers: { "content-type": "application/octet-stream" },
      });
    },
  },
  {
    pattern: /^\/drip$/,
    handler: (request) => {
      const params = new globalThis.URL(request.url).searchParams;
      const duration = Math.min(
        Math.max(intParam(params.get("duration"), 2), 0),
        MAX_DELAY_SECONDS,
      );
      const numbytes = Math.min(
        Math.max(intParam(params.get("numbytes"), 10), 0),
        MAX_BYTES,
      );
      const delay = Math.min(
        Math.max(intParam(params.get("delay"), 0), 0),
        MAX_DELAY_SECONDS,
      );
      const code = intParam(params.get("code"), 200);
      const interval = numbytes > 0 ? duration / numbytes : 0;
      return new Response(drip(numbytes, interval, delay), {
        status: code,
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(numbytes),
        },
      });
    },
  },
  {
    pattern: /^\/delay\/([0-9.]+)$/,
    handler: async (request, [n], info) => {
      await sleep(
        Math.min(Number(n), MAX_DELAY_SECONDS),
        request.signal,
      );
      return echo(request, info, false);
    },
  },
  ...(["gzip", "deflate"] as const).map((format): Route => ({
    pattern: new RegExp(`^/${format}$`),
    handler: async (request, _, info) => {
      const fields = baseFields(request, info);
      const body = encoder.encode(
        JSON.stringify(
          {
            [format === "gzip" ? "gzipped" : "deflated"]: true,
            headers: fields.headers,
            method: request.method,
            origin: fields.origin,
          },
          null,
          2,
        ) + "\n",
      );
      return new Response(await compress(body, format), {
        headers: {
          "content-type": "application/json",
          "content-encoding": format,
        },
      });
    },
  })),
  {
    pattern: /^\/brotli$/,
    handler: async (request, _, info) => {
      const fields = baseFields(request, info);
      const body = JSON.stringify(
        {
          brotli: true,
          headers: fields.headers,
          method: request.method,
          origin: fields.origin,
        },
        null,
        2,
      ) + "\n";
      const zlib = await import("node:zlib");
      const compressed = new Uint8Array(zlib.brotliCompressSync(body));
      return new Response(compressed, {
        headers: {
          "content-type": "application/json",
          "content-encoding": "br",
        },
      });
    },
  },
  {
    pattern: /^\/encoding\/utf8$/,
    handler: () => textResponse(UTF8_PAGE, "text/html; charset=utf-8"),
  },
  {
    pattern: /^\/html$/,
    handler: () => textResponse(HTML_PAGE, "text/html; charset=utf-8"),
  },
  { pattern: /^\/json$/, handler: () => jsonResponse(JSON_DOC) },
  {
    pattern: /^\/xml$/,
    handler: () => textResponse(XML_DOC, "application/xml"),
  },
  {
    pattern: /^\/robots\.txt$/,
    handler: () =>
      textResponse("User-agent: *\nDisallow: /deny\n", "text/plain"),
  },
  {
    pattern: /^\/deny$/,
    handler: () => textResponse("Not for robots.\n", "text/plain"),
  },
  {
    pattern: /^\/response-headers$/,
    handler: (request) => {
      const params = new globalThis.URL(request.url).searchParams;
      const headers = new Headers({ "content-type": "application/json" });
      for (const [name, value] of params) headers.append(name, value);
      const body: Record<string, Json> = multiDict(params);
      body["Content-Type"] = headers.get("content-type");
      return new Response(JSON.stringify(body, null, 2) + "\n", { headers });
    },
  },
  {
    pattern: /^\/base64\/([^/]+)$/,
    handler: (_, [value]) => {
      try {
        const normal = decodeURIComponent(value).replaceAll("-", "+")
          .replaceAll("_", "/");
        const bytes = Uint8Array.from(atob(normal), (c) => c.charCodeAt(0));
        return new Response(bytes, {
          headers: { "content-type": "text/html; charset=utf-8" },
        });
      } catch {
        return textResponse(
          "Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l",
          "text/html; charset=utf-8",
        );
      }
    },
  },
  {
    pattern: /^\/uuid$/,
    handler: () => jsonResponse({ uuid: crypto.randomUUID() }),
  },
  {
    pattern: /^\/links\/(\d+)(?:\/(\d+))?$/,
    handler: (_, [n, offset]) => linksPage(Number(n), intParam(offset, 0)),
  },
  {
    pattern: /^\/range\/(\d+)$/,
    handler: (request, [n]) => rangeResponse(request, Number(n)),
  },
  {
    pattern: /^\/cache$/,
    handler: (request, _, info) => {
      if (
        request.headers.has("if-modified-since") ||
        request.headers.has("if-none-match")
      ) {
        return new Response(null, { status: 304 });
      }
      return jsonResponse(baseFields(request, info), {
        headers: {
          "last-modified": new Date().toUTCString(),
          "etag": crypto.randomUUID().replaceAll("-", ""),
        },
      });
    },
  },
  {
    pattern: /^\/cache\/(\d+)$/,
    handler: (request, [n], info) =>
      jsonResponse(baseFields(request, info), {
        headers: { "cache-control": `public, max-age=${n}` },
      }),
  },
  {
    pattern: /^\/etag\/([^/]+)$/,
    handler: (request, [etag], info) => {
      const ifNoneMatch = request.headers.get("if-none-match");
      const ifMatch = request.headers.get("if-match");
      if (ifNoneMatch !== null) {
        const tags = etagList(ifNoneMatch);
        if (tags.includes(etag) || tags.includes("*")) {
          return new Response(null, { status: 304, headers: { etag } });
        }
      } else if (ifMatch !== null) {
        const tags = etagList(ifMatch);
        if (!tags.includes(etag) && !tags.includes("*")) {
          return new Response(null, { status: 412 });
        }
      }
      return jsonResponse(baseFields(request, info), { headers: { etag } });
    },
  },
  {
    pattern: /^\/image(?:\/png)?$/,
    handler: () => {
      const bytes = Uint8Array.from(atob(PNG_BASE64), (c) => c.charCodeAt(0));
      return new Response(bytes, { headers: { "content-type": "image/png" } });
    },
  },
];

/**
 * The httpbin-like application, as a web fetch handler: pass it to
 * `Deno.serve`, `AppTransport`, or call it with a web `Request`.
 *
 * @param request The request to answer.
 * @param info The peer address, as `Deno.serve` passes it (optional).
 * @returns The response.
 */
export async function httpbinApp(
  request: Request,
  info?: AppInfo,
): Promise<Response> {
  const path = new globalThis.URL(request.url).pathname;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    if (route.methods && !route.methods.includes(request.method)) {
      await request.body?.cancel();
      return new Response("Method Not Allowed\n", {
        status: 405,
        headers: { allow: route.methods.join(", ") },
      });
    }
    let params: string[];
    try {
      params = match.slice(1).map((part) =>
        part === undefined ? undefined : decodeURIComponent(part)
      ) as string[];
    } catch {
      await request.body?.cancel();
      return textResponse("Bad Request\n", "text/plain", 400);
    }
    return await route.handler(request, params, info);
  }
  await request.body?.cancel();
  return textResponse("Not Found\n", "text/plain", 404);
}

/** A running {@linkcode httpbinApp} server. */
export interface RunningServer {
  /** Base URL, such as `http://127.0.0.1:41234`. */
  url: string;
  /** Stop listening and wait for open connections to finish. */
  close(): Promise<void>;
}

/**
 * Serve {@linkcode httpbinApp} on 127.0.0.1 (port 0, a free one, by default).
 *
 * @param options `port` to listen on.
 * @returns The base URL and a `close()` function.
 */
export function startServer(
  options?: { port?: number },
): Promise<RunningServer> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options?.port ?? 0, onListen() {} },
    (request, info) => httpbinApp(request, info),
  );
  const addr = server.addr;
  return Promise.resolve({
    url: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      await server.shutdown();
    },
  });
}
