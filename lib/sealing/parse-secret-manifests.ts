import { parseAllDocuments } from "yaml";
import { z } from "zod";

import { decodeBase64 } from "./decode-base64";
import { describeYamlError } from "./describe-yaml-error";
import { SealingError } from "./errors";
import type { SecretEntry, SecretInput } from "./secret-input";

const stringMap = z.record(z.string(), z.string());

const secretManifestSchema = z.looseObject({
  apiVersion: z.literal("v1"),
  kind: z.literal("Secret"),
  metadata: z.looseObject({
    name: z.string().optional(),
    namespace: z.string().optional(),
    labels: stringMap.nullish(),
    annotations: stringMap.nullish(),
  }),
  type: z.string().optional(),
  immutable: z.boolean().nullish(),
  // A null value is how `kubectl` writes an empty one.
  data: z.record(z.string(), z.string().nullable()).nullish(),
  stringData: z.record(z.string(), z.string().nullable()).nullish(),
});

/**
 * Reads one or more `v1` Secret manifests (YAML documents or JSON), the input of `kubeseal`, into
 * `SecretInput`s: `data` is base64-decoded and `stringData` wins over `data` for the same key, as the
 * API server merges them and as kubeseal seals them. Only name, namespace, labels, annotations, type
 * and immutable are kept; server-set metadata (managedFields, uid, ownerReferences…) is dropped here.
 *
 * @throws SealingError `manifest-invalid`, naming the document, line or field but never a value (a
 *   Secret manifest holds plaintext, so parser excerpts of the source are never shown).
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/kubeseal/kubeseal.go (readSecrets)
 */
export function parseSecretManifests(text: string): SecretInput[] {
  const documents = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  const secrets: SecretInput[] = [];
  documents.forEach((document, index) => {
    const where = documents.length > 1 ? `document ${index + 1}` : "the input";
    const error = document.errors[0];
    if (error) {
      throw new SealingError(
        "manifest-invalid",
        `${where} is not valid YAML or JSON${describeYamlError(text, error)}.`,
      );
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return; // an empty document between `---` markers
    const parsed = secretManifestSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join(".") || "(root)";
      throw new SealingError(
        "manifest-invalid",
        `${where} is not a v1 Secret: ${path}: ${issue?.message ?? "invalid"}.`,
      );
    }
    secrets.push(toSecretInput(parsed.data, where));
  });
  return secrets;
}

function toSecretInput(manifest: z.infer<typeof secretManifestSchema>, where: string): SecretInput {
  const entries = new Map<string, SecretEntry>();
  for (const [key, encoded] of Object.entries(manifest.data ?? {})) {
    const value = decodeBase64(encoded ?? "");
    if (!value) {
      throw new SealingError(
        "manifest-invalid",
        `${where}: data[${JSON.stringify(key)}] is not valid base64.`,
      );
    }
    entries.set(key, { key, value });
  }
  for (const [key, value] of Object.entries(manifest.stringData ?? {})) {
    entries.set(key, { key, value: value ?? "" });
  }
  const { metadata } = manifest;
  return {
    name: metadata.name ?? "",
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    ...(manifest.type ? { type: manifest.type } : {}),
    ...(metadata.labels ? { labels: metadata.labels } : {}),
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    ...(manifest.immutable != null ? { immutable: manifest.immutable } : {}),
    entries: [...entries.values()],
  };
}
