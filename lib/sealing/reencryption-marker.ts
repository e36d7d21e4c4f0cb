import { z } from "zod";

import { SEALED_WITH_ANNOTATION } from "./sealed-secret-manifest";

/**
 * Marks a SealedSecret whose ciphertexts Sealdeck re-encrypted with a newer key (the controller's
 * `/v1/rotate`): the values did not change, so the watcher and the Git history backfill must not count
 * the new ciphertexts as rotations.
 *
 * The marker names the key move (`from` → `to`) and the SHA-256 of every ciphertext the re-encryption
 * wrote (the same hash observed_rotations and git_key_changes keep). A key counts as re-encrypted only
 * while its ciphertext is exactly the one listed: a later rotation of that key (sealed with any key, by
 * Sealdeck or kubeseal, even in the same sync as the re-encryption) no longer matches and is a rotation,
 * even though the annotation stays in the file. `to` must also equal `sealdeck.io/sealed-with`.
 */
export const REENCRYPTION_ANNOTATION = "sealdeck.io/reencryption";

/** The commit trailer of a re-encryption commit: `Sealdeck-Reencryption: <cluster> <new key>`. */
export const REENCRYPTION_TRAILER = "Sealdeck-Reencryption";

const fingerprint = z.string().regex(/^[0-9a-f]{64}$/);

const markerSchema = z.object({
  /** The key that sealed the values before (hex SHA-256 of its SPKI), or null when it was unknown. */
  from: fingerprint.nullable(),
  to: fingerprint,
  /** key → hex SHA-256 of the ciphertext string the re-encryption wrote. */
  sha256: z.record(z.string().min(1).max(253), fingerprint),
});

export type ReencryptionMarker = z.infer<typeof markerSchema>;

/** The annotation's value: compact JSON, keys sorted so the same re-encryption writes the same bytes. */
export function formatReencryptionMarker(marker: ReencryptionMarker): string {
  const sha256 = Object.fromEntries(
    Object.keys(marker.sha256)
      .sort()
      .map((k) => [k, marker.sha256[k]!]),
  );
  return JSON.stringify({ from: marker.from, to: marker.to, sha256 });
}

/** The marker of an annotation value, or null when absent or malformed (then nothing is a re-encryption). */
export function parseReencryptionMarker(value: unknown): ReencryptionMarker | null {
  if (typeof value !== "string" || value.length > 64_000) return null;
  try {
    const parsed = markerSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether the ciphertext of `key` (its hex SHA-256) is the one a re-encryption wrote, for a SealedSecret
 * whose annotations are `annotations`: the marker lists exactly this ciphertext and its `to` is the key
 * the SealedSecret says sealed it (`sealdeck.io/sealed-with`).
 */
export function isReencryptedCiphertext(
  annotations: Readonly<Record<string, unknown>> | undefined,
  key: string,
  ciphertextSha256: string,
): ReencryptionMarker | null {
  const marker = parseReencryptionMarker(annotations?.[REENCRYPTION_ANNOTATION]);
  if (!marker || marker.to !== annotations?.[SEALED_WITH_ANNOTATION]) return null;
  return Object.hasOwn(marker.sha256, key) && marker.sha256[key] === ciphertextSha256 ? marker : null;
}
