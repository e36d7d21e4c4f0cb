import { CLUSTER_SCOPED_NAMESPACE, type SecretRecord } from "@/lib/validations/secret-record";

/** The secret's own page. */
export function secretHref(record: Pick<SecretRecord, "cluster" | "namespace" | "kind" | "name">): string {
  return `/secrets/${[record.cluster, record.namespace ?? CLUSTER_SCOPED_NAMESPACE, record.kind, record.name].map(encodeURIComponent).join("/")}`;
}
