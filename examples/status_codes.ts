/**
 * Status codes: `statusCode`, `httpx.codes`, the `is…` predicates and
 * `raiseForStatus()`.
 *
 * Seeds: 000 "상태코드" (`httpx.codes.OK`, `raise_for_status`), 001
 * "Responses", 002 "에러 처리" (`raise_for_status`).
 *
 * @module
 */

import * as httpx from "../mod.ts";
import { runExample } from "./_main.ts";

/** Compare status codes and raise for error responses. */
export async function main(baseUrl: string): Promise<void> {
  const r = await httpx.get(`${baseUrl}/get`);
  console.log("status:", r.statusCode);
  console.log(
    "r.statusCode === httpx.codes.OK:",
    r.statusCode === httpx.codes.OK,
  );
  console.log("codes.CREATED:", httpx.codes.CREATED);
  console.log("codes.not_found:", httpx.codes.not_found);
  console.log("reason of 418:", httpx.codes.getReasonPhrase(418));
  // raiseForStatus() returns the response when it is a 2xx, so it chains.
  console.log("chained:", r.raiseForStatus().json<{ url: string }>() !== null);

  // not_found = httpx.get('https://httpbin.org/status/404')
  const notFound = await httpx.get(`${baseUrl}/status/404`);
  console.log("status:", notFound.statusCode, notFound.reasonPhrase);
  console.log(
    "isClientError:",
    notFound.isClientError,
    "isError:",
    notFound.isError,
    "isSuccess:",
    notFound.isSuccess,
  );
  try {
    notFound.raiseForStatus();
  } catch (error) {
    if (!(error instanceof httpx.HTTPStatusError)) throw error;
    console.log(`${error.name}: ${error.message}`);
    console.log("error.response.statusCode:", error.response.statusCode);
    console.log("error.request.url:", String(error.request.url));
  }

  // A redirect is not a success either: the message names its location.
  const moved = await httpx.get(`${baseUrl}/status/301`);
  try {
    moved.raiseForStatus();
  } catch (error) {
    if (!(error instanceof httpx.HTTPStatusError)) throw error;
    console.log(`${error.name}: ${error.message}`);
  }

  // A few more codes.
  for (const code of [201, 204, 418, 500, 503]) {
    const response = await httpx.get(`${baseUrl}/status/${code}`);
    console.log(code, response.reasonPhrase, {
      isSuccess: response.isSuccess,
      isServerError: response.isServerError,
    });
  }
}

if (import.meta.main) await runExample(main);
