import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SecretActionInput } from "@/lib/validations/secret-action-input";
import { CLUSTER_SCOPED_NAMESPACE, type SecretRecord, secretRecordId } from "@/lib/validations/secret-record";
import type { ClusterCache } from "./cluster-cache";
import { getInventory } from "./inventory";

/** The record and its cluster an action is about, or AppError not_found. */
export async function findRecordOrThrow(
  input: SecretActionInput,
): Promise<{ record: SecretRecord; cluster: ClusterCache }> {
  const inventory = getInventory();
  await inventory.ready();
  const namespace = input.namespace === CLUSTER_SCOPED_NAMESPACE ? null : input.namespace;
  const record = inventory.get(secretRecordId(input.cluster, namespace, input.kind, input.name));
  const cluster = inventory.cluster(input.cluster);
  if (!record || !cluster)
    throw new AppError(
      "not_found",
      `${input.kind} ${input.namespace}/${input.name} was not found on cluster ${input.cluster}.`,
    );
  return { record, cluster };
}
