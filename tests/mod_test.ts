import assert from "node:assert/strict";
import * as httpx from "../mod.ts";

// The exact runtime names mod.ts exports; adding or removing one is an API
// change and must show up here.
const EXPECTED = [
  "AppTransport",
  "AsyncClient",
  "AsyncHTTPTransport",
  "Auth",
  "BasicAuth",
  "ByteStream",
  "Client",
  "CloseError",
  "ConnectError",
  "ConnectTimeout",
  "CookieConflict",
  "Cookies",
  "DecodingError",
  "DigestAuth",
  "FetchTransport",
  "FunctionAuth",
  "HTTPError",
  "HTTPStatusError",
  "HTTPTransport",
  "Headers",
  "InvalidURL",
  "Limits",
  "LocalProtocolError",
  "MockTransport",
  "NetRCAuth",
  "NetworkError",
  "PoolTimeout",
  "ProtocolError",
  "Proxy",
  "ProxyError",
  "QueryParams",
  "ReadError",
  "ReadTimeout",
  "RemoteProtocolError",
  "Request",
  "RequestError",
  "RequestNotRead",
  "Response",
  "ResponseNotRead",
  "StreamClosed",
  "StreamConsumed",
  "StreamError",
  "Timeout",
  "TimeoutException",
  "TooManyRedirects",
  "TransportError",
  "URL",
  "UnsupportedProtocol",
  "WriteError",
  "WriteTimeout",
  "codes",
  "delete",
  "get",
  "head",
  "options",
  "patch",
  "post",
  "put",
  "request",
  "stream",
];

Deno.test("mod.ts exports exactly the public names", () => {
  assert.deepEqual(Object.keys(httpx).sort(), [...EXPECTED].sort());
});

Deno.test("AsyncClient is Client and aliases point at the same classes", () => {
  assert.equal(httpx.AsyncClient, httpx.Client);
  assert.equal(httpx.AsyncHTTPTransport, httpx.HTTPTransport);
});

Deno.test("the exception tree matches HTTPX's", () => {
  const parents: Array<[unknown, unknown]> = [
    [httpx.RequestError, httpx.HTTPError],
    [httpx.TransportError, httpx.RequestError],
    [httpx.TimeoutException, httpx.TransportError],
    [httpx.ConnectTimeout, httpx.TimeoutException],
    [httpx.ReadTimeout, httpx.TimeoutException],
    [httpx.WriteTimeout, httpx.TimeoutException],
    [httpx.PoolTimeout, httpx.TimeoutException],
    [httpx.NetworkError, httpx.TransportError],
    [httpx.ConnectError, httpx.NetworkError],
    [httpx.ReadError, httpx.NetworkError],
    [httpx.WriteError, httpx.NetworkError],
    [httpx.CloseError, httpx.NetworkError],
    [httpx.ProtocolError, httpx.TransportError],
    [httpx.LocalProtocolError, httpx.ProtocolError],
    [httpx.RemoteProtocolError, httpx.ProtocolError],
    [httpx.ProxyError, httpx.TransportError],
    [httpx.UnsupportedProtocol, httpx.TransportError],
    [httpx.DecodingError, httpx.RequestError],
    [httpx.TooManyRedirects, httpx.RequestError],
    [httpx.HTTPStatusError, httpx.HTTPError],
    [httpx.HTTPError, Error],
    [httpx.InvalidURL, Error],
    [httpx.CookieConflict, Error],
    [httpx.StreamError, Error],
    [httpx.StreamConsumed, httpx.StreamError],
    [httpx.StreamClosed, httpx.StreamError],
    [httpx.ResponseNotRead, httpx.StreamError],
    [httpx.RequestNotRead, httpx.StreamError],
  ];
  for (const [child, parent] of parents) {
    const c = child as { prototype: object; name: string };
    const p = parent as { prototype: object; name: string };
    assert.equal(
      Object.getPrototypeOf(c.prototype),
      p.prototype,
      `${c.name} extends ${p.name}`,
    );
  }
  assert.ok(!(new httpx.InvalidURL("x") instanceof httpx.HTTPError));
});

Deno.test("errors keep the cause and name their class", () => {
  const cause = new Error("boom");
  const error = new httpx.ReadError("Reading failed", { cause });
  assert.equal(error.cause, cause);
  assert.equal(error.name, "ReadError");
  assert.equal(error.hasRequest, false);
  assert.throws(() => error.request, /request property has not been set/);
});
