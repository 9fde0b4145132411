/**
 * `codes`: HTTP status codes by name, as HTTPX's `httpx.codes`.
 *
 * @module
 */

/**
 * The type of {@linkcode codes}: every status code HTTPX names, in upper
 * case (`OK`, `NOT_FOUND`) and in lower case (`ok`, `not_found`), plus the
 * lookup and classification helpers.
 *
 * @example Pass the table around
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 *
 * function describe(table: httpx.Codes, code: number): string {
 *   return table.isError(code)
 *     ? `error: ${table.getReasonPhrase(code)}`
 *     : "fine";
 * }
 * console.assert(
 *   describe(httpx.codes, httpx.codes.NOT_FOUND) === "error: Not Found",
 * );
 * console.assert(describe(httpx.codes, httpx.codes.ok) === "fine");
 * ```
 */
export interface Codes {
  /** 100 Continue */
  readonly CONTINUE: 100;
  /** 101 Switching Protocols */
  readonly SWITCHING_PROTOCOLS: 101;
  /** 102 Processing */
  readonly PROCESSING: 102;
  /** 103 Early Hints */
  readonly EARLY_HINTS: 103;
  /** 200 OK */
  readonly OK: 200;
  /** 201 Created */
  readonly CREATED: 201;
  /** 202 Accepted */
  readonly ACCEPTED: 202;
  /** 203 Non-Authoritative Information */
  readonly NON_AUTHORITATIVE_INFORMATION: 203;
  /** 204 No Content */
  readonly NO_CONTENT: 204;
  /** 205 Reset Content */
  readonly RESET_CONTENT: 205;
  /** 206 Partial Content */
  readonly PARTIAL_CONTENT: 206;
  /** 207 Multi-Status */
  readonly MULTI_STATUS: 207;
  /** 208 Already Reported */
  readonly ALREADY_REPORTED: 208;
  /** 226 IM Used */
  readonly IM_USED: 226;
  /** 300 Multiple Choices */
  readonly MULTIPLE_CHOICES: 300;
  /** 301 Moved Permanently */
  readonly MOVED_PERMANENTLY: 301;
  /** 302 Found */
  readonly FOUND: 302;
  /** 303 See Other */
  readonly SEE_OTHER: 303;
  /** 304 Not Modified */
  readonly NOT_MODIFIED: 304;
  /** 305 Use Proxy */
  readonly USE_PROXY: 305;
  /** 307 Temporary Redirect */
  readonly TEMPORARY_REDIRECT: 307;
  /** 308 Permanent Redirect */
  readonly PERMANENT_REDIRECT: 308;
  /** 400 Bad Request */
  readonly BAD_REQUEST: 400;
  /** 401 Unauthorized */
  readonly UNAUTHORIZED: 401;
  /** 402 Payment Required */
  readonly PAYMENT_REQUIRED: 402;
  /** 403 Forbidden */
  readonly FORBIDDEN: 403;
  /** 404 Not Found */
  readonly NOT_FOUND: 404;
  /** 405 Method Not Allowed */
  readonly METHOD_NOT_ALLOWED: 405;
  /** 406 Not Acceptable */
  readonly NOT_ACCEPTABLE: 406;
  /** 407 Proxy Authentication Required */
  readonly PROXY_AUTHENTICATION_REQUIRED: 407;
  /** 408 Request Timeout */
  readonly REQUEST_TIMEOUT: 408;
  /** 409 Conflict */
  readonly CONFLICT: 409;
  /** 410 Gone */
  readonly GONE: 410;
  /** 411 Length Required */
  readonly LENGTH_REQUIRED: 411;
  /** 412 Precondition Failed */
  readonly PRECONDITION_FAILED: 412;
  /** 413 Request Entity Too Large */
  readonly REQUEST_ENTITY_TOO_LARGE: 413;
  /** 414 Request-URI Too Long */
  readonly REQUEST_URI_TOO_LONG: 414;
  /** 415 Unsupported Media Type */
  readonly UNSUPPORTED_MEDIA_TYPE: 415;
  /** 416 Requested Range Not Satisfiable */
  readonly REQUESTED_RANGE_NOT_SATISFIABLE: 416;
  /** 417 Expectation Failed */
  readonly EXPECTATION_FAILED: 417;
  /** 418 I'm a teapot */
  readonly IM_A_TEAPOT: 418;
  /** 421 Misdirected Request */
  readonly MISDIRECTED_REQUEST: 421;
  /** 422 Unprocessable Entity */
  readonly UNPROCESSABLE_ENTITY: 422;
  /** 423 Locked */
  readonly LOCKED: 423;
  /** 424 Failed Dependency */
  readonly FAILED_DEPENDENCY: 424;
  /** 425 Too Early */
  readonly TOO_EARLY: 425;
  /** 426 Upgrade Required */
  readonly UPGRADE_REQUIRED: 426;
  /** 428 Precondition Required */
  readonly PRECONDITION_REQUIRED: 428;
  /** 429 Too Many Requests */
  readonly TOO_MANY_REQUESTS: 429;
  /** 431 Request Header Fields Too Large */
  readonly REQUEST_HEADER_FIELDS_TOO_LARGE: 431;
  /** 451 Unavailable For Legal Reasons */
  readonly UNAVAILABLE_FOR_LEGAL_REASONS: 451;
  /** 500 Internal Server Error */
  readonly INTERNAL_SERVER_ERROR: 500;
  /** 501 Not Implemented */
  readonly NOT_IMPLEMENTED: 501;
  /** 502 Bad Gateway */
  readonly BAD_GATEWAY: 502;
  /** 503 Service Unavailable */
  readonly SERVICE_UNAVAILABLE: 503;
  /** 504 Gateway Timeout */
  readonly GATEWAY_TIMEOUT: 504;
  /** 505 HTTP Version Not Supported */
  readonly HTTP_VERSION_NOT_SUPPORTED: 505;
  /** 506 Variant Also Negotiates */
  readonly VARIANT_ALSO_NEGOTIATES: 506;
  /** 507 Insufficient Storage */
  readonly INSUFFICIENT_STORAGE: 507;
  /** 508 Loop Detected */
  readonly LOOP_DETECTED: 508;
  /** 510 Not Extended */
  readonly NOT_EXTENDED: 510;
  /** 511 Network Authentication Required */
  readonly NETWORK_AUTHENTICATION_REQUIRED: 511;
  /** 100 Continue (lower-case alias) */
  readonly continue: 100;
  /** 101 Switching Protocols (lower-case alias) */
  readonly switching_protocols: 101;
  /** 102 Processing (lower-case alias) */
  readonly processing: 102;
  /** 103 Early Hints (lower-case alias) */
  readonly early_hints: 103;
  /** 200 OK (lower-case alias) */
  readonly ok: 200;
  /** 201 Created (lower-case alias) */
  readonly created: 201;
  /** 202 Accepted (lower-case alias) */
  readonly accepted: 202;
  /** 203 Non-Authoritative Information (lower-case alias) */
  readonly non_authoritative_information: 203;
  /** 204 No Content (lower-case alias) */
  readonly no_content: 204;
  /** 205 Reset Content (lower-case alias) */
  readonly reset_content: 205;
  /** 206 Partial Content (lower-case alias) */
  readonly partial_content: 206;
  /** 207 Multi-Status (lower-case alias) */
  readonly multi_status: 207;
  /** 208 Already Reported (lower-case alias) */
  readonly already_reported: 208;
  /** 226 IM Used (lower-case alias) */
  readonly im_used: 226;
  /** 300 Multiple Choices (lower-case alias) */
  readonly multiple_choices: 300;
  /** 301 Moved Permanently (lower-case alias) */
  readonly moved_permanently: 301;
  /** 302 Found (lower-case alias) */
  readonly found: 302;
  /** 303 See Other (lower-case alias) */
  readonly see_other: 303;
  /** 304 Not Modified (lower-case alias) */
  readonly not_modified: 304;
  /** 305 Use Proxy (lower-case alias) */
  readonly use_proxy: 305;
  /** 307 Temporary Redirect (lower-case alias) */
  readonly temporary_redirect: 307;
  /** 308 Permanent Redirect (lower-case alias) */
  readonly permanent_redirect: 308;
  /** 400 Bad Request (lower-case alias) */
  readonly bad_request: 400;
  /** 401 Unauthorized (lower-case alias) */
  readonly unauthorized: 401;
  /** 402 Payment Required (lower-case alias) */
  readonly payment_required: 402;
  /** 403 Forbidden (lower-case alias) */
  readonly forbidden: 403;
  /** 404 Not Found (lower-case alias) */
  readonly not_found: 404;
  /** 405 Method Not Allowed (lower-case alias) */
  readonly method_not_allowed: 405;
  /** 406 Not Acceptable (lower-case alias) */
  readonly not_acceptable: 406;
  /** 407 Proxy Authentication Required (lower-case alias) */
  readonly proxy_authentication_required: 407;
  /** 408 Request Timeout (lower-case alias) */
  readonly request_timeout: 408;
  /** 409 Conflict (lower-case alias) */
  readonly conflict: 409;
  /** 410 Gone (lower-case alias) */
  readonly gone: 410;
  /** 411 Length Required (lower-case alias) */
  readonly length_required: 411;
  /** 412 Precondition Failed (lower-case alias) */
  readonly precondition_failed: 412;
  /** 413 Request Entity Too Large (lower-case alias) */
  readonly request_entity_too_large: 413;
  /** 414 Request-URI Too Long (lower-case alias) */
  readonly request_uri_too_long: 414;
  /** 415 Unsupported Media Type (lower-case alias) */
  readonly unsupported_media_type: 415;
  /** 416 Requested Range Not Satisfiable (lower-case alias) */
  readonly requested_range_not_satisfiable: 416;
  /** 417 Expectation Failed (lower-case alias) */
  readonly expectation_failed: 417;
  /** 418 I'm a teapot (lower-case alias) */
  readonly im_a_teapot: 418;
  /** 421 Misdirected Request (lower-case alias) */
  readonly misdirected_request: 421;
  /** 422 Unprocessable Entity (lower-case alias) */
  readonly unprocessable_entity: 422;
  /** 423 Locked (lower-case alias) */
  readonly locked: 423;
  /** 424 Failed Dependency (lower-case alias) */
  readonly failed_dependency: 424;
  /** 425 Too Early (lower-case alias) */
  readonly too_early: 425;
  /** 426 Upgrade Required (lower-case alias) */
  readonly upgrade_required: 426;
  /** 428 Precondition Required (lower-case alias) */
  readonly precondition_required: 428;
  /** 429 Too Many Requests (lower-case alias) */
  readonly too_many_requests: 429;
  /** 431 Request Header Fields Too Large (lower-case alias) */
  readonly request_header_fields_too_large: 431;
  /** 451 Unavailable For Legal Reasons (lower-case alias) */
  readonly unavailable_for_legal_reasons: 451;
  /** 500 Internal Server Error (lower-case alias) */
  readonly internal_server_error: 500;
  /** 501 Not Implemented (lower-case alias) */
  readonly not_implemented: 501;
  /** 502 Bad Gateway (lower-case alias) */
  readonly bad_gateway: 502;
  /** 503 Service Unavailable (lower-case alias) */
  readonly service_unavailable: 503;
  /** 504 Gateway Timeout (lower-case alias) */
  readonly gateway_timeout: 504;
  /** 505 HTTP Version Not Supported (lower-case alias) */
  readonly http_version_not_supported: 505;
  /** 506 Variant Also Negotiates (lower-case alias) */
  readonly variant_also_negotiates: 506;
  /** 507 Insufficient Storage (lower-case alias) */
  readonly insufficient_storage: 507;
  /** 508 Loop Detected (lower-case alias) */
  readonly loop_detected: 508;
  /** 510 Not Extended (lower-case alias) */
  readonly not_extended: 510;
  /** 511 Network Authentication Required (lower-case alias) */
  readonly network_authentication_required: 511;
  /** The reason phrase of a status code (`"Not Found"`), or `""` when unknown. */
  getReasonPhrase(code: number): string;
  /** 1xx: informational. */
  isInformational(code: number): boolean;
  /** 2xx: success. */
  isSuccess(code: number): boolean;
  /** 3xx: redirection. */
  isRedirect(code: number): boolean;
  /** 4xx: client error. */
  isClientError(code: number): boolean;
  /** 5xx: server error. */
  isServerError(code: number): boolean;
  /** 4xx or 5xx. */
  isError(code: number): boolean;
}

