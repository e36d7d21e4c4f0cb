import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import type { PrismaClient, ValueFix } from "@/lib/db/generated/client";
import { kubeGetJson } from "@/lib/kube/kube-request";
import { obj, str } from "@/lib/kube/read-json";
import { hashSealedSecret } from "@/lib/kube/rotation-watcher";
import { collectionPath, watchedKinds } from "@/lib/kube/resource-kinds";
import type { KubeObject } from "@/lib/kube/strip-object";

// Has the cluster applied the fix's new value? Read live, with Sealdeck's own credentials (metadata and
// ciphertext only, as the rotation watcher does; never a Secret's data), every time the job asks.

export type AppliedCheck =
  | { applied: true; evidence: Record<string, string | string[] | number[]> }
  | { applied: false; waitingFor: string };

type Fix = Pick<
  ValueFix,
  | "id"
  | "kind"
  | "cluster"
  | "namespace"
  | "name"
  | "keys"
  | "createdAt"
  | "forceSyncedAt"
  | "syncedVersionBefore"
>;

const path = (key: "sealedSecrets" | "externalSecrets", version: string, namespace: string, name: string) => {
  const kind = watchedKinds.find((k) => k.key === key)!;
  return `${collectionPath(kind, version, namespace)}/${encodeURIComponent(name)}`;
};

const condition = (object: KubeObject, type: string) => {
  const conditions = obj(object.status).conditions;
  return (Array.isArray(conditions) ? conditions : []).map(obj).find((c) => c.type === type);
};

type LatestRow = {
  key: string;
  value_hash: string;
  previous_hash: string | null;
  reencryption: boolean;
  after: boolean;
};

/**
 * SealedSecret: every fixed key holds a ciphertext whose change the rotation watcher recorded
 * ("rotation observed", not a re-encryption) since the fix began, that ciphertext is the one in the
 * cluster now, and the controller has unsealed this generation (Synced, observedGeneration current): the
 * Secret holds the new value.
 */
async function sealedSecretApplied(prisma: PrismaClient, kc: KubeConfig, fix: Fix): Promise<AppliedCheck> {
  const kind = watchedKinds.find((k) => k.key === "sealedSecrets")!;
  const object = await kubeGetJson<KubeObject>(
    kc,
    path("sealedSecrets", kind.versions[0]!, fix.namespace, fix.name),
    {
      cluster: fix.cluster,
      namespace: fix.namespace,
    },
  );
  const { hashes } = hashSealedSecret(object);
  const rows = await prisma.$queryRawUnsafe<LatestRow[]>(
    `SELECT DISTINCT ON (key) key, value_hash, previous_hash, reencryption, observed_at >= $5 AS after
     FROM observed_rotations
     WHERE cluster = $1 AND kind = 'SealedSecret' AND namespace = $2 AND name = $3 AND key = ANY($4::text[])
     ORDER BY key, id DESC`,
    fix.cluster,
    fix.namespace,
    fix.name,
    fix.keys,
    fix.createdAt,
  );
  for (const key of fix.keys) {
    const row = rows.find((r) => r.key === key);
    const current = hashes[key];
    if (
      !row ||
      !current ||
      row.value_hash !== current ||
      !row.previous_hash ||
      row.reencryption ||
      !row.after
    )
      return { applied: false, waitingFor: `the new value of ${key} to be observed on ${fix.cluster}` };
  }
  const synced = condition(object, "Synced");
  const generation = object.metadata?.generation;
  const observed = obj(object.status).observedGeneration;
  if (synced?.status !== "True" || (typeof observed === "number" && observed !== generation))
    return { applied: false, waitingFor: `the controller to unseal the new values on ${fix.cluster}` };
  const ciphertexts = fix.keys.map((key) => hashes[key]!);
  const events = await prisma.$queryRawUnsafe<{ seq: bigint }[]>(
    `SELECT seq FROM audit_events WHERE action = 'rotation.observed' AND target_cluster = $1
       AND target_namespace = $2 AND target_name = $3 AND details->>'ciphertextSha256' = ANY($4::text[])
     ORDER BY seq`,
    fix.cluster,
    fix.namespace,
    fix.name,
    ciphertexts,
  );
  return {
    applied: true,
    evidence: {
      ciphertextSha256: ciphertexts,
      rotationObservedSeq: events.map((e) => Number(e.seq)),
      generation: String(generation ?? ""),
    },
  };
}

/** The ExternalSecret's status.syncedResourceVersion now (recorded before a force-sync). */
export async function readSyncedVersion(
  kc: KubeConfig,
  fix: Pick<Fix, "cluster" | "namespace" | "name">,
  version: string,
) {
  const object = await kubeGetJson<KubeObject>(
    kc,
    path("externalSecrets", version, fix.namespace, fix.name),
    {
      cluster: fix.cluster,
      namespace: fix.namespace,
    },
  );
  return str(obj(object.status).syncedResourceVersion);
}

/**
 * ExternalSecret: External Secrets Operator reports a sync after the force-sync: Ready, refreshTime at or
 * after it (ESO writes whole seconds), and syncedResourceVersion moved on from the one before it.
 */
async function externalSecretApplied(kc: KubeConfig, fix: Fix, version: string): Promise<AppliedCheck> {
  const object = await kubeGetJson<KubeObject>(
    kc,
    path("externalSecrets", version, fix.namespace, fix.name),
    {
      cluster: fix.cluster,
      namespace: fix.namespace,
    },
  );
  const status = obj(object.status);
  const refreshTime = Date.parse(str(status.refreshTime) ?? "");
  const syncedVersion = str(status.syncedResourceVersion);
  const ready = condition(object, "Ready");
  const since = Math.floor((fix.forceSyncedAt?.getTime() ?? Infinity) / 1000) * 1000;
  if (
    ready?.status !== "True" ||
    !(refreshTime >= since) ||
    syncedVersion === null ||
    syncedVersion === fix.syncedVersionBefore
  )
    return { applied: false, waitingFor: `External Secrets Operator to sync ${fix.namespace}/${fix.name}` };
  return {
    applied: true,
    evidence: { refreshTime: new Date(refreshTime).toISOString(), syncedResourceVersion: syncedVersion },
  };
}

export function checkFixApplied(
  prisma: PrismaClient,
  kc: KubeConfig,
  fix: Fix,
  externalSecretsVersion: string,
): Promise<AppliedCheck> {
  return fix.kind === "SealedSecret"
    ? sealedSecretApplied(prisma, kc, fix)
    : externalSecretApplied(kc, fix, externalSecretsVersion);
}
