/**
 * Hash functions for Digest authentication. MD5, SHA-1 and SHA-512/256 have
 * no Web Crypto counterpart, so `node:crypto` is loaded on first use (never
 * at module load, so code that never uses Digest stays portable).
 *
 * @module
 */

/** Hashes bytes and returns lower-case hex. */
export type HashFunction = (data: Uint8Array) => string;

interface NodeCrypto {
  createHash(algorithm: string): {
    update(data: Uint8Array): { digest(encoding: "hex"): string };
  };
}

let nodeCrypto: Promise<NodeCrypto> | undefined;

function loadNodeCrypto(): Promise<NodeCrypto> {
  nodeCrypto ??= import("node:crypto").then((module) =>
    module as unknown as NodeCrypto
  ).catch((error) => {
    nodeCrypto = undefined;
    throw error;
  });
  return nodeCrypto;
}

const NODE_NAMES: Record<string, string> = {
  "MD5": "md5",
  "SHA": "sha1",
  "SHA-256": "sha256",
  "SHA-512": "sha512",
  "SHA-512-256": "sha512-256",
};

/**
 * The hash function of a Digest algorithm (`-sess` variants use the same
 * hash as their base).
 *
 * @param algorithm A Digest algorithm name, any case.
 * @returns A synchronous hash function.
 */
export async function digestHash(algorithm: string): Promise<HashFunction> {
  const base = algorithm.toUpperCase().replace(/-SESS$/, "");
  const name = NODE_NAMES[base];
  if (name === undefined) {
    throw new TypeError(`Unsupported Digest algorithm ${algorithm}`);
  }
  const crypto = await loadNodeCrypto();
  return (data) => crypto.createHash(name).update(data).digest("hex");
}
