// Isomorphic (runs in the browser): the restore check reads a key backup's certificate where the user
// pasted it, so the backup's private key never leaves the page. No server module may be imported here.
import { parseAllDocuments } from "yaml";
import { parseCertificate } from "@/lib/sealing/parse-certificate";

const PRIVATE_KEY_BLOCK = /-----BEGIN (?:RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/;
const CERTIFICATE_BLOCKS = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export class BackupCheckError extends Error {}

export type BackupCertificateMatch = {
  publicKeySha256: string;
  fingerprintSha256: string;
  notAfter: string;
  /** missing: a key the affected SealedSecrets were sealed with; previous: one this controller served before. */
  match: "missing" | "previous" | "current" | "none";
};

export type KeysToMatch = {
  missing: readonly string[];
  previous: readonly string[];
  current: string | null;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `tls.crt` of each Secret in a backup (a Secret, or the `kind: List` kubectl writes); `tls.key` is never read. */
function certificatesFromYaml(text: string): string[] {
  const found: string[] = [];
  const visit = (object: unknown) => {
    if (!isRecord(object)) return;
    if (object.kind === "List" && Array.isArray(object.items)) object.items.forEach(visit);
    if (object.kind === "Secret" && isRecord(object.data) && typeof object.data["tls.crt"] === "string")
      found.push(atob(object.data["tls.crt"].replace(/\s+/g, "")));
  };
  for (const document of parseAllDocuments(text)) {
    if (!("errors" in document) || document.errors.length > 0)
      throw new BackupCheckError(
        "This is neither a PEM certificate nor a key backup YAML Sealdeck can read.",
      );
    visit(document.toJS());
  }
  return found;
}

/**
 * The certificates of a key backup the user provides (PEM certificates, or the backup YAML of which only
 * `tls.crt` is read), each compared with the keys an incident misses. Refuses any input holding a PEM
 * private key: the check needs the certificate only, and a private key has no place on this page.
 */
export async function checkBackupCertificate(
  input: string,
  keys: KeysToMatch,
): Promise<BackupCertificateMatch[]> {
  if (PRIVATE_KEY_BLOCK.test(input))
    throw new BackupCheckError(
      "This holds a PRIVATE KEY. Paste the certificate only (the BEGIN CERTIFICATE block, or the backup YAML whose tls.crt is read here); keep the private key out of the browser.",
    );
  const pems = input.includes("-----BEGIN CERTIFICATE-----")
    ? (input.match(CERTIFICATE_BLOCKS) ?? [])
    : certificatesFromYaml(input);
  if (pems.length === 0)
    throw new BackupCheckError(
      "No certificate found: paste a BEGIN CERTIFICATE block or the key backup YAML.",
    );
  const results: BackupCertificateMatch[] = [];
  for (const pem of pems) {
    if (PRIVATE_KEY_BLOCK.test(pem))
      throw new BackupCheckError("A tls.crt of this backup holds a PRIVATE KEY; paste the certificate only.");
    const info = await parseCertificate(pem, { allowExpired: true });
    const sha = info.publicKeySha256;
    results.push({
      publicKeySha256: sha,
      fingerprintSha256: info.fingerprintSha256,
      notAfter: info.notAfter.toISOString(),
      match: keys.missing.includes(sha)
        ? "missing"
        : sha === keys.current
          ? "current"
          : keys.previous.includes(sha)
            ? "previous"
            : "none",
    });
  }
  return results;
}
