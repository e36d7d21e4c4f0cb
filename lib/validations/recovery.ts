// Recovery incidents (issue #21): shared by lib/recovery (which builds them), the API, the page and the
// CLI. Metadata only: names, key fingerprints, counts; never a secret value or key material.
import { z } from "zod";
import type { SecretConsumer } from "./secret-record";

/** A sealing key the controller no longer has, as far as Sealdeck can name it. */
export type MissingSealingKey = {
  /** SHA-256 of the key's SubjectPublicKeyInfo (`sealdeck.io/sealed-with`); null when not recorded. */
  publicKeySha256: string | null;
  /** How it is known: the annotation, or the unseal diagnosis when no annotation was written. */
  evidence: "sealed-with" | "diagnosis";
  /** One sentence: which key, and why Sealdeck thinks it is missing. */
  description: string;
  secretCount: number;
};

export type KeyLossSecret = {
  /** The inventory record id (`cluster/namespace/SealedSecret/name`). */
  id: string;
  namespace: string;
  name: string;
  /** The data keys to seal again (names only). */
  keys: string[];
  /** The missing key it was sealed with; null when not recorded. */
  sealedWith: string | null;
  owner: { team: string; source: "label" | "annotation" | "namespace-mapping" } | null;
  consumers: SecretConsumer[];
  /** The controller's own words (`no key could decrypt secret (…)`). */
  message: string | null;
  failingSince: string | null;
};

export type KeyLossIncident = {
  kind: "key-loss";
  /** `key-loss/<cluster>`: one incident per cluster. */
  id: string;
  cluster: string;
  controller: { namespace: string; service: string } | null;
  /** The controller's current sealing key, which the affected SealedSecrets were not sealed with. */
  currentKey: { publicKeySha256: string; fingerprintSha256: string } | null;
  /**
   * Keys Sealdeck saw this controller serve before its current one (public-key SHA-256): a backup
   * certificate among them is most likely a lost key when the SealedSecrets recorded none.
   */
  previousKeys: string[];
  /** Names of the controller's key Secrets now (never their data). */
  currentKeyNames: string[];
  missingKeys: MissingSealingKey[];
  secrets: KeyLossSecret[];
  workloadCount: number;
  /** The earliest failure among the affected SealedSecrets. */
  since: string | null;
  /** `kubectl apply` of the documented backup format, then a controller restart. */
  restoreCommands: string[];
};

/** Every kind of recovery incident; the store outage work adds its own member here. */
export type RecoveryIncident = KeyLossIncident;

export const recoveryQuerySchema = z.object({
  cluster: z.string().min(1).max(253).optional(),
});

export type RecoveryResponse = { incidents: RecoveryIncident[]; campaigns: RecoveryCampaignView[] };

/** Where one secret of a re-seal campaign stands, derived from proposals and the cluster's reports. */
export const campaignSecretStates = ["waiting", "proposed", "merged", "healthy", "removed"] as const;
export type CampaignSecretState = (typeof campaignSecretStates)[number];

export type CampaignSecretProgress = {
  namespace: string;
  name: string;
  keys: string[];
  owner: string | null;
  ownerSource: string | null;
  state: CampaignSecretState;
  /** The newest pull request for it since the campaign started, if any. */
  pullRequestUrl: string | null;
};

export type RecoveryCampaignView = {
  id: string;
  incidentId: string;
  cluster: string;
  missingKeys: string[];
  startedBy: string;
  startedAt: string;
  closedAt: string | null;
  /** Only the secrets the viewer may see; `total` counts all of them. */
  secrets: CampaignSecretProgress[];
  total: number;
  healthy: number;
  /** Secrets whose SealedSecret is gone from the cluster (deleted from Git): done, like healthy ones. */
  removed: number;
};

export const startCampaignInputSchema = z.object({ cluster: z.string().trim().min(1).max(253) });
