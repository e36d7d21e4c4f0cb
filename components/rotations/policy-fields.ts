import type { RotationPolicy, RotationPolicyInput, RotationPolicyScope } from "@/lib/validations/rotation";
import type { SecretKind } from "@/lib/validations/secret-record";

export const editableLevels = ["global", "environment", "cluster", "namespace", "secret", "key"] as const;
export type EditableLevel = (typeof editableLevels)[number];

/** The policy form's fields, all text as typed; which ones count depends on the level. */
export type PolicyFields = {
  level: EditableLevel;
  environment: string;
  cluster: string;
  namespace: string;
  kind: SecretKind;
  name: string;
  key: string;
  maxAge: string;
  note: string;
};

export const emptyPolicyFields: PolicyFields = {
  level: "namespace",
  environment: "",
  cluster: "",
  namespace: "",
  kind: "SealedSecret",
  name: "",
  key: "",
  maxAge: "90d",
  note: "",
};

/** Which fields the form shows for a level (a blank cluster means every cluster). */
export const fieldsOfLevel: Record<EditableLevel, readonly (keyof PolicyFields)[]> = {
  global: [],
  environment: ["environment"],
  cluster: ["cluster"],
  namespace: ["cluster", "namespace"],
  secret: ["cluster", "namespace", "kind", "name"],
  key: ["cluster", "namespace", "kind", "name", "key"],
};

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

function scopeOf(fields: PolicyFields): RotationPolicyScope {
  const secret = {
    cluster: orNull(fields.cluster),
    namespace: fields.namespace,
    kind: fields.kind,
    name: fields.name,
  };
  switch (fields.level) {
    case "global":
      return { level: "global" };
    case "environment":
      return { level: "environment", environment: fields.environment };
    case "cluster":
      return { level: "cluster", cluster: fields.cluster };
    case "namespace":
      return { level: "namespace", cluster: orNull(fields.cluster), namespace: fields.namespace };
    case "secret":
      return { level: "secret", ...secret };
    case "key":
      return { level: "key", ...secret, key: fields.key };
  }
}

/** The save-rotation-policy input the form's fields stand for (validated by the contract's schema after). */
export function policyInputOf(fields: PolicyFields, id?: string): RotationPolicyInput {
  return { ...(id ? { id } : {}), scope: scopeOf(fields), maxAge: fields.maxAge, note: fields.note };
}

/** A stored policy back into the form, to edit it. */
export function fieldsOfPolicy(policy: RotationPolicy): PolicyFields {
  const scope = policy.scope;
  const fields: PolicyFields = {
    ...emptyPolicyFields,
    level: scope.level,
    maxAge: `${policy.maxAgeDays}d`,
    note: policy.note,
  };
  if (scope.level === "environment") fields.environment = scope.environment;
  if (scope.level === "cluster") fields.cluster = scope.cluster;
  if (scope.level === "namespace" || scope.level === "secret" || scope.level === "key") {
    fields.cluster = scope.cluster ?? "";
    fields.namespace = scope.namespace;
  }
  if (scope.level === "secret" || scope.level === "key") {
    fields.kind = scope.kind;
    fields.name = scope.name;
  }
  if (scope.level === "key") fields.key = scope.key;
  return fields;
}

/** Where a policy applies, in words: "namespace payments on every cluster". */
export function scopeText(scope: RotationPolicyScope): string {
  const on = (cluster: string | null) => (cluster ? `on ${cluster}` : "on every cluster");
  switch (scope.level) {
    case "global":
      return "everything";
    case "environment":
      return `environment ${scope.environment}`;
    case "cluster":
      return `cluster ${scope.cluster}`;
    case "namespace":
      return `namespace ${scope.namespace} ${on(scope.cluster)}`;
    case "secret":
      return `${scope.kind} ${scope.namespace}/${scope.name} ${on(scope.cluster)}`;
    case "key":
      return `key ${scope.key} of ${scope.kind} ${scope.namespace}/${scope.name} ${on(scope.cluster)}`;
  }
}
