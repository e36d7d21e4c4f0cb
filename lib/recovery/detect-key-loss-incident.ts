import "server-only";
import { ownerOf } from "@/lib/rotation/compute-rotation-schedule";
import type { ControllerInfo } from "@/lib/validations/cluster-status";
import type { KeyLossIncident, KeyLossSecret, MissingSealingKey } from "@/lib/validations/recovery";
import type { SecretRecord } from "@/lib/validations/secret-record";

/** Upstream's words when no active key opens a value (pkg/controller: "no key could decrypt secret"). */
const NO_KEY = "no key could decrypt secret";
// Causes the diagnosis explains otherwise: a rename, a scope change or another cluster's key is not a
// key this controller lost, and restoring a backup would not help.
const KEY_CAUSES = new Set(["key-missing", "unknown"]);

export const restoreBackupFile = "sealed-secrets-key-backup.yaml";

/**
 * Restoring a key backup as upstream documents it: apply the key Secrets, then restart the controller.
 * A client-side `kubectl apply` copies the whole manifest, private key included, into the
 * last-applied-configuration annotation, where anyone who may read the Secret's metadata sees it: the
 * last command takes it out again.
 */
export function restoreCommands(cluster: string, controller: { namespace: string; service: string }) {
  const kubectl = `kubectl --context ${cluster}`;
  return [
    `${kubectl} apply -n ${controller.namespace} -f ${restoreBackupFile}`,
    `${kubectl} rollout restart -n ${controller.namespace} deployment/${controller.service}`,
    `${kubectl} annotate secret -n ${controller.namespace} -l sealedsecrets.bitnami.com/sealed-secrets-key kubectl.kubernetes.io/last-applied-configuration-`,
  ];
}

/** Whether a SealedSecret fails because none of the controller's current keys is the one that sealed it. */
export function failsForMissingKey(record: SecretRecord, currentKeySha256: string | null): boolean {
  if (record.kind !== "SealedSecret" || record.source.kind !== "sealed-secrets") return false;
  if (record.health.reason !== "Unseal failed" || !record.diagnosis) return false;
  if (!KEY_CAUSES.has(record.diagnosis.cause)) return false;
  if (!(record.health.message ?? "").startsWith(NO_KEY)) return false;
  // Sealed with the key the controller hands out now: something else is wrong with it.
  return record.source.sealedWith === null || record.source.sealedWith !== currentKeySha256;
}

const failingSince = (record: SecretRecord) =>
  record.conditions.find((c) => c.type === "Synced")?.lastTransitionTime ?? null;

/**
 * The one key-loss incident of a cluster, from its inventory records (already filtered to what the
 * viewer may see) and the controller's key metadata; null when no SealedSecret fails for a missing key.
 * The missing keys are named by `sealdeck.io/sealed-with` where it was written, by the diagnosis otherwise.
 */
export function detectKeyLossIncident(
  cluster: string,
  controller: ControllerInfo | null,
  records: readonly SecretRecord[],
  teams: Map<string, string>,
  /** Every sealing key (public-key SHA-256) Sealdeck has seen this controller serve. */
  seenPublicKeys: readonly string[] = [],
): KeyLossIncident | null {
  const currentKey = controller?.certificate ?? null;
  const failing = records
    .filter((r) => r.cluster === cluster && failsForMissingKey(r, currentKey?.publicKeySha256 ?? null))
    .sort((a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name));
  if (failing.length === 0) return null;

  const missing = new Map<string, MissingSealingKey>();
  const secrets: KeyLossSecret[] = failing.map((record) => {
    const sealedWith = record.source.kind === "sealed-secrets" ? record.source.sealedWith : null;
    const group = sealedWith ?? `diagnosis:${record.diagnosis?.cause ?? "unknown"}`;
    const entry = missing.get(group) ?? {
      publicKeySha256: sealedWith,
      evidence: sealedWith ? ("sealed-with" as const) : ("diagnosis" as const),
      description: sealedWith
        ? `The key with public-key SHA-256 ${sealedWith} (from sealdeck.io/sealed-with) is not among the controller's keys.`
        : `A key not recorded on the SealedSecrets: ${record.diagnosis?.summary ?? "none of the controller's keys opens them."}`,
      secretCount: 0,
    };
    entry.secretCount += 1;
    missing.set(group, entry);
    return {
      id: record.id,
      namespace: record.namespace ?? "",
      name: record.name,
      keys: record.keys,
      sealedWith,
      owner: ownerOf(record, teams),
      consumers: record.consumers,
      message: record.health.message,
      failingSince: failingSince(record),
    };
  });
  const workloads = new Set(
    secrets.flatMap((s) => s.consumers.map((c) => `${c.kind}/${c.namespace}/${c.name}`)),
  );
  const since = secrets
    .map((s) => s.failingSince)
    .filter((t): t is string => t !== null)
    .sort()[0];
  const ref = controller ? { namespace: controller.namespace, service: controller.service } : null;
  return {
    kind: "key-loss",
    id: `key-loss/${cluster}`,
    cluster,
    controller: ref,
    currentKey: currentKey
      ? { publicKeySha256: currentKey.publicKeySha256, fingerprintSha256: currentKey.fingerprintSha256 }
      : null,
    previousKeys: seenPublicKeys.filter((k) => k !== currentKey?.publicKeySha256),
    currentKeyNames: controller?.keys.filter((k) => k.active).map((k) => k.name) ?? [],
    missingKeys: [...missing.values()].sort((a, b) => b.secretCount - a.secretCount),
    secrets,
    workloadCount: workloads.size,
    since: since ?? null,
    restoreCommands: ref && ref.service ? restoreCommands(cluster, ref) : [],
  };
}
