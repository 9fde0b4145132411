/**
 * The exception tree, as HTTPX has it.
 *
 * ```
 * HTTPError
 * ├── RequestError
 * │   ├── TransportError
 * │   │   ├── TimeoutException
 * │   │   │   ├── ConnectTimeout
 * │   │   │   ├── ReadTimeout
 * │   │   │   ├── WriteTimeout
 * │   │   │   └── PoolTimeout
 * │   │   ├── NetworkError
 * │   │   │   ├── ConnectError
 * │   │   │   ├── ReadError
 * │   │   │   ├── WriteError
 * │   │   │   └── CloseError
 * │   │   ├── ProtocolError
 * │   │   │   ├── LocalProtocolError
 * │   │   │   └── RemoteProtocolError
 * │   │   ├── ProxyError
 * │   │   └── UnsupportedProtocol
 * │   ├── DecodingError
 * │   └── TooManyRedirects
 * └── HTTPStatusError
 * InvalidURL
 * CookieConflict
 * StreamError
 * ├── StreamConsumed
 * ├── StreamClosed
 * ├── ResponseNotRead
 * └── RequestNotRead
 * ```
 *
 * Lower-level causes (Deno errors, protocol errors) are kept in `cause`.
 *
 * @module
 */

import type { Request } from "./models/request.ts";
import type { Response } from "./models/response.ts";

/**
 * Options accepted by every `httpx` error constructor.
 *
 * @example Raise an error from a custom transport
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const request = new httpx.Request("GET", "https://example.org/");
 * const options: httpx.HTTPErrorOptions = {
 *   request,
 *   cause: new Error("reset"),
 * };
 * const error = new httpx.ReadError("Connection reset", options);
 * console.assert(error.request === request && error.hasRequest);
 * console.assert((error.cause as Error).message === "reset");
 * ```
 */
export interface HTTPErrorOptions extends ErrorOptions {
  /** The request that was being sent when the error happened. */
  request?: Request;
}

/**
 * Base class for {@linkcode RequestError} and {@linkcode HTTPStatusError}.
 *
 * @example Catch any error raised while sending
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const transport = new httpx.MockTransport(() => {
 *   throw new httpx.ConnectError("Connection refused");
 * });
 * const client = new httpx.Client({ transport });
 * try {
 *   await client.get("https://example.org/");
 * } catch (error) {
 *   console.assert(error instanceof httpx.HTTPError);
 * }
 * ```
 */
export class HTTPError extends Error {
  #request: Request | undefined;

