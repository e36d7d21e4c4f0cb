"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { AppError } from "@/lib/errors/app-error";
import { secretActionInputSchema } from "@/lib/validations/secret-action-input";
import { findRecordOrThrow } from "../find-record-or-throw";
import { forceSyncExternalSecret } from "../force-sync-external-secret";
import { runAuditedClusterAction } from "../run-audited-cluster-action";

// Server action – ask External Secrets Operator to sync an ExternalSecret or ClusterExternalSecret now.
export const forceSyncSecret = authorizedAction({
  permission: "secret:force-sync",
  input: secretActionInputSchema,
  resource: (input) => ({ cluster: input.cluster, namespace: input.namespace }),
  async run(input, { principal }) {
    const { record, cluster } = await findRecordOrThrow(input);
    if (record.kind === "SealedSecret")
      throw new AppError(
        "bad_request",
        "Only ExternalSecrets and ClusterExternalSecrets can be force-synced.",
      );
    const version = cluster.status().externalSecretsVersion ?? "v1";
    const kind = record.kind;
    return runAuditedClusterAction(
      principal,
      "secret.force_sync",
      record,
      () =>
        forceSyncExternalSecret(cluster.accessFor(principal), {
          cluster: record.cluster,
          kind,
          namespace: record.namespace,
          name: record.name,
          version,
        }),
      (value) => ({ annotation: value }),
    );
  },
});
