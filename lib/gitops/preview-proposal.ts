import "server-only";

import type { Principal } from "@/lib/auth/principal";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import { formatManifest } from "@/lib/sealing";
import type { ProposeSealedSecretInput, PreviewProposalResult } from "@/lib/validations/proposal";

import { readBranchSnapshot, withSnapshot } from "./branch-snapshot";
import { buildChanges } from "./build-changes";
import { createProvider } from "./create-provider";
import type { ChangeDescription } from "./describe-change";
import { findCampaignPullRequest } from "./find-campaign-pull-request";
import { resolveProposedFiles } from "./resolve-proposed-files";
import { selectRepository } from "./select-repository";

/**
 * What proposing `input` would commit, built exactly as the proposal builds it (same location, same
 * merge, same adoption) on the base branch's current head, or, with `addToCampaign`, on the head of the
 * campaign's pull request (found from the campaign id and the principal's visibility, as the proposal
 * finds it, never from the browser), without writing anything: each file before
 * (from Git, or the cluster's live SealedSecret when it is adopted) and after. Ciphertext only, like
 * everything the form sends. An open proposal for the same secret is not taken into account: updating
 * it also carries the values it already holds.
 */
export async function previewProposal(
  input: ProposeSealedSecretInput,
  context: { principal: Principal; providerOptions?: { cacheDir?: string } },
): Promise<PreviewProposalResult> {
  const repository = await selectRepository(input.repository);
  const provider = createProvider(repository, process.env, context.providerOptions ?? {});
  const { files } = await resolveProposedFiles(provider, repository, input, context.principal);
  const shared = input.addToCampaign
    ? await findCampaignPullRequest(
        getPrismaOrThrow(),
        {
          campaignId: input.addToCampaign,
          repository: repository.id,
          namespace: input.namespace,
          name: input.name,
          clusters: files.map((f) => f.cluster),
        },
        (cluster, namespace) => canSeeRecord(context.principal, cluster, namespace),
      )
    : null;
  if (input.addToCampaign && !shared)
    throw new AppError(
      "conflict",
      `The re-seal campaign has no open pull request in ${repository.id} any more (merged or closed meanwhile). Propose the secret as its own pull request.`,
    );
  // Adding commits on top of the shared branch, so that branch's head is what the commit changes.
  const branch = shared?.branch ?? repository.baseBranch;
  const paths = [...new Set(files.map((f) => f.path))];
  const snapshot = await readBranchSnapshot(provider, branch, paths);
  if (!snapshot)
    throw new AppError(
      shared ? "conflict" : "not_found",
      shared
        ? `The campaign's pull request branch ${branch} no longer exists in ${provider.repositoryLabel}. Propose the secret as its own pull request.`
        : `The base branch ${branch} does not exist in ${provider.repositoryLabel}.`,
    );
  const reader = withSnapshot(provider, snapshot);
  const change: ChangeDescription = {
    secret: { namespace: input.namespace, name: input.name },
    action: input.action,
    keys: input.keys,
    clusters: files.map((f) => f.cluster),
    scope: input.scope,
    certificates: input.files.map((f) => ({ cluster: f.cluster, fingerprint: f.certificateFingerprint })),
    requestedBy: { name: context.principal.username, email: "" },
  };
  const built = await buildChanges(
    { provider: reader, baseBranch: repository.baseBranch, change, files },
    snapshot.head,
    null,
  );
  const result: PreviewProposalResult["files"] = [];
  for (const written of built.changes) {
    const file = files.find((f) => f.path === written.path);
    const existing = await reader.readFile(written.path, snapshot.head);
    const adopted = files.find((f) => f.path === written.path && f.adopted)?.adopted;
    result.push({
      cluster: file?.cluster ?? "",
      path: written.path,
      before: existing?.content ?? (adopted ? formatManifest(adopted, "yaml") : null),
      beforeSource: existing ? "git" : adopted ? "cluster" : "none",
      after: written.content,
    });
  }
  return { base: { branch, commit: snapshot.head, shared: shared !== null }, files: result };
}
