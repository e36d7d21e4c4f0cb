import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { REENCRYPTION_TRAILER } from "@/lib/sealing";

import { buildChanges, type ProposedFile } from "./build-changes";
import type { ChangeDescription } from "./describe-change";
import type { GitProvider, PullRequest } from "./provider";
import { gitFailureReason } from "./provider-error";

export type ProposeReencryptionInput = {
  provider: GitProvider;
  repository: {
    baseBranch: string;
    branchPrefix: string;
    labels: readonly string[];
    reviewers: readonly string[];
  };
  cluster: string;
  /** The base branch's head the re-encrypted ciphertexts were read at (and are written on). */
  baseHead: string;
  newestKey: string;
  /**
   * One per SealedSecret: only `encryptedData`, `sealdeck.io/sealed-with` and the re-encryption marker
   * (`sealdeck.io/reencryption`) are merged in.
   */
  files: readonly (ProposedFile & { previousKey: string | null })[];
  requestedBy: ChangeDescription["requestedBy"];
};

export type ProposeReencryptionResult = { pullRequest: PullRequest; branch: string; commit: string };

/** One branch per cluster and newest key: a second run while the first is open finds it. */
export function reencryptionBranch(prefix: string, cluster: string, newestKey: string): string {
  const part = cluster.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
  return `${prefix}/reencrypt/${part}-${newestKey.slice(0, 12)}`;
}

const code = (value: string) => `\`${value.replace(/`/g, "'")}\``;
/** A requester's name on one line, unable to open markup. */
const plain = (value: string) =>
  value
    .replace(/[\r\n\t<>|]+/g, " ")
    .trim()
    .slice(0, 120);

/**
 * Commits every re-encrypted SealedSecret of one repository on a new branch and opens one pull
 * request. The files are merged with `mergeInto` (build-changes), so comments, order and every other
 * byte of each file stay; each write quotes the version read at `baseHead`. If any step after creating
 * the branch fails, the branch is deleted: no half-made proposal stays behind.
 */
export async function proposeReencryption(
  input: ProposeReencryptionInput,
): Promise<ProposeReencryptionResult> {
  const { provider, repository, cluster, newestKey } = input;
  const branch = reencryptionBranch(repository.branchPrefix, cluster, newestKey);
  const first = input.files[0];
  if (!first) throw new AppError("bad_request", "Nothing to re-encrypt.");
  const change: ChangeDescription = {
    secret: { namespace: first.manifest.metadata.namespace ?? "", name: first.manifest.metadata.name },
    action: "update",
    keys: [],
    clusters: [cluster],
    scope: "strict",
    certificates: [{ cluster, fingerprint: newestKey }],
    requestedBy: input.requestedBy,
  };
  const built = await buildChanges(
    { provider, baseBranch: repository.baseBranch, change, files: input.files },
    input.baseHead,
    null,
  );

  try {
    await provider.createBranch(branch, input.baseHead);
  } catch (error) {
    if (gitFailureReason(error) !== "conflict") throw error;
    throw new AppError(
      "conflict",
      `A re-encryption proposal for this key already exists on branch ${branch} in ${provider.repositoryLabel}; merge or close it (and delete the branch) first.`,
      { upstream: "git", reason: "conflict" },
    );
  }
  try {
    const count = input.files.length;
    const title = `Re-encrypt ${count} SealedSecret${count === 1 ? "" : "s"} on ${cluster} with the newest sealing key`;
    const who = input.requestedBy.login
      ? `${plain(input.requestedBy.name)} (@${plain(input.requestedBy.login)})`
      : `${plain(input.requestedBy.name)} (${plain(input.requestedBy.email)})`;
    const rows = input.files.map(
      (f) =>
        `| ${code(`${f.manifest.metadata.namespace ?? ""}/${f.manifest.metadata.name}`)} | ${code(f.path)} | ${f.previousKey ? code(f.previousKey.slice(0, 16)) : "unknown"} |`,
    );
    const commit = await provider.commitFiles({
      branch,
      expectedHead: input.baseHead,
      parent: input.baseHead,
      message: [
        title,
        "",
        `Cluster: ${cluster}`,
        `New key: ${newestKey}`,
        ...input.files.map(
          (f) =>
            `Re-encrypted: ${f.manifest.metadata.namespace ?? ""}/${f.manifest.metadata.name} (${f.path})`,
        ),
        `Requested by: ${who}`,
        "",
        // Read by the Git history backfill: this commit's new ciphertexts are not rotations.
        `${REENCRYPTION_TRAILER}: ${cluster} ${newestKey}`,
        "",
      ].join("\n"),
      author: { name: input.requestedBy.name, email: input.requestedBy.email },
      changes: built.changes,
    });
    const pullRequest = await provider.openPullRequest({
      head: branch,
      base: repository.baseBranch,
      title,
      body: [
        `Sealdeck re-encrypts these SealedSecrets with the newest sealing key of cluster ${code(cluster)} (${code(newestKey)}).`,
        "Each manifest's ciphertext was sent to the controller's `/v1/rotate`, which decrypts it in the cluster and seals",
        "every value again with its newest key; only the answer's ciphertext is committed. The values do not change.",
        "Once merged and synced, the older keys are no longer needed by these SealedSecrets.",
        "",
        "| SealedSecret | File | Sealed with |",
        "|---|---|---|",
        ...rows,
        "",
        `Requested by: ${who}`,
        "",
      ].join("\n"),
      labels: repository.labels,
      reviewers: repository.reviewers,
    });
    return { pullRequest, branch, commit };
  } catch (error) {
    await provider.deleteBranch(branch).catch(() => undefined);
    throw error;
  }
}
