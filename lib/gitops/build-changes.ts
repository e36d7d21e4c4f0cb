import "server-only";

import { parseAllDocuments } from "yaml";

import { AppError } from "@/lib/errors/app-error";
import {
  SealingError,
  findMergeTarget,
  formatManifest,
  mergeInto,
  type ManifestFormat,
  type SealedSecretManifest,
} from "@/lib/sealing";

import type { ChangeDescription, DescribedFile } from "./describe-change";
import type { FileChange, GitProvider } from "./provider";

/** One cluster's sealed manifest and the file it belongs in (see locate-manifest). */
export type ProposedFile = {
  cluster: string;
  path: string;
  manifest: SealedSecretManifest;
  format?: ManifestFormat;
  /**
   * The SealedSecret as it is live in the cluster, when it is in no file yet and the user chose to adopt
   * it: written as the file's starting point (or appended to a file that holds others), then merged into.
   */
  adopted?: SealedSecretManifest;
};

export type BuildChangesInput = {
  provider: GitProvider;
  baseBranch: string;
  change: ChangeDescription;
  files: readonly ProposedFile[];
};

export type BuiltChanges = { changes: FileChange[]; described: DescribedFile[] };

export type PendingProposal = { head: string; files: Record<string, { cluster: string; keys: string[] }> };

/**
 * The file contents for this attempt, built on `baseHead`. With `pending` (an open proposal being
 * updated) the keys it changed earlier are read from its branch and merged again, so updating a
 * proposal never drops a value it already carried.
 */
export async function buildChanges(
  input: BuildChangesInput,
  baseHead: string,
  pending: PendingProposal | null,
  /** Keys already changed on the branch being built on, so the description still lists them. */
  alreadyChanged: Record<string, { cluster: string; keys: string[] }> = {},
): Promise<BuiltChanges> {
  const { provider, change } = input;
  const byPath = new Map<
    string,
    {
      cluster: string;
      format: ManifestFormat;
      updates: SealedSecretManifest[];
      adopted?: SealedSecretManifest;
    }
  >();
  for (const file of input.files) {
    const entry = byPath.get(file.path) ?? {
      cluster: file.cluster,
      format: file.format ?? formatOf(file.path),
      updates: [],
    };
    entry.updates.push(file.manifest);
    if (file.adopted) entry.adopted = file.adopted;
    byPath.set(file.path, entry);
  }

  const carried = new Map<
    string,
    { cluster: string; manifest: SealedSecretManifest | null; branchContent: string }
  >();
  for (const [path, { cluster, keys }] of Object.entries(pending?.files ?? {})) {
    if (!pending) break;
    const newKeys = new Set(
      byPath.get(path)?.updates.flatMap((u) => Object.keys(u.spec.encryptedData)) ?? [],
    );
    const onBranch = await provider.readFile(path, pending.head);
    if (!onBranch) continue;
    // Keys the new change also sets are left out: the new values win.
    const manifest = extractSealedSecret(
      onBranch.content,
      change.secret,
      keys.filter((k) => !newKeys.has(k)),
    );
    carried.set(path, { cluster, manifest, branchContent: onBranch.content });
  }

  const changes: FileChange[] = [];
  const described: DescribedFile[] = [];
  const paths = [...new Set([...carried.keys(), ...byPath.keys()])].sort();
  for (const path of paths) {
    const entry = byPath.get(path);
    const carry = carried.get(path);
    const updates = [...(carry?.manifest ? [carry.manifest] : []), ...(entry?.updates ?? [])];
    const existing = await provider.readFile(path, baseHead);
    const adopted = entry?.adopted;
    let content: string;
    if (adopted && !carry && !(existing && hasTarget(existing.content, adopted)))
      content = applyAll(
        withDocument(existing?.content ?? null, adopted, path),
        updates,
        change.action,
        path,
      );
    else if (existing) content = applyAll(existing.content, updates, change.action, path);
    else if (carry) content = applyAll(carry.branchContent, entry?.updates ?? [], change.action, path);
    else if (change.action === "create") content = formatManifest(updates, entry?.format ?? formatOf(path));
    else
      throw new AppError(
        "not_found",
        `${path} does not exist on ${input.baseBranch}; there is no SealedSecret there to ${change.action}.`,
      );
    if (existing && existing.content === content) continue;
    changes.push({ path, content, expectedVersion: existing?.version ?? null });
    described.push({
      path,
      cluster: entry?.cluster ?? carry?.cluster ?? "",
      keys: [
        ...new Set([
          ...(alreadyChanged[path]?.keys ?? []),
          ...updates.flatMap((u) => Object.keys(u.spec.encryptedData)),
        ]),
      ].sort(),
    });
  }
  for (const [path, earlier] of Object.entries(alreadyChanged)) {
    if (!described.some((d) => d.path === path)) described.push({ path, ...earlier });
  }
  if (changes.length === 0)
    throw new AppError("conflict", "The base branch already holds these values; nothing to propose.");
  return { changes, described };
}

/** Merges each update; a new secret is appended as another document when the file holds others. */
function applyAll(
  text: string,
  updates: readonly SealedSecretManifest[],
  action: ChangeDescription["action"],
  path: string,
) {
  let content = text;
  for (const update of updates) {
    try {
      content = mergeInto(content, update);
    } catch (error) {
      if (!(error instanceof SealingError)) throw error;
      const absent = error.code === "merge-target-not-found" || error.code === "merge-mismatch";
      if (action === "create" && absent && !hasTarget(content, update)) {
        const separator = content.endsWith("\n") ? "" : "\n";
        content = `${content}${separator}---\n${formatManifest(update, "yaml")}`;
        continue;
      }
      throw new AppError("unprocessable", `${path}: ${error.message}`, { sealing: error.code });
    }
  }
  return content;
}

/** `text` with `manifest` as one more document; the manifest alone when there is no file yet. */
function withDocument(text: string | null, manifest: SealedSecretManifest, path: string): string {
  if (text === null) return formatManifest(manifest, formatOf(path));
  const separator = text.endsWith("\n") ? "" : "\n";
  return `${text}${separator}---\n${formatManifest(manifest, "yaml")}`;
}

function hasTarget(text: string, update: SealedSecretManifest): boolean {
  try {
    findMergeTarget(text, { name: update.metadata.name, namespace: update.metadata.namespace ?? "" });
    return true;
  } catch {
    return false;
  }
}

/** The named SealedSecret from a file, narrowed to `keys`: the values a pending proposal carries. */
function extractSealedSecret(
  text: string,
  secret: { namespace: string; name: string },
  keys: readonly string[],
): SealedSecretManifest | null {
  if (keys.length === 0) return null;
  try {
    const target = findMergeTarget(text, { name: secret.name, namespace: secret.namespace });
    const document = parseAllDocuments(text)[target.documentIndex];
    const object = document?.toJS() as SealedSecretManifest | undefined;
    if (!object) return null;
    const encryptedData = Object.fromEntries(
      keys.flatMap((key) => {
        const value = object.spec.encryptedData[key];
        return typeof value === "string" ? [[key, value] as const] : [];
      }),
    );
    return { ...object, spec: { ...object.spec, encryptedData } };
  } catch {
    return null;
  }
}

function formatOf(path: string): ManifestFormat {
  return path.endsWith(".json") ? "json" : "yaml";
}