const PHRASES: ReadonlyMap<number, string> = new Map([
  [100, "Continue"],
  [101, "Switching Protocols"],
  [102, "Processing"],
  [103, "Early Hints"],
  [200, "OK"],
  [201, "Created"],
  [202, "Accepted"],
  [203, "Non-Authoritative Information"],
  [204, "No Content"],
  [205, "Reset Content"],
  [206, "Partial Content"],
  [207, "Multi-Status"],
  [208, "Already Reported"],
  [226, "IM Used"],
  [300, "Multiple Choices"],
  [301, "Moved Permanently"],
  [302, "Found"],
  [303, "See Other"],
  [304, "Not Modified"],
  [305, "Use Proxy"],
  [307, "Temporary Redirect"],
  [308, "Permanent Redirect"],
  [400, "Bad Request"],
  [401, "Unauthorized"],
  [402, "Payment Required"],
  [403, "Forbidden"],
  [404, "Not Found"],
  [405, "Method Not Allowed"],
  [406, "Not Acceptable"],
  [407, "Proxy Authentication Required"],
  [408, "Request Timeout"],
  [409, "Conflict"],
  [410, "Gone"],
  [411, "Length Required"],
  [412, "Precondition Failed"],
  [413, "Request Entity Too Large"],
  [414, "Request-URI Too Long"],
  [415, "Unsupported Media Type"],
  [416, "Requested Range Not Satisfiable"],
  [417, "Expectation Failed"],
  [418, "I'm a teapot"],
  [421, "Misdirected Request"],
  [422, "Unprocessable Entity"],
  [423, "Locked"],
  [424, "Failed Dependency"],
  [425, "Too Early"],
  [426, "Upgrade Required"],
  [428, "Precondition Required"],
  [429, "Too Many Requests"],
  [431, "Request Header Fields Too Large"],
  [451, "Unavailable For Legal Reasons"],
  [500, "Internal Server Error"],
  [501, "Not Implemented"],
  [502, "Bad Gateway"],
  [503, "Service Unavailable"],
  [504, "Gateway Timeout"],
  [505, "HTTP Version Not Supported"],
  [506, "Variant Also Negotiates"],
  [507, "Insufficient Storage"],
  [508, "Loop Detected"],
  [510, "Not Extended"],
  [511, "Network Authentication Required"],
]);

