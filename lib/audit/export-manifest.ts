import { createPublicKey, verify } from "node:crypto";
import { z } from "zod";
import { encodeFields } from "./canonical-encoding";
import { EXPORT_FORMATS } from "./export-formats";
import { publicKeyId, type SignedCheckpoint } from "./verify-checkpoint";

// The manifest written beside every export, and its signature. Read by the offline verifier, so no
// server-only here.

export const MANIFEST_ENCODING_TAG = "sealdeck.audit.export.v1";

const checkpointSchema = z.object({
  seq: z.string().regex(/^\d+$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  headTime: z.string().nullable(),
  createdAt: z.string(),
  prevSignature: z.string().nullable(),
  signature: z.string(),
  keyId: z.string(),
  publicKey: z.string(),
}) satisfies z.ZodType<SignedCheckpoint>;

export const exportManifestSchema = z.object({
  /** 2 since CSV cells are neutralised against spreadsheet formulas; 1 before (read as written). */
  version: z.union([z.literal(1), z.literal(2)]),
  format: z.enum(EXPORT_FORMATS),
  exportedAt: z.string(),
  /** The filters as given (validated AuditFilters). */
  filters: z.record(z.string(), z.string()),
  /** True when no filter applied: the file then holds every event from #1 to lastSeq. */
  contiguous: z.boolean(),
  count: z.number().int().nonnegative(),
  firstSeq: z.string().nullable(),
  lastSeq: z.string().nullable(),
  firstPrevHash: z.string().nullable(),
  lastHash: z.string().nullable(),
  /** Hex SHA-256 of the export file's bytes. */
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The head signed when the export started; the export holds no event after it. */
  checkpoint: checkpointSchema,
  /** Ed25519 (the checkpoint's key) over encodeManifest(), base64. */
  signature: z.string(),
});

export type ExportManifest = z.infer<typeof exportManifestSchema>;

/** Filters as canonical JSON: keys sorted, so the same filters always encode the same. */
function canonicalFilters(filters: Record<string, string>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );
}

/**
 * The bytes a manifest signature covers: {@link encodeFields} of the tag and every manifest field in
 * declaration order (numbers and booleans as text, filters as sorted-key JSON), ending with the
 * checkpoint's signature, which binds the export to the chain head it was taken from.
 */
export function encodeManifest(manifest: Omit<ExportManifest, "signature">): Buffer {
  return encodeFields([
    MANIFEST_ENCODING_TAG,
    String(manifest.version),
    manifest.format,
    manifest.exportedAt,
    canonicalFilters(manifest.filters),
    String(manifest.contiguous),
    String(manifest.count),
    manifest.firstSeq,
    manifest.lastSeq,
    manifest.firstPrevHash,
    manifest.lastHash,
    manifest.fileSha256,
    manifest.checkpoint.signature,
  ]);
}

/** Checks the manifest's own signature with the checkpoint's key (or the pinned one). */
export function verifyManifestSignature(
  manifest: ExportManifest,
  trustedPublicKeyPem?: string,
): { ok: boolean; reason?: string } {
  try {
    const key = createPublicKey(trustedPublicKeyPem ?? manifest.checkpoint.publicKey);
    if (publicKeyId(key) !== manifest.checkpoint.keyId)
      return { ok: false, reason: "the manifest was signed by another key" };
    const { signature, ...unsigned } = manifest;
    return verify(null, encodeManifest(unsigned), key, Buffer.from(signature, "base64"))
      ? { ok: true }
      : { ok: false, reason: "the manifest signature does not verify" };
  } catch {
    return { ok: false, reason: "the public key cannot be read" };
  }
}
