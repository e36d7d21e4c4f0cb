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

/** Stored policies by a lookup key built without objects (the schedule resolves ~100,000 keys). */
export type PolicyIndex = {
  readonly size: number;
  get(lookup: string): RotationPolicy | undefined;
};

const NONE = "\u0001";
/** level, then the scope's fields in a fixed order, null as NONE. */
const lookupKey = (...parts: (string | null)[]) => parts.map((p) => p ?? NONE).join("\u0000");

function scopeLookupKey(scope: RotationPolicyScope): string {
  switch (scope.level) {
    case "global":
      return lookupKey("global");
    case "environment":
      return lookupKey("environment", scope.environment);
    case "cluster":
      return lookupKey("cluster", scope.cluster);
    case "namespace":
      return lookupKey("namespace", scope.cluster, scope.namespace);
    case "secret":
      return lookupKey("secret", scope.cluster, scope.namespace, scope.kind, scope.name);
    case "key":
      return lookupKey("key", scope.cluster, scope.namespace, scope.kind, scope.name, scope.key);
  }
}

export function indexPolicies(policies: readonly RotationPolicy[]): PolicyIndex {
  return new Map(policies.map((policy) => [scopeLookupKey(policy.scope), policy]));
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

const DEFAULT_POLICY: AppliedPolicy = {
  maxAgeDays: DEFAULT_MAX_AGE_DAYS,
  level: "default",
  origin: "default",
  where: `default (${DEFAULT_MAX_AGE_DAYS} days): no policy set`,
  policyId: null,
};

/**
 * The policy below the secret level (namespace, cluster, environment, global, default): the same for
 * every key of a namespace, so the schedule resolves it once per namespace and passes it in.
 */
export function resolveNamespacePolicy(
  index: PolicyIndex,
  place: { cluster: string; environment: string | null; namespace: string | null },
): AppliedPolicy {
  if (index.size === 0) return DEFAULT_POLICY;
  const { cluster, environment, namespace } = place;
  const policy =
    (namespace !== null
      ? (index.get(lookupKey("namespace", cluster, namespace)) ??
        index.get(lookupKey("namespace", null, namespace)))
      : undefined) ??
    index.get(lookupKey("cluster", cluster)) ??
    (environment ? index.get(lookupKey("environment", environment)) : undefined) ??
    index.get(lookupKey("global"));
  return policy ? fromSettings(policy, null) : DEFAULT_POLICY;
}

function warnInvalid(annotation: Annotation): string {
  return `the manifest's ${annotation.name}: ${JSON.stringify(annotation.value.slice(0, 40))} is not a max age such as 90d, 12w, 6m or 1y, so it is ignored`;
}

/** The policy in force for one key, and where it was set. Never throws. */
export function resolvePolicy(
  index: PolicyIndex,
  subject: PolicySubject,
  namespacePolicy: AppliedPolicy = resolveNamespacePolicy(index, subject),
): ResolvedPolicy {
  const { cluster, namespace, kind, name, key, annotations } = subject;
  const hasAnnotations = annotations !== undefined && Object.keys(annotations).length > 0;
  if (index.size === 0 && !hasAnnotations) return namespacePolicy;
  const warnings: string[] = [];
  const usable = (annotation: Annotation | null): Annotation | null => {
    if (annotation && annotation.days === null) {
      warnings.push(warnInvalid(annotation));
      return null;
    }
    return annotation;
  };
  // Both "on this cluster" and "on every cluster" forms, the pinned one first.
  const either = (level: "key" | "secret") =>
    index.size === 0 || namespace === null
      ? undefined
      : level === "key"
        ? (index.get(lookupKey("key", cluster, namespace, kind, name, key)) ??
          index.get(lookupKey("key", null, namespace, kind, name, key)))
        : (index.get(lookupKey("secret", cluster, namespace, kind, name)) ??
          index.get(lookupKey("secret", null, namespace, kind, name)));

  const keyAnnotation =
    key && hasAnnotations ? usable(readAnnotation(annotations, rotateEveryKeyAnnotation(key))) : null;
  const secretAnnotation = hasAnnotations
    ? usable(readAnnotation(annotations, ROTATE_EVERY_ANNOTATION))
    : null;

  let applied: AppliedPolicy | undefined;
  const keyPolicy = either("key");
  if (keyPolicy) applied = fromSettings(keyPolicy, keyAnnotation);
  else if (keyAnnotation) applied = fromAnnotation(keyAnnotation, "key");
  if (!applied) {
    const secretPolicy = either("secret");
    if (secretPolicy) applied = fromSettings(secretPolicy, secretAnnotation);
    else if (secretAnnotation) applied = fromAnnotation(secretAnnotation, "secret");
  }
  applied ??= namespacePolicy;
  if (warnings.length === 0) return applied;
  const warning = warnings.join("; ");
  return { ...applied, where: `${applied.where}; ${warning}`, warning };
}
