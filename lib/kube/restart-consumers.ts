import "server-only";
import type { SecretConsumer } from "@/lib/validations/secret-record";
import type { KubeAccess } from "./kube-identity";
import { mergePatchObject } from "./patch-object";

const plural = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets" } as const;

export type RestartResult = {
  restarted: SecretConsumer[];
  skipped: { consumer: SecretConsumer; reason: string }[];
};

/**
 * `kubectl rollout restart` for each workload that uses a secret: it stamps the pod template with
 * `kubectl.kubernetes.io/restartedAt`, so the controller rolls new pods that read the new values.
 * CronJobs are skipped: each run starts fresh pods and picks the new values up by itself.
 */
export async function restartConsumers(
  access: KubeAccess,
  cluster: string,
  consumers: SecretConsumer[],
  now = new Date(),
): Promise<RestartResult> {
  const result: RestartResult = { restarted: [], skipped: [] };
  const patch = {
    spec: {
      template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": now.toISOString() } } },
    },
  };
  for (const consumer of consumers) {
    if (consumer.kind === "CronJob") {
      result.skipped.push({
        consumer,
        reason: "a CronJob's next run starts new pods with the current values",
      });
      continue;
    }
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(consumer.namespace)}/${plural[consumer.kind]}/${encodeURIComponent(consumer.name)}`;
    await mergePatchObject(access, path, patch, { cluster, namespace: consumer.namespace });
    result.restarted.push(consumer);
  }
  return result;
}
