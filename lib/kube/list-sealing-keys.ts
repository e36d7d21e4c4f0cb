import "server-only";
import type { SealingKeyInfo } from "@/lib/validations/cluster-status";
import type { KubeObject } from "./strip-object";

export const SEALING_KEY_LABEL = "sealedsecrets.bitnami.com/sealed-secrets-key";

/** The controller's sealing keys from the Secret metadata cache: names and dates, never key material. */
export function listSealingKeys(secrets: readonly KubeObject[], namespace: string): SealingKeyInfo[] {
  return secrets
    .filter((s) => s.metadata.namespace === namespace && s.metadata.labels?.[SEALING_KEY_LABEL] !== undefined)
    .map((s) => ({
      name: s.metadata.name ?? "",
      createdAt: s.metadata.creationTimestamp ?? null,
      // Upstream relabels a compromised key `compromised`; only `active` keys are tried.
      active: s.metadata.labels?.[SEALING_KEY_LABEL] === "active",
    }))
    .sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? "") || a.name.localeCompare(b.name));
}
