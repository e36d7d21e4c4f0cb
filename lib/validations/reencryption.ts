import { z } from "zod";

// Re-encryption with a controller's newest key (issue #15): shapes shared by the route, the action and
// Settings → Clusters. Names, fingerprints and links only; a value or ciphertext never appears here.

/** Where a SealedSecret stands against the controller's newest certificate. */
export const reencryptionStatuses = ["older", "unknown", "current"] as const;
export type ReencryptionStatus = (typeof reencryptionStatuses)[number];

export type ReencryptionCandidate = {
  namespace: string;
  name: string;
  /** `sealdeck.io/sealed-with` (SHA-256 of the sealing key's SubjectPublicKeyInfo), or null: unknown. */
  sealedWith: string | null;
  status: ReencryptionStatus;
  /** The configured repository its owning Argo CD Application syncs from; null: found when proposing. */
  repository: string | null;
};

export type ReencryptionCandidates = {
  cluster: string;
  /** The controller's newest certificate (its public key's SHA-256); null when it could not be read. */
  newestKey: string | null;
  /** Why the newest key is unknown (controller missing or unreachable); null when it was read. */
  error: string | null;
  /** SealedSecrets sealed with an older key, then those whose key is unknown; current ones are counted. */
  candidates: ReencryptionCandidate[];
  current: number;
};

const k8sName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "not a Kubernetes name");

export const reencryptSealedSecretsInputSchema = z.object({
  cluster: k8sName,
  /** The SealedSecrets to re-encrypt (as listed); each is checked again against the newest key. */
  secrets: z
    .array(z.object({ namespace: k8sName, name: k8sName }))
    .min(1)
    .max(500),
  /**
   * Also re-encrypt SealedSecrets without `sealdeck.io/sealed-with`: /v1/rotate cannot tell which key
   * sealed them, so they are only included when asked for (they then gain the annotation).
   */
  includeUnknown: z.boolean().default(false),
});
export type ReencryptSealedSecretsInput = z.input<typeof reencryptSealedSecretsInputSchema>;

export type ReencryptionSkip = { namespace: string; name: string; reason: string };

export type ReencryptionProposal = {
  repository: string;
  /** Set when the pull request (plain git: branch) was opened. */
  pullRequest: { number: number; url: string } | null;
  branch: string | null;
  secrets: { namespace: string; name: string; path: string }[];
  /** Why this repository got no pull request (nothing was left behind there). */
  error: string | null;
};

export type ReencryptSealedSecretsResult = {
  cluster: string;
  newestKey: string;
  proposals: ReencryptionProposal[];
  /** Not proposed: already current, unknown (not asked for), not found in any repository. */
  skipped: ReencryptionSkip[];
};
