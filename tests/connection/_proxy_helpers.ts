/** Helpers shared by the proxy connection tests. */
import { Proxy, type ProxyOptions } from "../../src/config/proxy.ts";
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
