/**
 * The error every HPACK failure raises.
 *
 * @module
 */

/**
 * A header block could not be decoded (or a header list could not be
 * encoded). On the decoding side the HPACK context is out of step with the
 * peer afterwards, so an HTTP/2 connection must end with `COMPRESSION_ERROR`.
 */
export class CompressionError extends Error {
  override get name(): string {
    return this.constructor.name;
  }
}

/**
 * The decoded header list is larger than the decoder's
 * `maxHeaderListSize` (name + value + 32 octets per field).
 */
export class OversizedHeaderListError extends CompressionError {}
