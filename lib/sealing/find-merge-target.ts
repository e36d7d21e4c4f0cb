import { parseAllDocuments, type Document } from "yaml";

import { describeYamlError } from "./describe-yaml-error";
import { SealingError } from "./errors";
import { scopeFromAnnotations, type SealingScope } from "./scope";

/** The existing SealedSecret that a merge will update. */
export type MergeTarget = {
  /** Position of its document in the file (0-based). */
  documentIndex: number;
  name: string;
  /** `""` when the object has none (cluster-wide). */
  namespace: string;
  /** Read from the SealedSecret's own annotations, as the controller does. */
  scope: SealingScope;
  /** `spec.template.type`, `Opaque` when absent. */
  type: string;
  /** Keys already in `spec.encryptedData`. */
  keys: string[];
};

export type MergeRequest = { name: string; namespace?: string };

type Candidate = Omit<MergeTarget, "documentIndex"> & { documentIndex: number };

/** Parses a manifest file for merging; errors name the position, never the content. */
export function parseManifestFile(text: string): Document.Parsed[] {
  const documents = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  for (const [index, document] of documents.entries()) {
    const error = document.errors[0];
    if (error) {
      throw new SealingError(
        "manifest-invalid",
        `The file is not valid YAML${describeYamlError(text, error)} in document ${index + 1}; it was left unchanged.`,
      );
    }
  }
  return documents;
}

/**
 * Finds the SealedSecret that `request` names in a (possibly multi-document) manifest file and reports
 * its scope, so the new values can be sealed with the label the controller will use for it.
 *
 * Matching is by name and, when given, namespace. A file holding exactly one SealedSecret whose name or
 * namespace differs is refused rather than retargeted — kubeseal's `--merge-into` silently renames the
 * input instead, which turns a typo into a value sealed for the wrong Secret.
 *
 * @throws SealingError `merge-target-not-found`, `merge-mismatch` or `manifest-invalid`.
 */
export function findMergeTarget(text: string, request: MergeRequest): MergeTarget {
  const candidates = listSealedSecrets(parseManifestFile(text));
  const wanted = request.namespace ? `${request.namespace}/${request.name}` : request.name;
  const matches = candidates.filter(
    (c) =>
      c.name === request.name &&
      (request.namespace === undefined || request.namespace === "" || c.namespace === request.namespace),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new SealingError(
      "merge-target-not-found",
      `The file holds ${matches.length} SealedSecrets named "${request.name}"; give the namespace to choose one.`,
    );
  }
  if (candidates.length === 0) {
    throw new SealingError("merge-target-not-found", "The file holds no SealedSecret to merge into.");
  }
  if (candidates.length === 1) {
    const only = candidates[0]!;
    const field = only.name !== request.name ? "name" : "namespace";
    throw new SealingError(
      "merge-mismatch",
      `The file's SealedSecret is ${describe(only)} but the Secret to merge is ${wanted}; ` +
        `refusing to merge across a different ${field}.`,
    );
  }
  throw new SealingError(
    "merge-target-not-found",
    `No SealedSecret ${wanted} in the file (it holds ${candidates.map(describe).join(", ")}).`,
  );
}

function listSealedSecrets(documents: Document.Parsed[]): Candidate[] {
  const found: Candidate[] = [];
  documents.forEach((document, documentIndex) => {
    const value: unknown = document.toJS();
    if (!isRecord(value) || value.kind !== "SealedSecret") return;
    if (typeof value.apiVersion !== "string" || !value.apiVersion.startsWith("bitnami.com/")) return;
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    const spec = isRecord(value.spec) ? value.spec : {};
    const template = isRecord(spec.template) ? spec.template : {};
    found.push({
      documentIndex,
      name: typeof metadata.name === "string" ? metadata.name : "",
      namespace: typeof metadata.namespace === "string" ? metadata.namespace : "",
      scope: scopeFromAnnotations(stringRecord(metadata.annotations)),
      type: typeof template.type === "string" && template.type !== "" ? template.type : "Opaque",
      keys: isRecord(spec.encryptedData) ? Object.keys(spec.encryptedData) : [],
    });
  });
  return found;
}

function describe(c: { name: string; namespace: string }): string {
  return c.namespace ? `${c.namespace}/${c.name}` : c.name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}