const NAMES: ReadonlyArray<readonly [string, number]> = [
  ["CONTINUE", 100],
  ["SWITCHING_PROTOCOLS", 101],
  ["PROCESSING", 102],
  ["EARLY_HINTS", 103],
  ["OK", 200],
  ["CREATED", 201],
  ["ACCEPTED", 202],
  ["NON_AUTHORITATIVE_INFORMATION", 203],
  ["NO_CONTENT", 204],
  ["RESET_CONTENT", 205],
  ["PARTIAL_CONTENT", 206],
  ["MULTI_STATUS", 207],
  ["ALREADY_REPORTED", 208],
  ["IM_USED", 226],
  ["MULTIPLE_CHOICES", 300],
  ["MOVED_PERMANENTLY", 301],
  ["FOUND", 302],
  ["SEE_OTHER", 303],
  ["NOT_MODIFIED", 304],
  ["USE_PROXY", 305],
  ["TEMPORARY_REDIRECT", 307],
  ["PERMANENT_REDIRECT", 308],
  ["BAD_REQUEST", 400],
  ["UNAUTHORIZED", 401],
  ["PAYMENT_REQUIRED", 402],
  ["FORBIDDEN", 403],
  ["NOT_FOUND", 404],
  ["METHOD_NOT_ALLOWED", 405],
  ["NOT_ACCEPTABLE", 406],
  ["PROXY_AUTHENTICATION_REQUIRED", 407],
  ["REQUEST_TIMEOUT", 408],
  ["CONFLICT", 409],
  ["GONE", 410],
  ["LENGTH_REQUIRED", 411],
  ["PRECONDITION_FAILED", 412],
  ["REQUEST_ENTITY_TOO_LARGE", 413],
  ["REQUEST_URI_TOO_LONG", 414],
  ["UNSUPPORTED_MEDIA_TYPE", 415],
  ["REQUESTED_RANGE_NOT_SATISFIABLE", 416],
  ["EXPECTATION_FAILED", 417],
  ["IM_A_TEAPOT", 418],
  ["MISDIRECTED_REQUEST", 421],
  ["UNPROCESSABLE_ENTITY", 422],
  ["LOCKED", 423],
  ["FAILED_DEPENDENCY", 424],
  ["TOO_EARLY", 425],
  ["UPGRADE_REQUIRED", 426],
  ["PRECONDITION_REQUIRED", 428],
  ["TOO_MANY_REQUESTS", 429],
  ["REQUEST_HEADER_FIELDS_TOO_LARGE", 431],
  ["UNAVAILABLE_FOR_LEGAL_REASONS", 451],
  ["INTERNAL_SERVER_ERROR", 500],
  ["NOT_IMPLEMENTED", 501],
  ["BAD_GATEWAY", 502],
  ["SERVICE_UNAVAILABLE", 503],
  ["GATEWAY_TIMEOUT", 504],
  ["HTTP_VERSION_NOT_SUPPORTED", 505],
  ["VARIANT_ALSO_NEGOTIATES", 506],
  ["INSUFFICIENT_STORAGE", 507],
  ["LOOP_DETECTED", 508],
  ["NOT_EXTENDED", 510],
  ["NETWORK_AUTHENTICATION_REQUIRED", 511],
];

