import assert from "node:assert/strict";
import { codes } from "../../src/models/codes.ts";

// Every member of HTTPX 0.28's `httpx.codes`: name → [value, phrase].
const HTTPX_CODES: Record<string, [number, string]> = {
  "CONTINUE": [100, "Continue"],
  "SWITCHING_PROTOCOLS": [101, "Switching Protocols"],
  "PROCESSING": [102, "Processing"],
  "EARLY_HINTS": [103, "Early Hints"],
  "OK": [200, "OK"],
  "CREATED": [201, "Created"],
  "ACCEPTED": [202, "Accepted"],
  "NON_AUTHORITATIVE_INFORMATION": [203, "Non-Authoritative Information"],
  "NO_CONTENT": [204, "No Content"],
  "RESET_CONTENT": [205, "Reset Content"],
  "PARTIAL_CONTENT": [206, "Partial Content"],
  "MULTI_STATUS": [207, "Multi-Status"],
  "ALREADY_REPORTED": [208, "Already Reported"],
  "IM_USED": [226, "IM Used"],
  "MULTIPLE_CHOICES": [300, "Multiple Choices"],
  "MOVED_PERMANENTLY": [301, "Moved Permanently"],
  "FOUND": [302, "Found"],
  "SEE_OTHER": [303, "See Other"],
  "NOT_MODIFIED": [304, "Not Modified"],
  "USE_PROXY": [305, "Use Proxy"],
  "TEMPORARY_REDIRECT": [307, "Temporary Redirect"],
  "PERMANENT_REDIRECT": [308, "Permanent Redirect"],
  "BAD_REQUEST": [400, "Bad Request"],
  "UNAUTHORIZED": [401, "Unauthorized"],
  "PAYMENT_REQUIRED": [402, "Payment Required"],
  "FORBIDDEN": [403, "Forbidden"],
  "NOT_FOUND": [404, "Not Found"],
  "METHOD_NOT_ALLOWED": [405, "Method Not Allowed"],
  "NOT_ACCEPTABLE": [406, "Not Acceptable"],
  "PROXY_AUTHENTICATION_REQUIRED": [407, "Proxy Authentication Required"],
  "REQUEST_TIMEOUT": [408, "Request Timeout"],
  "CONFLICT": [409, "Conflict"],
  "GONE": [410, "Gone"],
  "LENGTH_REQUIRED": [411, "Length Required"],
  "PRECONDITION_FAILED": [412, "Precondition Failed"],
  "REQUEST_ENTITY_TOO_LARGE": [413, "Request Entity Too Large"],
  "REQUEST_URI_TOO_LONG": [414, "Request-URI Too Long"],
  "UNSUPPORTED_MEDIA_TYPE": [415, "Unsupported Media Type"],
  "REQUESTED_RANGE_NOT_SATISFIABLE": [416, "Requested Range Not Satisfiable"],
  "EXPECTATION_FAILED": [417, "Expectation Failed"],
  "IM_A_TEAPOT": [418, "I'm a teapot"],
  "MISDIRECTED_REQUEST": [421, "Misdirected Request"],
  "UNPROCESSABLE_ENTITY": [422, "Unprocessable Entity"],
  "LOCKED": [423, "Locked"],
  "FAILED_DEPENDENCY": [424, "Failed Dependency"],
  "TOO_EARLY": [425, "Too Early"],
  "UPGRADE_REQUIRED": [426, "Upgrade Required"],
  "PRECONDITION_REQUIRED": [428, "Precondition Required"],
  "TOO_MANY_REQUESTS": [429, "Too Many Requests"],
  "REQUEST_HEADER_FIELDS_TOO_LARGE": [431, "Request Header Fields Too Large"],
  "UNAVAILABLE_FOR_LEGAL_REASONS": [451, "Unavailable For Legal Reasons"],
  "INTERNAL_SERVER_ERROR": [500, "Internal Server Error"],
  "NOT_IMPLEMENTED": [501, "Not Implemented"],
  "BAD_GATEWAY": [502, "Bad Gateway"],
  "SERVICE_UNAVAILABLE": [503, "Service Unavailable"],
  "GATEWAY_TIMEOUT": [504, "Gateway Timeout"],
  "HTTP_VERSION_NOT_SUPPORTED": [505, "HTTP Version Not Supported"],
  "VARIANT_ALSO_NEGOTIATES": [506, "Variant Also Negotiates"],
  "INSUFFICIENT_STORAGE": [507, "Insufficient Storage"],
  "LOOP_DETECTED": [508, "Loop Detected"],
  "NOT_EXTENDED": [510, "Not Extended"],
  "NETWORK_AUTHENTICATION_REQUIRED": [511, "Network Authentication Required"],
};

Deno.test("codes: every HTTPX name, upper and lower case", () => {
  const table = codes as unknown as Record<string, unknown>;
  for (const [name, [value]] of Object.entries(HTTPX_CODES)) {
    assert.equal(table[name], value, name);
    assert.equal(table[name.toLowerCase()], value, name.toLowerCase());
  }
  assert.equal(codes.OK, 200);
  assert.equal(codes.not_found, 404);
  assert.equal(codes.IM_A_TEAPOT, 418);
  assert.equal(codes.UNAVAILABLE_FOR_LEGAL_REASONS, 451);
  const numeric = Object.entries(table).filter(([, v]) =>
    typeof v === "number"
  );
  assert.equal(numeric.length, Object.keys(HTTPX_CODES).length * 2);
});

Deno.test("codes: reason phrases", () => {
  for (const [value, phrase] of Object.values(HTTPX_CODES)) {
    assert.equal(codes.getReasonPhrase(value), phrase);
  }
  assert.equal(codes.getReasonPhrase(404), "Not Found");
  assert.equal(codes.getReasonPhrase(0), "");
  assert.equal(codes.getReasonPhrase(299), "");
});

Deno.test("codes: range predicates", () => {
  const ranges: Array<[number, string[]]> = [
    [99, []],
    [100, ["isInformational"]],
    [199, ["isInformational"]],
    [200, ["isSuccess"]],
    [299, ["isSuccess"]],
    [302, ["isRedirect"]],
    [404, ["isClientError", "isError"]],
    [499, ["isClientError", "isError"]],
    [500, ["isServerError", "isError"]],
    [599, ["isServerError", "isError"]],
    [600, []],
  ];
  const predicates = [
    "isInformational",
    "isSuccess",
    "isRedirect",
    "isClientError",
    "isServerError",
    "isError",
  ] as const;
  for (const [code, truthy] of ranges) {
    for (const predicate of predicates) {
      assert.equal(
        codes[predicate](code),
        truthy.includes(predicate),
        `${predicate}(${code})`,
      );
    }
  }
});

Deno.test("codes: frozen", () => {
  assert.ok(Object.isFrozen(codes));
  assert.throws(() => {
    (codes as unknown as Record<string, number>).OK = 201;
  }, TypeError);
});
