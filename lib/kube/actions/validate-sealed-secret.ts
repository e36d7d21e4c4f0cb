"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { AppError } from "@/lib/errors/app-error";
import { secretActionInputSchema } from "@/lib/validations/secret-action-input";
import { controllerRefOf } from "../discover-sealing-controller";
import { findRecordOrThrow } from "../find-record-or-throw";
import { runAuditedClusterAction } from "../run-audited-cluster-action";
import { verifySealedSecret } from "../verify-sealed-secret";

// Server action – ask the sealed-secrets controller whether it can decrypt a SealedSecret (/v1/verify).
export const validateSealedSecret = authorizedAction({
  permission: "inventory:read",
  input: secretActionInputSchema,
  resource: (input) => ({ cluster: input.cluster, namespace: input.namespace }),
  async run(input, { principal }) {
    const { record, cluster } = await findRecordOrThrow(input);
    const controller = cluster.status().controller;
    if (record.kind !== "SealedSecret" || !record.namespace)
      throw new AppError("bad_request", "Only SealedSecrets can be validated.");
    if (!controller)
      throw new AppError(
        "unavailable",
        `No sealed-secrets controller was found on cluster ${record.cluster}.`,
      );
    const namespace = record.namespace;
    return runAuditedClusterAction(
      principal,
      "secret.validate",
      record,
      () =>
        verifySealedSecret(cluster.accessFor(principal), record.cluster, controllerRefOf(controller), {
          namespace,
          name: record.name,
        }),
      (r) => ({ valid: r.valid }),
    );
  },
});
