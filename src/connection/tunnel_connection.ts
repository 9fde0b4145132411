/**
 * CONNECT tunnelling through an HTTP proxy, for `https://` (and `ws://`,
 * `wss://`) targets: `CONNECT host:port`, then TLS with the origin over the
 * tunnel, then HTTP/1.1 or HTTP/2 inside it.
 *
 * @module
 */

import { authority } from "../net/_authority.ts";
import { traced } from "../_trace.ts";
import { BytesStream } from "../content/streams.ts";
import { ProxyError, RemoteProtocolError } from "../errors.ts";
import { Request } from "../models/request.ts";
import { URL } from "../models/url.ts";
import type { NetworkStream } from "../net/network.ts";
import { serializeRequestHead } from "../protocol/h1/request_head.ts";
import {
  type HeadEvent,
  ResponseParser,
} from "../protocol/h1/response_parser.ts";
import type { Connection, Origin } from "./_interface.ts";
import {
  type HandshakeContext,
  needsTls,
  type ProxyConnectionOptions,
  type ProxySettings,
  TunnelledConnection,
  type TunnelSteps,
} from "./_proxy_shared.ts";

const CONNECT_STEPS: TunnelSteps = {
  kind: "TunnelHTTPConnection",
  connectPrefix: "connection",
  startTlsEvent: "proxy.start_tls",
  handshake: "the CONNECT handshake with the proxy",
  earlyData: () =>
    new ProxyError(
      "The proxy sent data through the tunnel before the TLS handshake",
    ),
};

/** `scheme://host:port` of the proxy. */
function proxyUrlOf(proxy: ProxySettings): string {
  return `${proxy.scheme}://${authority(proxy.host, proxy.port)}`;
}

/**
 * Headers of the CONNECT request: `Host` and `Accept`, replaced by proxy
 * headers of the same name, then the other proxy headers.
 */
export function connectHeaders(
  target: string,
  proxyHeaders: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const names = new Set(proxyHeaders.map(([name]) => name.toLowerCase()));
  const headers: Array<[string, string]> = [];
  if (!names.has("host")) headers.push(["Host", target]);
  if (!names.has("accept")) headers.push(["Accept", "*/*"]);
  for (const [name, value] of proxyHeaders) headers.push([name, value]);
  return headers;
}

/** The message for an `https://` proxy in front of an `https://` origin. */
export function tlsInTlsMessage(origin: Origin, proxyUrl: string): string {
  return `Cannot reach ${origin.scheme}://${
    authority(origin.host, origin.port)
  } through the HTTPS proxy ${proxyUrl}: that needs TLS inside TLS, which Deno.startTls cannot do. Use an http:// proxy URL for the same proxy, or FetchTransport with a Deno.HttpClient proxy (Deno.createHttpClient({ proxy: { url } }))`;
}

/**
 * A connection to one origin through a CONNECT tunnel.
 *
 * On its first request it connects to the proxy (with TLS for an
 * `https://` proxy), sends `CONNECT host:port HTTP/1.1` with `Host`,
 * `Accept: *\/*` and the proxy headers (`Proxy-Authorization` among them),
 * and reads the answer: a non-2xx status raises `ProxyError("<status>
 * <reason>")`. For `https://` targets it then runs TLS with the origin over
 * the tunnel (SNI: the `sniHostname` extension or the origin host; ALPN as
 * configured, so HTTP/2 can be negotiated inside the tunnel). Every step
 * shares the connect timeout. The origin never sees the proxy headers.
 *
 * An `https://` proxy in front of an `https://` origin needs TLS inside TLS,
 * which Deno cannot do; that raises `ProxyError` before anything is sent.
 *
 * Trace events: `connection.connect_tcp`, `connection.start_tls` (TLS to an
 * `https://` proxy), `http11.send_request_headers` and
 * `http11.receive_response_headers` (the CONNECT), `proxy.start_tls`.
 */
export class TunnelHTTPConnection extends TunnelledConnection {
  /**
   * No I/O happens until the first request.
   *
   * @param origin The target origin.
   * @param options The proxy, the network backend, TLS and ALPN settings.
   */
  constructor(origin: Origin, options: ProxyConnectionOptions) {
    super(origin, options, CONNECT_STEPS);
  }

  /** Refuse TLS inside TLS before anything is sent, then connect. */
  protected override async establish(
    request: Request,
    track: (stream: NetworkStream) => void,
  ): Promise<Connection> {
    const proxy = this.proxy;
    if (needsTls(this.origin.scheme) && proxy.scheme === "https") {
      throw new ProxyError(tlsInTlsMessage(this.origin, proxyUrlOf(proxy)));
    }
    return await super.establish(request, track);
  }

  /** Send `CONNECT host:port` and read the answer. */
  protected async openTunnel(
    context: HandshakeContext,
    stream: NetworkStream,
    request: Request,
  ): Promise<Uint8Array> {
    const origin = this.origin;
    const proxy = this.proxy;
    const target = authority(origin.host, origin.port);
    const headers = connectHeaders(target, proxy.headers);
    const head = serializeRequestHead("CONNECT", target, headers);
    const connectRequest = new Request("CONNECT", new URL(proxyUrlOf(proxy)), {
      headers,
      stream: new BytesStream(new Uint8Array(0)),
      extensions: { ...request.extensions, target },
    });
    const info = { request: connectRequest };
    await traced(
      context.trace,
      "http11.send_request_headers",
      info,
      () => context.write(stream, head, "the CONNECT request to the proxy"),
    );
    const parser = new ResponseParser();
    parser.startResponse("CONNECT");
    const answer: HeadEvent = await traced(
      context.trace,
      "http11.receive_response_headers",
      info,
      async () => {
        for (;;) {
          let event;
          try {
            event = parser.next();
          } catch (error) {
            if (!(error instanceof RemoteProtocolError)) throw error;
            throw new ProxyError(
              `Invalid answer from the proxy to CONNECT: ${error.message}`,
              { cause: error },
            );
          }
          if (event.type === "head") return event;
          const bytes = await context.read(
            stream,
            "the proxy's answer to CONNECT",
          );
          if (bytes === null) parser.feedEof();
          else parser.feed(bytes);
        }
      },
    );
    const status = answer.statusCode;
    if (status < 200 || status > 299) {
      stream.close();
      throw new ProxyError(`${status} ${answer.reasonPhrase}`.trimEnd());
    }
    const rest = parser.next();
    return rest.type === "upgraded" ? rest.leftover : new Uint8Array(0);
  }
}
