import { encodeBase64 } from "./encode-base64";
import { hybridEncrypt } from "./hybrid-encrypt";
import type { SealingKey } from "./import-sealing-key";
import { encryptionLabel, scopeFromAnnotations, withScopeAnnotations, type SealingScope } from "./scope";
import {
  SEALED_WITH_ANNOTATION,
  type SealedSecretManifest,
  type SealedSecretMetadata,
} from "./sealed-secret-manifest";
import type { SecretInput } from "./secret-input";
import { validateSecret } from "./validate-secret";

/**
 * Annotations that are never copied into the template: tools' "last applied" copies hold the whole
 * Secret in clear text (sealed-secrets issue #227), and our own marker belongs on the SealedSecret only.
 */
const STRIPPED_ANNOTATIONS = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "kubecfg.ksonnet.io/last-applied-configuration",
  SEALED_WITH_ANNOTATION,
];

export type BuildSealedSecretOptions = {
  /**
   * The scope to seal in. When absent it is read from the Secret's annotations (else strict), as
   * kubeseal does. When given it always wins — unlike kubeseal, where `--scope strict` leaves an
   * existing scope annotation in place — so the form's choice is what gets sealed.
   */
  scope?: SealingScope;
  /** Seal a Secret with no keys, like `kubeseal --allow-empty-data`. */
  allowEmptyData?: boolean;
};

/**
 * Builds the SealedSecret for `secret` the way kubeseal's `Seal` + `NewSealedSecret` do: every value
 * sealed separately with the scope's label; the Secret's metadata (minus stripped annotations) copied
 * into `spec.template.metadata`; type and immutable carried over; the scope annotation set on the
 * SealedSecret's own metadata — which is what the controller reads — and mirrored in the template.
 * Adds `sealdeck.io/sealed-with: <publicKeySha256>` to the SealedSecret's metadata.
 *
 * @throws SealingError from `validateSecret`, or `encryption-failed`.
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go
 */
export async function buildSealedSecret(
  secret: SecretInput,
  key: SealingKey,
  options: BuildSealedSecretOptions = {},
): Promise<SealedSecretManifest> {
  const scope = options.scope ?? scopeFromAnnotations(secret.annotations);
  validateSecret(secret, {
    namespaceOptional: scope === "cluster-wide",
    allowEmptyData: options.allowEmptyData,
  });

  const namespace = secret.namespace ?? "";
  const label = new TextEncoder().encode(encryptionLabel(scope, namespace, secret.name));
  const sealed = await Promise.all(
    secret.entries.map(async ({ key: name, value }) => {
      const plaintext = typeof value === "string" ? new TextEncoder().encode(value) : value;
      return [name, encodeBase64(await hybridEncrypt(key.publicKey, plaintext, label))] as const;
    }),
  );
  const encryptedData = Object.fromEntries(sealed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  const templateAnnotations = withScopeAnnotations(secret.annotations, scope);
  for (const name of STRIPPED_ANNOTATIONS) delete templateAnnotations[name];
  const scopeAnnotations = withScopeAnnotations(undefined, scope);

  return {
    apiVersion: "bitnami.com/v1alpha1",
    kind: "SealedSecret",
    metadata: metadata(secret, {
      ...scopeAnnotations,
      [SEALED_WITH_ANNOTATION]: key.certificate.publicKeySha256,
    }),
    spec: {
      encryptedData,
      template: {
        metadata: metadata(secret, templateAnnotations, secret.labels),
        type: secret.type || "Opaque",
        ...(secret.immutable !== undefined ? { immutable: secret.immutable } : {}),
      },
    },
  };
}

function metadata(
  secret: SecretInput,
  annotations: Record<string, string>,
  labels?: Record<string, string>,
): SealedSecretMetadata {
  return {
    ...(Object.keys(annotations).length > 0 ? { annotations: sortKeys(annotations) } : {}),
    ...(labels && Object.keys(labels).length > 0 ? { labels: sortKeys(labels) } : {}),
    name: secret.name,
    ...(secret.namespace ? { namespace: secret.namespace } : {}),
  };
}

/** Go marshals maps with sorted keys; matching it keeps diffs against kubeseal output minimal. */
function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
