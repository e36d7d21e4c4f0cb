// What an audit evidence bundle holds, shared by the server that writes it and the CLI that verifies
// it. One ZIP download: the export file, its signed manifest, the audit public key, and a README that
// says how to check them. ZIP because any operating system opens it, so each piece stays usable on its
// own (`sealdeck audit verify FILE --manifest M --public-key K`), and because it can be written while
// the export streams, so an export of millions of events is never held in memory.

export const BUNDLE_PUBLIC_KEY_NAME = "audit-public-key.pem";
export const BUNDLE_README_NAME = "README.txt";
export const MANIFEST_SUFFIX = ".manifest.json";

/** `sealdeck-audit-20261123T150102Z-1a2b3c4d.csv` → `sealdeck-audit-20261123T150102Z-1a2b3c4d.csv.zip`. */
export const bundleFileName = (exportFileName: string) => `${exportFileName}.zip`;

/** `aa11bb22…` (64 hex digits) as eight groups of eight, the way Settings and the Audit page show it. */
export function formatKeyFingerprint(keyId: string): string {
  return (keyId.match(/.{1,8}/g) ?? []).join(" ");
}

export function bundleReadme(exportFileName: string, keyId: string): string {
  return `Sealdeck audit evidence bundle

${exportFileName}
    the exported audit events (each with its hash and the previous event's hash)
${exportFileName}${MANIFEST_SUFFIX}
    the signed manifest: filters, event count, first and last hashes, the file's SHA-256 and the
    signed checkpoint of the audit log's head when the export started
${BUNDLE_PUBLIC_KEY_NAME}
    the Ed25519 public key that signed the manifest, SHA-256 fingerprint (of its SPKI DER form):
    ${formatKeyFingerprint(keyId)}

Verify, keeping the bundle as downloaded:
    npx sealdeck audit verify ${bundleFileName(exportFileName)}
Compare the fingerprint it prints with the one Sealdeck shows under Settings -> Audit and on the Audit
page, or pin a copy of the key you obtained separately:
    npx sealdeck audit verify ${bundleFileName(exportFileName)} --public-key trusted-audit-key.pem
A key inside the bundle proves integrity only; who signed is proven by a key you trust from elsewhere.
`;
}
