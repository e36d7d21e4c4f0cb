import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SecretConsumer } from "@/lib/validations/secret-record";
import type { KubeAccess } from "./kube-identity";
import { kubeGetJson } from "./kube-request";
import { mergePatchObject } from "./patch-object";

const plural = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets" } as const;

/** On a workload's pod template: the "Fix a value" fix whose restart last stamped it. */
export const RESTARTED_FOR_FIX_ANNOTATION = "sealdeck.io/restarted-for-fix";

const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
/** A workload changed between reading and patching it this many times in a row is reported, not retried. */
const MAX_CONFLICTS = 5;

export type RestartResult = {
  restarted: SecretConsumer[];
  /** With a marker: workloads an earlier attempt of the same restart already stamped (not restarted again). */
  alreadyRestarted: SecretConsumer[];
  skipped: { consumer: SecretConsumer; reason: string }[];
};

type Workload = {
  metadata?: { resourceVersion?: string };
  spec?: { template?: { metadata?: { annotations?: Record<string, string> } } };
};

/**
 * Restarts one workload at most once per marker: read it (as Sealdeck, like the inventory's watch), skip
 * if its pod template carries the marker, else patch with the read resourceVersion as a precondition, so
 * a second replica racing on the same marker gets 409 Conflict, reads again and finds it stamped. A
 * workload that is gone is patched anyway, for the API server's 404.
 */
async function restartOnce(
  access: KubeAccess,
  collection: string,
  name: string,
  where: { cluster: string; namespace: string },
  stamp: Record<string, string>,
  marker: string,
): Promise<"restarted" | "already"> {
  // A list by name: Sealdeck's ClusterRole (deploy/base) grants list, watch and patch on workloads, not get.
  const byName = `${collection}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`;
  for (let attempt = 1; ; attempt++) {
    const list = await kubeGetJson<{ items?: Workload[] }>(access.kc, byName, { ...where, as: null });
    const workload = list.items?.[0];
    if (workload?.spec?.template?.metadata?.annotations?.[RESTARTED_FOR_FIX_ANNOTATION] === marker)
      return "already";
    try {
      await mergePatchObject(
        access,
        `${collection}/${encodeURIComponent(name)}`,
        {
          ...(workload ? { metadata: { resourceVersion: workload.metadata?.resourceVersion } } : {}),
          spec: { template: { metadata: { annotations: stamp } } },
        },
        where,
      );
      return "restarted";
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "conflict" || attempt >= MAX_CONFLICTS) throw error;
    }
  }
}

/**
 * `kubectl rollout restart` for each workload that uses a secret: it stamps the pod template with
 * `kubectl.kubernetes.io/restartedAt`, so the controller rolls new pods that read the new values.
 * CronJobs are skipped: each run starts fresh pods and picks the new values up by itself.
 * With `marker` (a fix's id) the stamp also carries it, and a workload already stamped with it is not
 * restarted again: a restart resumed after a replica died mid-way restarts each workload once.
 */
export async function restartConsumers(
  access: KubeAccess,
  cluster: string,
  consumers: SecretConsumer[],
  now = new Date(),
  marker?: string,
): Promise<RestartResult> {
  const result: RestartResult = { restarted: [], alreadyRestarted: [], skipped: [] };
  const stamp: Record<string, string> = {
    [RESTARTED_AT]: now.toISOString(),
    ...(marker ? { [RESTARTED_FOR_FIX_ANNOTATION]: marker } : {}),
  };
  for (const consumer of consumers) {
    if (consumer.kind === "CronJob") {
      result.skipped.push({
        consumer,
        reason: "a CronJob's next run starts new pods with the current values",
      });
      continue;
    }
    const collection = `/apis/apps/v1/namespaces/${encodeURIComponent(consumer.namespace)}/${plural[consumer.kind]}`;
    const where = { cluster, namespace: consumer.namespace };
    if (!marker) {
      await mergePatchObject(
        access,
        `${collection}/${encodeURIComponent(consumer.name)}`,
        { spec: { template: { metadata: { annotations: stamp } } } },
        where,
      );
      result.restarted.push(consumer);
    } else if ((await restartOnce(access, collection, consumer.name, where, stamp, marker)) === "restarted")
      result.restarted.push(consumer);
    else result.alreadyRestarted.push(consumer);
  }
  return result;
}
