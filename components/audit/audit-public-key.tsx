import { formatKeyFingerprint } from "@/lib/audit/bundle/audit-bundle-layout";

type AuditPublicKeyProps = { keyId: string; publicKeyPem: string; className?: string };

/**
 * The key that signs audit checkpoints and export manifests, with its SHA-256 fingerprint: what an
 * auditor compares with the fingerprint `sealdeck audit verify` prints for a bundle, or saves to pin.
 */
export function AuditPublicKey({ keyId, publicKeyPem, className = "" }: AuditPublicKeyProps) {
  return (
    <section
      aria-labelledby="audit-public-key-title"
      className={`rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      <h2 id="audit-public-key-title" className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">
        Audit signing key
      </h2>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        Ed25519 key that signs checkpoints and export manifests. Fingerprint (SHA-256):
      </p>
      <p className="mt-1 font-mono text-xs break-all" data-testid="audit-key-fingerprint">
        {formatKeyFingerprint(keyId)}
      </p>
      <details className="mt-2">
        <summary className="cursor-pointer font-medium text-sky-700 underline dark:text-sky-400">
          Show the public key (PEM)
        </summary>
        <pre className="mt-2 rounded bg-zinc-100 p-2 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-950">
          {publicKeyPem}
        </pre>
        <a
          href={`data:application/x-pem-file;charset=utf-8,${encodeURIComponent(publicKeyPem)}`}
          download="audit-public-key.pem"
          className="mt-1 inline-block font-medium text-sky-700 underline dark:text-sky-400"
        >
          Download audit-public-key.pem
        </a>
      </details>
    </section>
  );
}
