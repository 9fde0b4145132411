/**
 * CA certificates from `SSL_CERT_FILE` / `SSL_CERT_DIR`, read only where
 * the permissions to do so are already granted (never prompting).
 *
 * @module
 */

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The PEM certificates in `text`, each as one string. */
export function pemCertificates(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  try {
    return Deno.permissions.querySync(descriptor).state === "granted";
  } catch {
    return false;
  }
}

function envValue(name: string): string | undefined {
  if (!granted({ name: "env", variable: name })) return undefined;
  const value = Deno.env.get(name);
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The CA certificates `SSL_CERT_FILE` (a PEM bundle) or else `SSL_CERT_DIR`
 * (a folder of PEM files) name, as HTTPX reads them under `trustEnv`; `null`
 * when neither is set or readable with the permissions granted.
 *
 * @throws {Error} When the variable is set and may be read but names no
 * certificates.
 */
export function caCertsFromEnv(): string[] | null {
  const file = envValue("SSL_CERT_FILE");
  if (file !== undefined) {
    if (!granted({ name: "read", path: file })) return null;
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch (error) {
      throw new Error(
        `Cannot read the CA certificates in SSL_CERT_FILE (${file}): ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    const certs = pemCertificates(text);
    if (certs.length === 0) {
      throw new Error(
        `SSL_CERT_FILE (${file}) has no PEM certificate`,
      );
    }
    return certs;
  }
  const dir = envValue("SSL_CERT_DIR");
  if (dir !== undefined) {
    if (!granted({ name: "read", path: dir })) return null;
    const certs: string[] = [];
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.isDirectory) continue;
        let text: string;
        try {
          text = Deno.readTextFileSync(`${dir}/${entry.name}`);
        } catch {
          continue; // unreadable or a dangling link: skip it
        }
        certs.push(...pemCertificates(text));
      }
    } catch (error) {
      throw new Error(
        `Cannot read the CA certificates in SSL_CERT_DIR (${dir}): ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    }
    // Hashed links (`abcd1234.0`) repeat certificates: keep each once.
    return certs.length > 0 ? [...new Set(certs)] : null;
  }
  return null;
}
