import "server-only";
import type { SealingScope, UnsealDiagnosis } from "@/lib/validations/secret-record";

export type UnsealFacts = {
  namespace: string;
  name: string;
  scope: SealingScope;
  templateScope: SealingScope | null;
  templateName: string | null;
  templateNamespace: string | null;
  /** `sealdeck.io/sealed-with`: SHA-256 of the sealing key's SubjectPublicKeyInfo. */
  sealedWith: string | null;
  rsaBlockBytes: number[];
  /** This cluster's controller: the current key and every key Sealdeck has seen it serve. */
  controllerKeyBits: number | null;
  currentKeySha256: string | null;
  seenKeySha256s: string[];
  activeKeyCount: number;
  /** Current sealing keys of the other clusters Sealdeck knows, by public-key SHA-256. */
  otherClusterKeys: Map<string, string>;
};

const short = (sha: string) => `${sha.slice(0, 12)}…`;
const reseal = (namespace: string, name: string) =>
  `Seal the values again for ${namespace}/${name} with this cluster's certificate (the Seal page does it) and open a pull request.`;

/**
 * Explains why the sealed-secrets controller could not decrypt a SealedSecret, from what can be known
 * without any secret material: scope and names (the strict-scope label is "<namespace>/<name>"), the
 * key recorded in `sealdeck.io/sealed-with`, and the RSA block size at the start of each value.
 * @see https://github.com/bitnami-labs/sealed-secrets#scopes
 */
export function diagnoseUnsealFailure(facts: UnsealFacts): UnsealDiagnosis {
  const here = `${facts.namespace}/${facts.name}`;
  if (facts.scope === "strict" && (facts.templateName || facts.templateNamespace)) {
    const sealedFor = `${facts.templateNamespace ?? facts.namespace}/${facts.templateName ?? facts.name}`;
    return {
      cause: "renamed-or-moved",
      summary: `It was sealed for ${sealedFor}, but it now lives at ${here}. With strict scope the namespace and name are part of the encryption, so a renamed or moved SealedSecret cannot be opened.`,
      fix: `${reseal(facts.namespace, facts.name)} If it has to move between names or namespaces, seal it namespace-wide or cluster-wide instead.`,
    };
  }
  if (facts.templateScope && facts.templateScope !== facts.scope) {
    return {
      cause: "scope-mismatch",
      summary: `It was sealed ${facts.templateScope}, but its own annotations make the controller open it as ${facts.scope}. The controller reads the scope from the SealedSecret's metadata, not from its template.`,
      fix: `Make the SealedSecret's annotations match its template (${facts.templateScope}), or ${reseal(facts.namespace, facts.name).toLowerCase()}`,
    };
  }
  if (facts.sealedWith && facts.sealedWith !== facts.currentKeySha256) {
    const other = facts.otherClusterKeys.get(facts.sealedWith);
    if (other) {
      return {
        cause: "other-cluster",
        summary: `It was sealed with the key of cluster "${other}", not this cluster's. Each cluster's controller can only open what was sealed with its own keys.`,
        fix: reseal(facts.namespace, facts.name),
      };
    }
    if (!facts.seenKeySha256s.includes(facts.sealedWith)) {
      return {
        cause: "key-missing",
        summary: `It was sealed with a key (${short(facts.sealedWith)}) that this cluster's controller does not have: either a key from another cluster, or one lost when the controller was reinstalled without restoring its key backup.`,
        fix: `Restore the sealing-key backup that holds that key into the controller's namespace, or ${reseal(facts.namespace, facts.name).toLowerCase()}`,
      };
    }
  }
  const expected = facts.controllerKeyBits ? facts.controllerKeyBits / 8 : null;
  const odd = expected ? facts.rsaBlockBytes.find((bytes) => bytes !== expected) : undefined;
  if (odd !== undefined && facts.controllerKeyBits) {
    return {
      cause: "key-missing",
      summary: `It was sealed with a ${odd * 8}-bit key, but this cluster's controller uses ${facts.controllerKeyBits}-bit keys: the key that sealed it is not one the controller has (an old or another cluster's key).`,
      fix: `Restore the sealing-key backup that holds the old key, or ${reseal(facts.namespace, facts.name).toLowerCase()}`,
    };
  }
  return {
    cause: "unknown",
    summary: `None of the controller's ${facts.activeKeyCount || "active"} sealing keys can open it. Most often it was sealed for another cluster, or with a key the controller no longer has.`,
    fix: `Check which cluster's certificate it was sealed with; then ${reseal(facts.namespace, facts.name).toLowerCase()}`,
  };
}
