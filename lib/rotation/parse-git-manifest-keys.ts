import "server-only";

import { createHash } from "node:crypto";
import { parseAllDocuments } from "yaml";

import { isReencryptedCiphertext } from "@/lib/sealing";

/** One `spec.encryptedData.<key>` of one SealedSecret in a manifest file: names and a hash, no ciphertext. */
export type ManifestKey = {
  namespace: string;
  name: string;
  key: string;
  valueHash: string;
  /** The SealedSecret's `sealdeck.io/reencryption` marker lists exactly this ciphertext. */
  reencrypted?: true;
};

export type ParsedManifestKeys =
  | {
      ok: true;
      keys: ManifestKey[];
      /** SealedSecrets with no namespace or name in their metadata. */ unattributed: number;
    }
  | { ok: false };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() ? value.trim() : undefined;

/** The same hash lib/kube/rotation-watcher.ts records for a key's ciphertext (observed_rotations.value_hash). */
export const ciphertextHash = (ciphertext: string) =>
  createHash("sha256").update(ciphertext, "utf8").digest("hex");

/**
 * The SealedSecret keys of one YAML/JSON file (multi-document; `kind: *List` items too). Namespace and
 * name come from the SealedSecret's own metadata, else its `spec.template.metadata`; one with neither
 * (a namespace set by kustomize or the Argo CD destination) cannot be matched and is only counted.
 * A file that does not parse is `ok: false`, so the caller keeps what it knew (a parse error's message
 * quotes the file, so it is never passed on).
 */
export function parseGitManifestKeys(content: string): ParsedManifestKeys {
  // Cheap pre-filter: most files of a GitOps repository hold no SealedSecret.
  if (!content.includes("SealedSecret")) return { ok: true, keys: [], unattributed: 0 };
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(content);
  } catch {
    return { ok: false };
  }
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.some((document) => document.errors.length > 0)) return { ok: false };
  const keys = new Map<string, ManifestKey>();
  let unattributed = 0;
  const add = (value: unknown) => {
    if (!isRecord(value)) return;
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
      value.items.forEach(add);
      return;
    }
    if (value.kind !== "SealedSecret" || typeof value.apiVersion !== "string") return;
    if (!value.apiVersion.startsWith("bitnami.com/")) return;
    const spec = isRecord(value.spec) ? value.spec : {};
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    const template =
      isRecord(spec.template) && isRecord(spec.template.metadata) ? spec.template.metadata : {};
    const namespace = text(metadata.namespace) ?? text(template.namespace);
    const name = text(metadata.name) ?? text(template.name);
    if (!namespace || !name) {
      unattributed += 1;
      return;
    }
    const encrypted = isRecord(spec.encryptedData) ? spec.encryptedData : {};
    const annotations = isRecord(metadata.annotations) ? metadata.annotations : undefined;
    for (const [key, ciphertext] of Object.entries(encrypted)) {
      if (typeof ciphertext !== "string") continue;
      const valueHash = ciphertextHash(ciphertext);
      // The last document wins when a file holds the same secret twice (as `kubectl apply` would).
      keys.set(JSON.stringify([namespace, name, key]), {
        namespace,
        name,
        key,
        valueHash,
        ...(isReencryptedCiphertext(annotations, key, valueHash) ? { reencrypted: true as const } : {}),
      });
    }
  };
  for (const document of list) {
    try {
      add(document.toJS({ maxAliasCount: 100 }));
    } catch {
      return { ok: false };
    }
  }
  return { ok: true, keys: [...keys.values()], unattributed };
}
