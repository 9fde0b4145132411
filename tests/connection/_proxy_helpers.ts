/** Helpers shared by the proxy connection tests. */
import assert from "node:assert/strict";
import { Proxy, type ProxyOptions } from "../../src/config/proxy.ts";
import type { Connection } from "../../src/connection/_interface.ts";
import { proxySettings } from "../../src/connection/_proxy_shared.ts";
import type { SOCKSConnectionOptions } from "../../src/connection/socks_connection.ts";
import { Request, type RequestOptions } from "../../src/models/request.ts";
import type { Response } from "../../src/models/response.ts";
import {
  MockBackend,
  type MockConnectionScript,
  type MockReadItem,
} from "../../src/net/mock_backend.ts";

export const dec = new TextDecoder();
export const bytes = (...values: number[]): Uint8Array =>
  Uint8Array.of(...values);

export function options(
  url: string,
  scripts: Array<MockReadItem[] | MockConnectionScript>,
  extra: Partial<SOCKSConnectionOptions> & { proxyOptions?: ProxyOptions } = {},
): { backend: MockBackend; options: SOCKSConnectionOptions } {
  const backend = new MockBackend(scripts);
  const { proxyOptions, ...rest } = extra;
  return {
    backend,
    options: {
      proxy: proxySettings(new Proxy(url, proxyOptions)),
      backend,
      ...rest,
    },
  };
}

export function request(
  method: string,
  url: string,
  init: RequestOptions & { connect?: number | null; read?: number | null } = {},
): Request {
  const { connect = 5, read = 5, extensions, ...rest } = init;
  return new Request(method, url, {
    ...rest,
    extensions: {
      timeout: { connect, read, write: 5, pool: 5 },
      ...extensions,
    },
  });
}

export async function text(response: Response): Promise<string> {
  const parts: number[] = [];
  for await (const chunk of response.stream) parts.push(...chunk);
  return dec.decode(Uint8Array.from(parts));
}

/** `GET url` on `connection`; the body as text. */
export async function getText(
  connection: Connection,
  url: string,
): Promise<string> {
  return await text(await connection.handleRequest(request("GET", url)));
}

/** A trace hook that records event names. */
export function recorder(): {
  events: string[];
  infos: Array<Record<string, unknown>>;
  trace: (event: string, info: Record<string, unknown>) => void;
} {
  const events: string[] = [];
  const infos: Array<Record<string, unknown>> = [];
  return {
    events,
    infos,
    trace: (event, info) => {
      events.push(event);
      infos.push(info);
    },
  };
}

/**
 * Assert that `pending` rejects with a `type` error whose message equals
 * each string of `messages` and matches each RegExp.
 */
export async function rejectsWith(
  pending: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  ...messages: Array<string | RegExp>
): Promise<void> {
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof type, String(error));
    for (const message of messages) {
      if (typeof message === "string") assert.equal(error.message, message);
      else assert.match(error.message, message);
    }
    return true;
  });
}

/** After a refused handshake: its stream closed, no TLS, `connection` closed. */
export function assertTornDown(
  backend: MockBackend,
  connection: Connection,
): void {
  assert.ok(backend.connections[0].isClosed);
  assert.equal(backend.connections[0].tlsUpgrades.length, 0);
  assert.ok(connection.isClosed());
}
