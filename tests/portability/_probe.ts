/**
 * What a fetch-only runtime does with the library: load `mod.ts` while
 * watching which socket and file APIs it touches, check the default
 * transport, and send requests through `FetchTransport` with an in-process
 * `fetch` (no network permission is needed for it).
 *
 * @module
 */

/** What {@linkcode probe} reports. */
export interface ProbeResult {
  /** `Deno.*` socket and file APIs touched while importing `mod.ts`. */
  touched: string[];
  /** The class name of `new Client().transport`. */
  defaultTransport: string;
  /** What the in-process server saw and answered. */
  status: number;
  echoed: { method: string; url: string; body: string; auth: string | null };
  /** The same request through `client.fetch`. */
  viaClientFetch: string;
  /** Whether `mod.ts` exports `FetchTransport` itself. */
  exportedByMod: boolean;
  /** The `net` and `read` permission states, as the probe saw them. */
  permissions: { net: string; read: string };
  /** Whether reading a file was refused. */
  readRefused: boolean;
}

const SOCKETS = ["connect", "connectTls", "startTls", "listen", "listenTls"];
const FILES = [
  "open",
  "openSync",
  "readFile",
  "readFileSync",
  "readTextFile",
  "readTextFileSync",
  "readDir",
  "readDirSync",
  "stat",
  "statSync",
  "lstat",
  "lstatSync",
];

/**
 * Import the library and use it as a fetch-only runtime would.
 *
 * @param withoutSockets Remove `Deno.connect` and friends first, as a
 *   runtime without raw sockets has none.
 */
export async function probe(withoutSockets: boolean): Promise<ProbeResult> {
  const touched: string[] = [];
  let importing = true;
  const deno = Deno as unknown as Record<string, unknown>;
  for (const name of [...SOCKETS, ...FILES]) {
    const original = deno[name];
    const hide = withoutSockets && SOCKETS.includes(name);
    Object.defineProperty(Deno, name, {
      configurable: true,
      get() {
        if (importing) touched.push(name);
        return hide ? undefined : original;
      },
    });
  }
  const httpx = await import("../../mod.ts");
  importing = false;

  const exported = (httpx as Record<string, unknown>).FetchTransport;
  const FetchTransport = (exported ??
    (await import("../../src/transports/fetch.ts"))
      .FetchTransport) as typeof import("../../src/transports/fetch.ts").FetchTransport;

  const plain = new httpx.Client();
  const defaultTransport = plain.transport.constructor.name;
  await plain.close();

  const inProcess = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request = new Request(input, init);
    return Response.json({
      method: request.method,
      url: request.url,
      body: await request.text(),
      auth: request.headers.get("authorization"),
    });
  };
  await using client = new httpx.Client({
    transport: new FetchTransport({ fetch: inProcess }),
    baseUrl: "https://api.example.test/v1/",
    auth: ["user", "pass"],
  });
  const response = await client.post("items", { json: { name: "widget" } });
  const viaFetch = await client.fetch("items?page=2");
  let readRefused = false;
  try {
    Deno.statSync(new URL("../../mod.ts", import.meta.url));
  } catch {
    readRefused = true;
  }
  return {
    permissions: {
      net: Deno.permissions.querySync({ name: "net" }).state,
      read: Deno.permissions.querySync({ name: "read" }).state,
    },
    readRefused,
    touched,
    defaultTransport,
    status: response.statusCode,
    echoed: response.json(),
    viaClientFetch: ((await viaFetch.json()) as { url: string }).url,
    exportedByMod: exported !== undefined,
  };
}
