import {
  type AppliedPolicy,
  DEFAULT_MAX_AGE_DAYS,
  maxAgeDays,
  ROTATE_EVERY_ANNOTATION,
  rotateEveryKeyAnnotation,
  type RotationPolicy,
  type RotationPolicyScope,
} from "@/lib/validations/rotation";
import type { SecretKind } from "@/lib/validations/secret-record";

// Which max age applies to one key: the most specific level that has a policy wins (key > secret >
// namespace > cluster > environment > global > the 90-day default). Within a level a policy stored in
// Settings beats the manifest's `sealdeck.io/rotate-every…` annotation: the security lead's word over
// the manifest author's, and the `where` text says so. A policy pinned to one cluster beats the same
// scope on every cluster. Pure: the schedule resolves tens of thousands of keys per rebuild.

/** What a policy is looked up for: one key of one secret (key "" for a whole ExternalSecret). */
export type PolicySubject = {
  cluster: string;
  environment: string | null;
  namespace: string | null;
  kind: SecretKind;
  name: string;
  key: string;
  /** The object's rotation annotations (SecretRecord.rotationAnnotations). */
  annotations: Record<string, string> | undefined;
};

export type ResolvedPolicy = AppliedPolicy & {
  /** Set when an annotation was present but could not be used (e.g. "every 3 months"). */
  warning?: string;
};

/** The scope's canonical text: the same scope always gives the same key (the table's unique column). */
export function policyScopeKey(scope: RotationPolicyScope): string {
  const s = scope as Partial<
    Record<"environment" | "cluster" | "namespace" | "kind" | "name" | "key", string | null>
  >;
  return JSON.stringify([
    scope.level,
    s.environment ?? null,
    s.cluster ?? null,
    s.namespace ?? null,
    s.kind ?? null,
    s.name ?? null,
    s.key ?? null,
  ]);
}

/** Stored policies indexed by scope key, built once per schedule rebuild. */
export type PolicyIndex = ReadonlyMap<string, RotationPolicy>;

export function indexPolicies(policies: readonly RotationPolicy[]): PolicyIndex {
  return new Map(policies.map((policy) => [policyScopeKey(policy.scope), policy]));
}

const onCluster = (cluster: string | null) => (cluster ? `on ${cluster}` : "on every cluster");
const secretWords = (s: { kind: string; namespace: string | null; name: string }) =>
  `${s.kind} ${s.namespace ?? "-"}/${s.name}`;

/** "Settings → namespace production on sandbox", and so on. */
export function describeScope(scope: RotationPolicyScope): string {
  switch (scope.level) {
    case "global":
      return "Settings → global";
    case "environment":
      return `Settings → environment ${scope.environment}`;
    case "cluster":
      return `Settings → cluster ${scope.cluster}`;
    case "namespace":
      return `Settings → namespace ${scope.namespace} ${onCluster(scope.cluster)}`;
    case "secret":
      return `Settings → ${secretWords(scope)} ${onCluster(scope.cluster)}`;
    case "key":
      return `Settings → key ${scope.key || "(whole secret)"} of ${secretWords(scope)} ${onCluster(scope.cluster)}`;
  }
}

type Annotation = { name: string; value: string; days: number | null };

function readAnnotation(annotations: Record<string, string> | undefined, name: string): Annotation | null {
  const value = annotations?.[name];
  if (value === undefined) return null;
  return { name, value, days: maxAgeDays(value) };
}

const fromSettings = (policy: RotationPolicy, overridden: Annotation | null): AppliedPolicy => ({
  maxAgeDays: policy.maxAgeDays,
  level: policy.scope.level,
  origin: "settings",
  where:
    describeScope(policy.scope) +
    (overridden?.days ? ` (overrides the manifest's ${overridden.name}: ${overridden.value})` : ""),
  policyId: policy.id,
});

const fromAnnotation = (annotation: Annotation, level: "secret" | "key"): AppliedPolicy => ({
  maxAgeDays: annotation.days!,
  level,
  origin: "annotation",
  where: `annotation ${annotation.name}: ${annotation.value} on the manifest`,
  policyId: null,
});

/** The policy in force for one key, and where it was set. Never throws. */
export function resolvePolicy(index: PolicyIndex, subject: PolicySubject): ResolvedPolicy {
  const { cluster, environment, namespace, kind, name, key } = subject;
  const warnings: string[] = [];
  const usable = (annotation: Annotation | null): Annotation | null => {
    if (annotation && annotation.days === null) {
      warnings.push(
        `the manifest's ${annotation.name}: ${JSON.stringify(annotation.value.slice(0, 40))} is not a max age such as 90d, 12w, 6m or 1y, so it is ignored`,
      );
      return null;
    }
    return annotation;
  };
  const find = (scope: RotationPolicyScope) => index.get(policyScopeKey(scope));
  // Both "on this cluster" and "on every cluster" forms, the pinned one first.
  const either = (make: (cluster: string | null) => RotationPolicyScope) =>
    find(make(cluster)) ?? find(make(null));

  const keyAnnotation = key
    ? usable(readAnnotation(subject.annotations, rotateEveryKeyAnnotation(key)))
    : null;
  const secretAnnotation = usable(readAnnotation(subject.annotations, ROTATE_EVERY_ANNOTATION));

  let applied: AppliedPolicy | undefined;
  if (namespace !== null) {
    const keyPolicy = either((c) => ({ level: "key", cluster: c, namespace, kind, name, key }));
    if (keyPolicy) applied = fromSettings(keyPolicy, keyAnnotation);
    else if (keyAnnotation) applied = fromAnnotation(keyAnnotation, "key");
    if (!applied) {
      const secretPolicy = either((c) => ({ level: "secret", cluster: c, namespace, kind, name }));
      if (secretPolicy) applied = fromSettings(secretPolicy, secretAnnotation);
      else if (secretAnnotation) applied = fromAnnotation(secretAnnotation, "secret");
    }
    if (!applied) {
      const namespacePolicy = either((c) => ({ level: "namespace", cluster: c, namespace }));
      if (namespacePolicy) applied = fromSettings(namespacePolicy, null);
    }
  } else if (keyAnnotation) applied = fromAnnotation(keyAnnotation, "key");
  else if (secretAnnotation) applied = fromAnnotation(secretAnnotation, "secret");
  if (!applied) {
    const policy =
      find({ level: "cluster", cluster }) ??
      (environment ? find({ level: "environment", environment }) : undefined) ??
      find({ level: "global" });
    if (policy) applied = fromSettings(policy, null);
  }
  applied ??= {
    maxAgeDays: DEFAULT_MAX_AGE_DAYS,
    level: "default",
    origin: "default",
    where: `default (${DEFAULT_MAX_AGE_DAYS} days): no policy set`,
    policyId: null,
  };
  if (warnings.length === 0) return applied;
  const warning = warnings.join("; ");
  return { ...applied, where: `${applied.where}; ${warning}`, warning };
}
