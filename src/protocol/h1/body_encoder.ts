/**
 * Request body framing: which framing the request headers ask for, and an
 * encoder that frames the body chunks and checks their length.
 *
 * @module
 */

import { LocalProtocolError } from "../../errors.ts";
import { encodeChunk, encodeChunkInto, LAST_CHUNK } from "./chunked_encoder.ts";

/** How a request body is delimited on the wire. */
export type BodyFraming =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" };

const NO_BODY: BodyFraming = Object.freeze({ kind: "none" });
const CHUNKED: BodyFraming = Object.freeze({ kind: "chunked" });

/**
 * The framing that the request headers declare: `Transfer-Encoding: chunked`,
 * `Content-Length: n`, or neither (no body).
 *
 * @param headers The request headers as sent.
 * @returns The framing to use.
 * @throws {LocalProtocolError} For both headers at once, a transfer coding
 * other than a final `chunked`, or a bad or conflicting `Content-Length`.
 */
export function requestBodyFraming(
  headers: ReadonlyArray<readonly [string, string]>,
): BodyFraming {
  let length: number | null = null;
  let chunked = false;
  let transferEncoding = false;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    if (name.length !== 14 && name.length !== 17) continue;
    const lower = name.toLowerCase();
    if (lower === "content-length") {
      for (const part of headers[i][1].split(",")) {
        const text = part.trim();
        if (!/^[0-9]{1,15}$/.test(text)) {
          throw new LocalProtocolError(
            `Invalid Content-Length ${JSON.stringify(headers[i][1])}`,
          );
        }
        const value = Number(text);
        if (length !== null && length !== value) {
          throw new LocalProtocolError("Conflicting Content-Length headers");
        }
        length = value;
      }
    } else if (lower === "transfer-encoding") {
      transferEncoding = true;
      const codings = headers[i][1].split(",").map((c) =>
        c.trim().toLowerCase()
      ).filter((c) => c !== "");
      chunked = codings.length > 0 && codings[codings.length - 1] === "chunked";
      if (!chunked) {
        throw new LocalProtocolError(
          `Unsupported Transfer-Encoding ${JSON.stringify(headers[i][1])}`,
        );
      }
    }
  }
  if (transferEncoding) {
    if (length !== null) {
      throw new LocalProtocolError(
        "Content-Length and Transfer-Encoding cannot both be sent",
      );
    }
    return CHUNKED;
  }
  if (length !== null) return { kind: "length", length };
  return NO_BODY;
}

/**
 * Frames request body chunks for the wire and checks that the body matches
 * its declared length.
 */
export class BodyEncoder {
  /** The framing in use. */
  readonly framing: BodyFraming;
  #sent = 0;

  /**
   * Start encoding one body.
   *
   * @param framing From {@linkcode requestBodyFraming}.
   */
  constructor(framing: BodyFraming) {
    this.framing = framing;
  }

  /** Bytes of body data accepted so far. */
  get bytesSent(): number {
    return this.#sent;
  }

  /**
   * The pieces to write for one body chunk (`chunk` itself for a
   * length-delimited body; never copied except small chunked chunks).
   *
   * @throws {LocalProtocolError} When the chunk goes past the declared length.
   */
  encode(chunk: Uint8Array): Uint8Array[] {
    const framing = this.framing;
    if (framing.kind === "chunked") {
      this.#sent += chunk.length;
      return encodeChunk(chunk);
    }
    const limit = framing.kind === "length" ? framing.length : 0;
    if (this.#sent + chunk.length > limit) {
      throw new LocalProtocolError(
        "Too much data for declared Content-Length",
      );
    }
    this.#sent += chunk.length;
    return chunk.length === 0 ? [] : [chunk];
  }

  /**
   * For a chunked body: `chunk` framed into `scratch` (a view of its start
   * is returned), when it fits; `null` otherwise (and for other framings,
   * and empty chunks), and then nothing is counted: use `encode()`.
   */
  encodeInto(chunk: Uint8Array, scratch: Uint8Array): Uint8Array | null {
    if (this.framing.kind !== "chunked" || chunk.length === 0) return null;
    const n = encodeChunkInto(chunk, scratch);
    if (n < 0) return null;
    this.#sent += chunk.length;
    return scratch.subarray(0, n);
  }

  /**
   * What to write after the last chunk: the last chunk marker for a chunked
   * body, nothing otherwise.
   *
   * @throws {LocalProtocolError} When fewer bytes than the declared length
   * were given.
   */
  finish(): Uint8Array | null {
    const framing = this.framing;
    if (framing.kind === "chunked") return LAST_CHUNK;
    if (framing.kind === "length" && this.#sent !== framing.length) {
      throw new LocalProtocolError(
        `Too little data for declared Content-Length: sent ${this.#sent} bytes, expected ${framing.length}`,
      );
    }
    return null;
  }
}