function buildCodes(): Codes {
  const table: Record<string, unknown> = {};
  for (const [name, value] of NAMES) {
    table[name] = value;
    table[name.toLowerCase()] = value;
  }
  table.getReasonPhrase = (code: number): string => PHRASES.get(code) ?? "";
  table.isInformational = (code: number): boolean => code >= 100 && code <= 199;
  table.isSuccess = (code: number): boolean => code >= 200 && code <= 299;
  table.isRedirect = (code: number): boolean => code >= 300 && code <= 399;
  table.isClientError = (code: number): boolean => code >= 400 && code <= 499;
  table.isServerError = (code: number): boolean => code >= 500 && code <= 599;
  table.isError = (code: number): boolean => code >= 400 && code <= 599;
  return Object.freeze(table) as unknown as Codes;
}

/**
 * HTTP status codes by name, with their reason phrases and the range
 * predicates HTTPX has. Frozen.
 *
 * @example Look up codes and phrases
 * ```ts
 * import * as httpx from "jsr:@x/httpx";
 * console.assert(httpx.codes.NOT_FOUND === 404);
 * console.assert(httpx.codes.not_found === 404);
 * console.assert(httpx.codes.getReasonPhrase(418) === "I'm a teapot");
 * console.assert(httpx.codes.isClientError(httpx.codes.NOT_FOUND));
 * ```
 */
export const codes: Codes = buildCodes();