  /**
   * Build an error with a message and optional request and cause.
   *
   * @param message What went wrong.
   * @param options The request and the cause.
   */
  constructor(message: string, options?: HTTPErrorOptions) {
    super(
      message,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.#request = options?.request;
  }

  /** The error's class name, such as `"ReadTimeout"`. */
  override get name(): string {
    return this.constructor.name;
  }

  /** The request that caused the error; throws when it was never set. */
  get request(): Request {
    if (this.#request === undefined) {
      throw new Error("The .request property has not been set");
    }
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  /** Whether a request is attached, without throwing. */
  get hasRequest(): boolean {
    return this.#request !== undefined;
  }
}

/**
 * Base class for every error that happens while a request is sent.
 *
 * @example Timeouts are request errors
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * const error = new httpx.ReadTimeout("Timed out");
 * console.assert(error instanceof httpx.RequestError);
 * ```
 */
export class RequestError extends HTTPError {}

/**
 * Base class for errors raised by a transport.
 *
 * @example Transport failures share one base class
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.ConnectError("refused") instanceof httpx.TransportError,
 * );
 * ```
 */
export class TransportError extends RequestError {}

/**
 * Base class for all timeouts.
 *
 * @example Catch any timeout
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() => {
 *   throw new httpx.ReadTimeout("Timed out");
 * });
 * await using client = new httpx.Client({ transport });
 * const error = await client.get("https://example.org/slow").catch((e) => e);
 * console.assert(error instanceof httpx.TimeoutException);
 * console.assert(error.request.url.path === "/slow");
 * ```
 */
export class TimeoutException extends TransportError {}

/**
 * The TCP connection or the TLS handshake took longer than `timeout.connect`.
 *
 * @example A connect timeout is a timeout
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.ConnectTimeout("slow") instanceof httpx.TimeoutException,
 * );
 * ```
 */
export class ConnectTimeout extends TimeoutException {}

/**
 * Waiting for data from the server took longer than `timeout.read`, or the
 * `total` deadline passed.
 *
 * @example A read timeout is a timeout
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.ReadTimeout("slow") instanceof httpx.TimeoutException,
 * );
 * ```
 */
export class ReadTimeout extends TimeoutException {}

/**
 * Sending data took longer than `timeout.write`.
 *
 * @example A write timeout is a timeout
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.WriteTimeout("slow") instanceof httpx.TimeoutException,
 * );
 * ```
 */
export class WriteTimeout extends TimeoutException {}

/**
 * No connection could be taken from the pool within `timeout.pool`.
 *
 * @example A pool timeout is a timeout
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.PoolTimeout("busy") instanceof httpx.TimeoutException,
 * );
 * ```
 */
export class PoolTimeout extends TimeoutException {}

/**
 * Base class for failures of the network itself.
 *
 * @example Network failures share one base class
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.ReadError("reset") instanceof httpx.NetworkError);
 * ```
 */
export class NetworkError extends TransportError {}

/**
 * The connection could not be made: DNS failure, refused, TLS or certificate error.
 *
 * @example A connect error is a network error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.ConnectError("refused") instanceof httpx.NetworkError,
 * );
 * ```
 */
export class ConnectError extends NetworkError {}

/**
 * Reading from the connection failed.
 *
 * @example A read error is a network error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.ReadError("reset") instanceof httpx.NetworkError);
 * ```
 */
export class ReadError extends NetworkError {}

/**
 * Writing to the connection failed.
 *
 * @example A write error is a network error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.WriteError("broken pipe") instanceof httpx.NetworkError,
 * );
 * ```
 */
export class WriteError extends NetworkError {}

/**
 * Closing the connection failed.
 *
 * @example A close error is a network error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.CloseError("failed") instanceof httpx.NetworkError,
 * );
 * ```
 */
export class CloseError extends NetworkError {}

/**
 * The protocol was violated, by us or by the server.
 *
 * @example Protocol errors share one base class
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.RemoteProtocolError("bad") instanceof httpx.ProtocolError,
 * );
 * ```
 */
export class ProtocolError extends TransportError {}

/**
 * The request we were about to send is not valid HTTP; nothing was sent.
 *
 * @example A local protocol error is a protocol error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.LocalProtocolError("bad header") instanceof httpx.ProtocolError,
 * );
 * ```
 */
export class LocalProtocolError extends ProtocolError {}

/**
 * The server sent something that is not valid HTTP, or hung up early.
 *
 * @example A remote protocol error is a protocol error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.RemoteProtocolError("bad status") instanceof
 *     httpx.ProtocolError,
 * );
 * ```
 */
export class RemoteProtocolError extends ProtocolError {}

/**
 * The proxy refused or failed to set up the connection.
 *
 * @example A proxy error is a transport error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.ProxyError("403 Forbidden") instanceof httpx.TransportError,
 * );
 * ```
 */
export class ProxyError extends TransportError {}

/**
 * The URL's scheme is missing or not one a transport can send.
 *
 * @example An ftp URL
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const error = await httpx.get("ftp://example.org/").catch((e) => e);
 * console.assert(error instanceof httpx.UnsupportedProtocol);
 * ```
 */
export class UnsupportedProtocol extends TransportError {}

/**
 * The response body could not be decoded with its `Content-Encoding`.
 *
 * @example A decoding error is a request error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.DecodingError("bad gzip") instanceof httpx.RequestError,
 * );
 * ```
 */
export class DecodingError extends RequestError {}

/**
 * More redirects than `maxRedirects` were followed.
 *
 * @example Too many redirects is a request error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(
 *   new httpx.TooManyRedirects("loop") instanceof httpx.RequestError,
 * );
 * ```
 */
export class TooManyRedirects extends RequestError {}

/**
 * Options of {@linkcode HTTPStatusError}: the request and response are required.
 *
 * @example Raise a status error of your own
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const request = new httpx.Request("GET", "https://example.org/");
 * const response = new httpx.Response(503, { request });
 * const options: httpx.HTTPStatusErrorOptions = { request, response };
 * const error = new httpx.HTTPStatusError("Service unavailable", options);
 * console.assert(
 *   error.response.statusCode === 503 && error.request === request,
 * );
 * ```
 */
export interface HTTPStatusErrorOptions extends ErrorOptions {
  /** The request that was sent. */
  request: Request;
  /** The response with the error status. */
  response: Response;
}

/**
 * Raised by `Response.raiseForStatus()` for 4xx and 5xx (and non-2xx) responses.
 *
 * @example Turn a 404 into an error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const transport = new httpx.MockTransport(() => new httpx.Response(404));
 * await using client = new httpx.Client({ transport });
 * const response = await client.get("https://example.org/missing");
 * let caught: unknown;
 * try {
 *   response.raiseForStatus();
 * } catch (error) {
 *   caught = error;
 * }
 * console.assert(caught instanceof httpx.HTTPStatusError);
 * console.assert(
 *   (caught as httpx.HTTPStatusError).response.statusCode === 404,
 * );
 * ```
 */
export class HTTPStatusError extends HTTPError {
  /** The response that had the error status. */
  readonly response: Response;

  /**
   * Build the error raised by `raiseForStatus()`.
   *
   * @param message HTTPX's message text.
   * @param options The request and the response.
   */
  constructor(message: string, options: HTTPStatusErrorOptions) {
    super(message, options);
    this.response = options.response;
  }
}

/**
 * A URL could not be parsed or is not valid. Not a {@linkcode RequestError}.
 *
 * @example A port that is not a number
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * let caught: unknown;
 * try {
 *   new httpx.URL("https://example.org:not-a-port/");
 * } catch (error) {
 *   caught = error;
 * }
 * console.assert(caught instanceof httpx.InvalidURL);
 * ```
 */
export class InvalidURL extends Error {
  /** Always `"InvalidURL"`. */
  override get name(): string {
    return "InvalidURL";
  }
}

/**
 * `Cookies.get` found more than one cookie of that name.
 *
 * @example One name, two domains
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * const cookies = new httpx.Cookies();
 * cookies.set("a", "1", { domain: "one.example" });
 * cookies.set("a", "2", { domain: "two.example" });
 * let caught: unknown;
 * try {
 *   cookies.get("a");
 * } catch (error) {
 *   caught = error;
 * }
 * console.assert(caught instanceof httpx.CookieConflict);
 * console.assert(cookies.get("a", { domain: "two.example" }) === "2");
 * ```
 */
export class CookieConflict extends Error {
  /** Always `"CookieConflict"`. */
  override get name(): string {
    return "CookieConflict";
  }
}

/**
 * Base class for misuse of request and response streams.
 *
 * @example Stream misuse shares one base class
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.StreamConsumed() instanceof httpx.StreamError);
 * ```
 */
export class StreamError extends Error {
  /** The error's class name, such as `"StreamConsumed"`. */
  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * The stream was already read, and cannot be read again.
 *
 * @example The default message
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.StreamConsumed().message.length > 0);
 * ```
 */
export class StreamConsumed extends StreamError {
  /**
   * Build the error.
   *
   * @param message Why the stream cannot be read (a default is given).
   */
  constructor(
    message =
      "Attempted to read or stream some content, but the content has already been streamed. " +
      "For requests, this could be due to passing a generator as request content, and then " +
      "receiving a redirect response or a secondary request as part of an authentication flow. " +
      "For responses, this could be due to attempting to stream the response content more than once",
  ) {
    super(message);
  }
}

/**
 * The response was closed before its body was read.
 *
 * @example A closed stream is a stream error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.StreamClosed() instanceof httpx.StreamError);
 * ```
 */
export class StreamClosed extends StreamError {
  /**
   * Build the error.
   *
   * @param message A default is given.
   */
  constructor(
    message =
      "Attempted to read or stream content, but the stream has been closed",
  ) {
    super(message);
  }
}

/**
 * `response.content` or `text` was used on a streamed response before `read()`.
 *
 * @example An unread response is a stream error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.ResponseNotRead() instanceof httpx.StreamError);
 * ```
 */
export class ResponseNotRead extends StreamError {
  /**
   * Build the error.
   *
   * @param message A default is given.
   */
  constructor(
    message =
      "Attempted to access streaming response content, without having called `read()`",
  ) {
    super(message);
  }
}

/**
 * `request.content` was used on a streaming request before `read()`.
 *
 * @example An unread request is a stream error
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(new httpx.RequestNotRead() instanceof httpx.StreamError);
 * ```
 */
export class RequestNotRead extends StreamError {
  /**
   * Build the error.
   *
   * @param message A default is given.
   */
  constructor(
    message =
      "Attempted to access streaming request content, without having called `read()`",
  ) {
    super(message);
  }
}
