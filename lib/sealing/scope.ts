import { SealingError } from "./errors";

/**
 * How far a sealed value may travel, as in sealed-secrets' `SealingScope`
 * (pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go).
 */
export type SealingScope = "strict" | "namespace-wide" | "cluster-wide";

export const SEALING_SCOPES: readonly SealingScope[] = ["strict", "namespace-wide", "cluster-wide"];

/** Annotation that makes a SealedSecret unsealable under any name in its namespace. */
export const NAMESPACE_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/namespace-wide";
/** Annotation that makes a SealedSecret unsealable under any name in any namespace. */
export const CLUSTER_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/cluster-wide";

/** Parses a `--scope` flag or form value; `""` means the default, strict, as upstream's `Set` does. */
export function parseScope(value: string): SealingScope {
  if (value === "") return "strict";
  if ((SEALING_SCOPES as readonly string[]).includes(value)) return value as SealingScope;
  throw new SealingError(
    "secret-invalid",
    `Unknown scope "${value}": must be one of strict, namespace-wide, cluster-wide.`,
  );
}

/**
 * The RSA-OAEP label binding a ciphertext to its scope, as upstream's `EncryptionLabel`:
 * strict `"<namespace>/<name>"`, namespace-wide `"<namespace>"`, cluster-wide `""`. The controller
 * recomputes it from the SealedSecret it is unsealing, so a value moved elsewhere fails to decrypt.
 */
export function encryptionLabel(scope: SealingScope, namespace: string, name: string): string {
  switch (scope) {
    case "cluster-wide":
      return "";
    case "namespace-wide":
      return namespace;
    case "strict":
      return `${namespace}/${name}`;
  }
}

/**
 * The scope declared by an object's annotations, as upstream's `SecretScope`: cluster-wide wins over
 * namespace-wide, and only the exact string `"true"` counts. The controller applies this to the
 * SealedSecret's own `metadata.annotations`.
 */
export function scopeFromAnnotations(
  annotations: Readonly<Record<string, string>> | null | undefined,
): SealingScope {
  if (annotations?.[CLUSTER_WIDE_ANNOTATION] === "true") return "cluster-wide";
  if (annotations?.[NAMESPACE_WIDE_ANNOTATION] === "true") return "namespace-wide";
  return "strict";
}

/**
 * A copy of `annotations` declaring exactly `scope`, as upstream's `UpdateScopeAnnotations`: both scope
 * annotations removed, then the one for `scope` (if any) set to `"true"`. The input is not modified.
 */
export function withScopeAnnotations(
  annotations: Readonly<Record<string, string>> | null | undefined,
  scope: SealingScope,
): Record<string, string> {
  const result: Record<string, string> = { ...annotations };
  delete result[NAMESPACE_WIDE_ANNOTATION];
  delete result[CLUSTER_WIDE_ANNOTATION];
  if (scope === "namespace-wide") result[NAMESPACE_WIDE_ANNOTATION] = "true";
  if (scope === "cluster-wide") result[CLUSTER_WIDE_ANNOTATION] = "true";
  return result;
}
