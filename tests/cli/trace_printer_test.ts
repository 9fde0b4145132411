import assert from "node:assert/strict";
import { createStyle } from "../../src/cli/style.ts";
import { splitAddress, TracePrinter } from "../../src/cli/trace_printer.ts";
import { Request } from "../../src/models/request.ts";

function printer(verbose: boolean): { p: TracePrinter; out: string[] } {
  const out: string[] = [];
  const p = new TracePrinter({
    verbose,
    style: createStyle(false),
    write: (text) => void out.push(text),
  });
  return { p, out };
}

function request(): Request {
  return new Request("GET", "http://example.org:8080/a/b?x=1", {
    headers: [["Host", "example.org:8080"], ["X-Mixed-Case", "yes"]],
  });
}

const head = {
  type: "head",
  statusCode: 200,
  reasonPhrase: "OK",
  httpVersion: "HTTP/1.1",
  headers: [["Content-Type", "text/plain"], ["Content-Length", "2"]],
};

async function http11Exchange(p: TracePrinter, req: Request): Promise<void> {
  const stream = { remoteAddr: "127.0.0.1:8080", alpnProtocol: null };
  await p.trace("connection.connect_tcp.started", {
    host: "example.org",
    port: 8080,
    timeout: 5,
  });
  await p.trace("connection.connect_tcp.complete", { return_value: stream });
  await p.trace("http11.send_request_headers.started", { request: req });
  await p.trace("http11.send_request_headers.complete", {
    return_value: undefined,
  });
  await p.trace("http11.send_request_body.started", { request: req });
  await p.trace("http11.send_request_body.complete", {
    return_value: undefined,
  });
  await p.trace("http11.receive_response_headers.started", { request: req });
  await p.trace("http11.receive_response_headers.complete", {
    return_value: head,
  });
  await p.trace("http11.receive_response_body.started", { request: req });
  await p.trace("http11.receive_response_body.complete", {
    return_value: undefined,
  });
}

Deno.test("TracePrinter, verbose: connection lines, request and response heads", async () => {
  const { p, out } = printer(true);
  await http11Exchange(p, request());
  assert.equal(
    out.join(""),
    "* Connecting to 'example.org'\n" +
      "* Connected to '127.0.0.1' on port 8080\n" +
      "* HTTP/1.1 connection established\n" +
      "GET /a/b?x=1 HTTP/1.1\n" +
      "Host: example.org:8080\n" +
      "X-Mixed-Case: yes\n" +
      "\n" +
      "HTTP/1.1 200 OK\n" +
      "Content-Type: text/plain\n" +
      "Content-Length: 2\n" +
      "\n",
  );
  assert.equal(p.responsesPrinted, 1);
});

Deno.test("TracePrinter, not verbose: only response heads", async () => {
  const { p, out } = printer(false);
  await http11Exchange(p, request());
  await http11Exchange(p, request());
  const expected =
    "HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 2\n\n";
  assert.equal(out.join(""), expected + expected);
  assert.equal(p.responsesPrinted, 2);
});

Deno.test("TracePrinter: a reused connection prints no connection lines", async () => {
  const { p, out } = printer(true);
  const req = request();
  await p.trace("http11.send_request_headers.started", { request: req });
  assert.equal(
    out.join(""),
    "GET /a/b?x=1 HTTP/1.1\nHost: example.org:8080\nX-Mixed-Case: yes\n\n",
  );
});

Deno.test("TracePrinter: TLS, ALPN and HTTP/2 events", async () => {
  const { p, out } = printer(true);
  const req = request();
  await p.trace("connection.connect_tcp.started", {
    host: "example.org",
    port: 443,
  });
  await p.trace("connection.connect_tcp.complete", {
    return_value: { remoteAddr: "[2001:db8::1]:443", alpnProtocol: null },
  });
  await p.trace("connection.start_tls.started", {
    server_hostname: "example.org",
    timeout: 5,
  });
  await p.trace("connection.start_tls.complete", {
    return_value: { remoteAddr: "[2001:db8::1]:443", alpnProtocol: "h2" },
  });
  await p.trace("http2.send_connection_init.started", {});
  await p.trace("http2.send_connection_init.complete", {
    return_value: undefined,
  });
  await p.trace("http2.send_request_headers.started", { request: req });
  await p.trace("http2.receive_response_headers.complete", {
    return_value: [204, [["Server", "test"]]],
  });
  assert.equal(
    out.join(""),
    "* Connecting to 'example.org'\n" +
      "* Connected to '2001:db8::1' on port 443\n" +
      "* TLS established using Deno's TLS stack, certificate verified for 'example.org'\n" +
      "* Selected ALPN protocol: 'h2'\n" +
      "* HTTP/2 connection established\n" +
      "GET /a/b?x=1 HTTP/2\n" +
      "host: example.org:8080\n" +
      "x-mixed-case: yes\n" +
      "\n" +
      "HTTP/2 204 No Content\n" +
      "Server: test\n" +
      "\n",
  );
});

Deno.test("TracePrinter: HTTP/2 head given as an object, target extension", async () => {
  const { p, out } = printer(true);
  const req = new Request("OPTIONS", "http://example.org/", {
    extensions: { target: "*" },
  });
  await p.trace("http11.send_request_headers.started", { request: req });
  await p.trace("http2.receive_response_headers.complete", {
    return_value: { statusCode: 200, headers: [["a", "1"]] },
  });
  assert.equal(
    out.join(""),
    "OPTIONS * HTTP/1.1\nHost: example.org\n\nHTTP/2 200 OK\na: 1\n\n",
  );
});

Deno.test("TracePrinter ignores unknown events and malformed values", async () => {
  const { p, out } = printer(true);
  await p.trace("http11.receive_response_headers.complete", {
    return_value: 42,
  });
  await p.trace("something.else.started", {});
  await p.trace("http11.send_request_headers.started", { request: null });
  assert.deepEqual(out, []);
  assert.equal(p.responsesPrinted, 0);
});

Deno.test("splitAddress", () => {
  assert.deepEqual(splitAddress("127.0.0.1:80"), ["127.0.0.1", "80"]);
  assert.deepEqual(splitAddress("[::1]:8443"), ["::1", "8443"]);
  assert.equal(splitAddress("nowhere"), null);
  assert.equal(splitAddress(null), null);
});
