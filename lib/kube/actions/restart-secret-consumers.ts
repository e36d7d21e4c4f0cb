"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { AppError } from "@/lib/errors/app-error";
import { secretActionInputSchema } from "@/lib/validations/secret-action-input";
import { requireKubeAccess } from "../check-kube-access";
import { findRecordOrThrow } from "../find-record-or-throw";
import { restartConsumers } from "../restart-consumers";
import { runAuditedClusterAction } from "../run-audited-cluster-action";

// Server action – rollout-restart the workloads that use a secret, so they read its current values.
export const restartSecretConsumers = authorizedAction({
  permission: "consumer:restart",
  input: secretActionInputSchema,
  resource: (input) => ({ cluster: input.cluster, namespace: input.namespace }),
  async run(input, { principal }) {
    const { record, cluster } = await findRecordOrThrow(input);
    if (record.consumers.length === 0) throw new AppError("bad_request", "No workload uses this secret.");
    // Under impersonation, ask the cluster about every workload first, so RBAC refusing one of them
    // does not leave the others restarted and this one not.
    const access = cluster.accessFor(principal);
    for (const consumer of record.consumers)
      if (consumer.kind !== "CronJob")
        await requireKubeAccess(access.kc, record.cluster, access.as, {
          verb: "patch",
          group: "apps",
          resource: `${consumer.kind.toLowerCase()}s`,
          namespace: consumer.namespace,
          name: consumer.name,
        });
    const result = await runAuditedClusterAction(
      principal,
      "consumer.restart",
      record,
      () => restartConsumers(access, record.cluster, record.consumers),
      (r) => ({
        restarted: r.restarted.map((c) => `${c.kind}/${c.namespace}/${c.name}`),
        skipped: r.skipped.map((s) => `${s.consumer.kind}/${s.consumer.namespace}/${s.consumer.name}`),
      }),
    );
    return {
      restarted: result.restarted.map((c) => `${c.kind} ${c.namespace}/${c.name}`),
      skipped: result.skipped.map(
        (s) => `${s.consumer.kind} ${s.consumer.namespace}/${s.consumer.name}: ${s.reason}`,
      ),
    };
  },
});
