/**
 * What the toy proxies of `proxy.ts` and `socks.ts` share: a listener on
 * 127.0.0.1 that runs a handler per client, closes each client with the
 * upstream connections it dialled, and relays bytes both ways. Just enough
 * for those examples to run offline. Not for real use.
 *
 * @module
 */

/** A running toy proxy. */
export interface ToyServer {
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** What it was asked for, one line per connection. */
  seen: string[];
  /** Stop listening, close every connection and wait for the handlers. */
  close(): Promise<void>;
}

/** What a handler gets besides its client. */
export interface ToySession {
  /** The server's log (`ToyServer.seen`). */
  seen: string[];
  /** Connect upstream; the connection closes with the client. */
  dial(hostname: string, port: number): Promise<Deno.Conn>;
  /** Copy bytes between the client and `upstream` until either hangs up. */
  relay(upstream: Deno.Conn): Promise<void>;
}

/** Serves one client; an error just ends it (a client or server hung up). */
export type ToyHandler = (
  client: Deno.Conn,
  session: ToySession,
) => Promise<void>;

/** Credentials a toy proxy wants. */
export interface ToyAuth {
  /** The username. */
  user: string;
  /** The password. */
  pass: string;
}

/** The proxy an example uses: a real one from the environment, or a toy. */
export interface ExampleProxy {
  /** The proxy URL, credentials included. */
  url: string;
  /**
   * Print `heading` and what the toy proxy was asked for, then stop it;
   * nothing for a real proxy.
   */
  close(heading: string): Promise<void>;
}

/**
 * The proxy URL in the environment variable `variable`, or else a toy
 * proxy running `handler` that wants `user:secret`, as
 * `<scheme>://user:secret@127.0.0.1:<port>`.
 *
 * @param variable The environment variable naming a real proxy.
 * @param scheme The toy proxy's URL scheme.
 * @param handler The toy proxy, given the credentials it wants.
 */
export function exampleProxy(
  variable: string,
  scheme: string,
  handler: (auth: ToyAuth) => ToyHandler,
): ExampleProxy {
  const fromEnv = Deno.env.get(variable);
  if (fromEnv) return { url: fromEnv, close: () => Promise.resolve() };
  const auth = { user: "user", pass: "secret" };
  const toy = startToyServer(handler(auth));
  return {
    url: `${scheme}://${auth.user}:${auth.pass}@127.0.0.1:${toy.port}`,
    async close(heading: string) {
      console.log(heading);
      for (const line of toy.seen) console.log("  ", line);
      await toy.close();
    },
  };
}

/**
 * Listen on 127.0.0.1 (a free port) and run `handle` for each client.
 *
 * @param handle The proxy's side of one connection.
 */
export function startToyServer(handle: ToyHandler): ToyServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const tasks = new Set<Promise<void>>();
  const open = new Set<Deno.Conn>();
  const serve = async (client: Deno.Conn): Promise<void> => {
    const conns = [client];
    open.add(client);
    const dial = async (hostname: string, port: number) => {
      const upstream = await Deno.connect({ hostname, port });
      conns.push(upstream);
      open.add(upstream);
      return upstream;
    };
    try {
      await handle(client, { seen, dial, relay: (up) => relay(client, up) });
    } catch {
      // A client or server hung up.
    } finally {
      for (const conn of conns) {
        close(conn);
        open.delete(conn);
      }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      const task = serve(conn);
      tasks.add(task);
      task.finally(() => tasks.delete(task));
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    seen,
    async close() {
      listener.close();
      for (const conn of open) close(conn);
      await accepting;
      await Promise.all(tasks);
    },
  };
}

async function relay(a: Deno.Conn, b: Deno.Conn): Promise<void> {
  await Promise.all([pipe(a, b), pipe(b, a)]);
}

async function pipe(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(16384);
  try {
    for (;;) {
      const n = await from.read(buffer);
      if (n === null) break;
      for (let offset = 0; offset < n;) {
        offset += await to.write(buffer.subarray(offset, n));
      }
    }
  } finally {
    close(to);
    close(from);
  }
}

function close(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}
