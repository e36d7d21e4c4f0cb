import { createHash, createPublicKey, verify } from "node:crypto";
import { z } from "zod";
import { encodeFields } from "@/lib/audit/canonical-encoding";
import { publicKeyId, type SignedCheckpoint, verifyCheckpointSignature } from "@/lib/audit/verify-checkpoint";

// The signed manifest of a rotation report: the file's SHA-256, its row count and filters, signed with
// the audit signing key (Ed25519) together with a checkpoint of the audit chain's head taken when the
// report started, which holds the event recording the download. Read by the verifier and the CLI, so
// no server-only here.

export const ROTATION_REPORT_TAG = "sealdeck.rotation.report.v1";
export const ROTATION_REPORT_FORMATS = ["csv", "json"] as const;
export type RotationReportFormat = (typeof ROTATION_REPORT_FORMATS)[number];

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

export const rotationReportManifestSchema = z.object({
  version: z.literal(1),
  kind: z.literal("rotation-report"),
  format: z.enum(ROTATION_REPORT_FORMATS),
  reportId: z.uuid(),
  /** When the schedule was computed: every status and due date in the file is relative to it. */
  generatedAt: z.string(),
  exportedAt: z.string(),
  filters: z.record(z.string(), z.string()),
  count: z.number().int().nonnegative(),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  checkpoint: checkpointSchema,
  signature: z.string(),
});
export type RotationReportManifest = z.infer<typeof rotationReportManifestSchema>;

const canonicalFilters = (filters: Record<string, string>) =>
  JSON.stringify(
    Object.fromEntries(Object.entries(filters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );

/** The bytes the signature covers: every field in order, ending with the checkpoint's signature. */
export function encodeRotationReportManifest(manifest: Omit<RotationReportManifest, "signature">): Buffer {
  return encodeFields([
    ROTATION_REPORT_TAG,
    String(manifest.version),
    manifest.kind,
    manifest.format,
    manifest.reportId,
    manifest.generatedAt,
    manifest.exportedAt,
    canonicalFilters(manifest.filters),
    String(manifest.count),
    manifest.fileSha256,
    manifest.checkpoint.signature,
  ]);
}

export type RotationReportCheck = { ok: boolean; reason?: string };

/**
 * Checks a report file against its manifest: the file's hash, the manifest's signature and the
 * checkpoint's, by the checkpoint's key or, better, by a pinned one (`trustedPublicKeyPem`).
 */
export function verifyRotationReport(
  file: Buffer,
  manifest: RotationReportManifest,
  trustedPublicKeyPem?: string,
): RotationReportCheck {
  if (createHash("sha256").update(file).digest("hex") !== manifest.fileSha256)
    return { ok: false, reason: "the file does not match the manifest (SHA-256 differs)" };
  try {
    const key = createPublicKey(trustedPublicKeyPem ?? manifest.checkpoint.publicKey);
    if (publicKeyId(key) !== manifest.checkpoint.keyId)
      return { ok: false, reason: "the manifest was signed by another key" };
    const { signature, ...unsigned } = manifest;
    if (!verify(null, encodeRotationReportManifest(unsigned), key, Buffer.from(signature, "base64")))
      return { ok: false, reason: "the manifest signature does not verify" };
  } catch {
    return { ok: false, reason: "the public key cannot be read" };
  }
  const checkpoint = verifyCheckpointSignature(manifest.checkpoint, trustedPublicKeyPem);
  if (!checkpoint.ok)
    return { ok: false, reason: `the checkpoint: ${checkpoint.reason ?? "does not verify"}` };
  return { ok: true };
}
