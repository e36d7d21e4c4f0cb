import "server-only";
import type { SealedSecretSource, SealingScope, StatusCondition } from "@/lib/validations/secret-record";
import { readConditions } from "./read-conditions";
import { obj, str, strMap } from "./read-json";
import type { KubeObject } from "./strip-object";

export const SEALED_WITH_ANNOTATION = "sealdeck.io/sealed-with";
const CLUSTER_WIDE = "sealedsecrets.bitnami.com/cluster-wide";
const NAMESPACE_WIDE = "sealedsecrets.bitnami.com/namespace-wide";

export type NormalizedSealedSecret = {
  namespace: string;
  name: string;
  keys: string[];
  scope: SealingScope;
  /** Scope the template's annotations ask for, when they say anything (kubeseal writes both). */
  templateScope: SealingScope | null;
  type: string | null;
  source: SealedSecretSource;
  targetName: string;
  conditions: StatusCondition[];
  /** Ciphertext facts the diagnosis uses: the RSA block length of each value, in bytes. */
  rsaBlockBytes: number[];
};

/** Scope as the controller decides it: from the SealedSecret's own annotations; cluster-wide wins. */
export function readSealingScope(annotations: Record<string, string> | undefined): SealingScope {
  if (annotations?.[CLUSTER_WIDE] === "true") return "cluster-wide";
  if (annotations?.[NAMESPACE_WIDE] === "true") return "namespace-wide";
  return "strict";
}

// Each value starts with a big-endian uint16: the length of the RSA-OAEP block, i.e. the sealing key's
// modulus in bytes. It tells a 2048-bit key from a 4096-bit one without any secret material.
function rsaBlockBytes(ciphertext: string): number | null {
  const head = Buffer.from(ciphertext.slice(0, 4), "base64");
  return head.length >= 2 ? head.readUInt16BE(0) : null;
}

export function normalizeSealedSecret(
  object: KubeObject,
  controller: { namespace: string; name: string } | null,
): NormalizedSealedSecret {
  const spec = obj(object.spec);
  const encryptedData = obj(spec.encryptedData);
  const template = obj(spec.template);
  const templateMeta = obj(template.metadata);
  const namespace = object.metadata.namespace ?? "";
  const name = object.metadata.name ?? "";
  const templateName = str(templateMeta.name);
  const templateNamespace = str(templateMeta.namespace);
  const templateAnnotations = strMap(templateMeta.annotations);
  const templateSaysScope = CLUSTER_WIDE in templateAnnotations || NAMESPACE_WIDE in templateAnnotations;
  const blocks = Object.values(encryptedData).flatMap((value) => {
    const bytes = typeof value === "string" ? rsaBlockBytes(value) : null;
    return bytes === null ? [] : [bytes];
  });
  return {
    namespace,
    name,
    keys: Object.keys(encryptedData).sort(),
    scope: readSealingScope(object.metadata.annotations),
    templateScope: templateSaysScope ? readSealingScope(templateAnnotations) : null,
    type: str(template.type) ?? "Opaque",
    source: {
      kind: "sealed-secrets",
      controller,
      sealedWith: object.metadata.annotations?.[SEALED_WITH_ANNOTATION] ?? null,
      templateName: templateName && templateName !== name ? templateName : null,
      templateNamespace: templateNamespace && templateNamespace !== namespace ? templateNamespace : null,
    },
    // The controller always names the Secret after the SealedSecret, whatever the template says.
    targetName: name,
    conditions: readConditions(object.status),
    rsaBlockBytes: [...new Set(blocks)],
  };
}
