import "server-only";

import type { Principal } from "@/lib/auth/principal";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import { logger } from "@/lib/log/logger";
import type { ProposeSealedSecretInput, ProposeSealedSecretResult } from "@/lib/validations/proposal";
import { CLUSTER_SCOPED_NAMESPACE } from "@/lib/validations/secret-record";

import { addToPullRequest } from "./add-to-pull-request";
import { createProvider } from "./create-provider";
import { proposalBranch, type ChangeDescription } from "./describe-change";
import { findCampaignPullRequest } from "./find-campaign-pull-request";
import { proposeChange, type ProposedFile } from "./propose-change";
import type { GitProvider, PullRequest } from "./provider";
import { recordProposal } from "./record-proposal";
import { refreshOpenProposalsOnBranch } from "./refresh-proposal-states";
import { resolveProposedFiles } from "./resolve-proposed-files";
import { selectRepository } from "./select-repository";

export type ProposeContext = {
  principal: Principal;
  /** The dashboard's own origin (NEXTAUTH_URL, else the request's), for the link back in the PR. */
  origin: string | null;
  /** For tests: where the plain-git provider keeps its cache clone. */
  providerOptions?: { cacheDir?: string };
};

/** `http(s)://…` URLs only: plain git's "pull request" is `<remote>#<branch>`, which is not one. */
const webUrl = (url: string) => (/^https?:\/\//.test(url) ? url : null);

function secretPageUrl(origin: string | null, cluster: string, namespace: string, name: string) {
  if (!origin) return undefined;
  const path = [cluster, namespace || CLUSTER_SCOPED_NAMESPACE, "SealedSecret", name]
    .map(encodeURIComponent)
    .join("/");
  return `${origin.replace(/\/+$/, "")}/secrets/${path}`;
}

export async function requester(principal: Principal): Promise<ChangeDescription["requestedBy"]> {
  const user = await getPrismaOrThrow().user.findUnique({
    where: { id: principal.userId },
    select: { email: true, externalProvider: true },
  });
  return {
    name: principal.displayName || principal.username,
    // Git needs an address; a user without one gets a reserved, never-deliverable one that still names them.
    email: user?.email ?? `${principal.username.replace(/[^\w.+-]/g, "-")}@users.sealdeck.invalid`,
    ...(user?.externalProvider === "github" ? { login: principal.username } : {}),
  };
}

/**
 * Proposes sealed manifests as a pull request (plain git: a branch), behind the audit log:
 *
 * 1. `secret.seal.requested` is written first (keys, scope, each cluster's certificate fingerprint,
 *    reason and ticket; never a value). If it cannot be written, nothing reaches the Git host.
 * 2. Every file is located (Argo CD Application, templates, search, new); a path the form sends must be
 *    that one or another of the repository's templates for the same cluster and namespace.
 * 3. `proposeChange` commits to the secret's own branch and opens or updates its pull request; with
 *    `addToCampaign`, `addToPullRequest` commits onto the re-seal campaign's open pull request in this
 *    repository instead (found here, never taken from the browser; both events name it).
 * 4. The Proposal row is recorded and `pull_request.opened` / `pull_request.updated` appended in one
 *    transaction; a failure at 2–3 appends `pull_request.failed` and the provider's error is passed on.
 *
 * Authorization (every file's cluster and namespace) is the caller's.
 */
export async function proposeSealedSecret(
  input: ProposeSealedSecretInput,
  context: ProposeContext,
): Promise<ProposeSealedSecretResult> {
  const { principal } = context;
  const prisma = getPrismaOrThrow();
  const repository = await selectRepository(input.repository);
  const clusters = input.files.map((f) => f.cluster);
  const keys = [...new Set(input.keys)].sort();
  const actor = principalActor(principal);
  const target = {
    cluster: clusters.length === 1 ? clusters[0] : null,
    namespace: input.namespace,
    kind: "SealedSecret",
    name: input.name,
    keys,
  };
  const certificates = input.files.map((f) => ({
    cluster: f.cluster,
    fingerprint: f.certificateFingerprint,
  }));
  const common = {
    repository: repository.id,
    provider: repository.provider,
    action: input.action,
    clusters,
  };
  const shared = input.addToCampaign
    ? await findCampaignPullRequest(
        prisma,
        {
          campaignId: input.addToCampaign,
          repository: repository.id,
          namespace: input.namespace,
          name: input.name,
          clusters,
        },
        (cluster, namespace) => canSeeRecord(principal, cluster, namespace),
      )
    : null;
  if (input.addToCampaign && !shared)
    throw new AppError(
      "conflict",
      `The re-seal campaign has no open pull request in ${repository.id} any more (merged or closed meanwhile); nothing was proposed. Propose the secret as its own pull request.`,
    );
  const sharedDetails = shared
    ? {
        campaign: input.addToCampaign,
        sharedPullRequest: { branch: shared.branch, number: shared.number, url: shared.url.slice(0, 500) },
      }
    : {};

  try {
    await appendAuditEvent(prisma, {
      actor,
      action: "secret.seal.requested",
      target,
      outcome: "pending",
      details: {
        ...common,
        scope: input.scope,
        certificates,
        ...(input.adopt ? { adopt: true } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.ticket ? { ticket: input.ticket } : {}),
        ...sharedDetails,
      },
    });
  } catch (error) {
    logger.error({ err: error, action: "secret.seal.requested" }, "audit write failed; proposal refused");
    throw new AppError(
      "unavailable",
      "The audit log cannot be written right now, so nothing was proposed and the Git host was not contacted. Try again later.",
    );
  }

  let provider: GitProvider | undefined;
  let files: ProposedFile[] = [];
  try {
    provider = createProvider(repository, process.env, context.providerOptions ?? {});
    const resolved = await resolveProposedFiles(provider, repository, input, principal);
    files = resolved.files;
    const change: ChangeDescription = {
      secret: { namespace: input.namespace, name: input.name },
      action: input.action,
      keys,
      clusters,
      scope: input.scope,
      certificates,
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.ticket ? { ticket: input.ticket } : {}),
      requestedBy: await requester(principal),
      dashboardUrl: secretPageUrl(context.origin, clusters[0] ?? "", input.namespace, input.name),
      ...(resolved.adopted.length > 0 ? { adopted: resolved.adopted } : {}),
    };
    // Without a pull-request API, an earlier proposal on this branch is only known by its branch: settle
    // its state before the branch is reused, so the Changes page does not show two open rows.
    if (!provider.hasPullRequests && !shared)
      await refreshOpenProposalsOnBranch(
        prisma,
        provider,
        repository.id,
        proposalBranch(repository.branchPrefix, change.secret),
      ).catch((error: unknown) => logger.warn({ err: error }, "earlier proposal state not refreshed"));
    const result: {
      pullRequest: PullRequest;
      branch: string;
      commit: string;
      created: boolean;
      secrets?: string[];
    } = shared
      ? await addToPullRequest({ provider, repository, branch: shared.branch, change, files }).then(
          (added) => ({ ...added, branch: shared.branch, created: false }),
        )
      : await proposeChange({ provider, repository, change, files });
    const { pullRequest } = result;
    const sharedSecrets = result.secrets?.length;
    const outcome = {
      actor,
      action: result.created ? "pull_request.opened" : "pull_request.updated",
      target,
      outcome: "success" as const,
      pullRequestUrl: webUrl(pullRequest.url),
      details: {
        ...common,
        number: pullRequest.number,
        branch: result.branch,
        commit: result.commit,
        files: files.map((f) => ({ cluster: f.cluster, path: f.path })),
        ...(resolved.adopted.length > 0 ? { adoptedFrom: resolved.adopted } : {}),
        ...(webUrl(pullRequest.url) ? {} : { location: pullRequest.url.slice(0, 500) }),
        ...(sharedSecrets !== undefined ? { ...sharedDetails, sharedSecrets } : {}),
      },
    };
    const record = {
      repository: repository.id,
      provider: repository.provider,
      pullRequest,
      branch: result.branch,
      baseBranch: repository.baseBranch,
      namespace: input.namespace,
      name: input.name,
      clusters,
      keys,
      // The name the audit log records for them, so the Changes page and the timeline write one person one way.
      requestedBy: { id: principal.userId, name: principal.username },
      created: result.created,
    };
    // The pull request exists now: failing to record it is logged, never reported as a failed proposal.
    await prisma
      .$transaction(async (tx) => {
        await recordProposal(tx, record);
        await appendAuditEvent(tx, outcome);
      })
      .catch(async (error: unknown) => {
        logger.error({ err: error }, "proposal not recorded; recording its audit event alone");
        await appendAuditEvent(prisma, outcome).catch((auditError: unknown) =>
          logger.error({ err: auditError }, "audit outcome not recorded"),
        );
      });
    return {
      pullRequest: { number: pullRequest.number, url: pullRequest.url, state: pullRequest.state },
      branch: result.branch,
      created: result.created,
      files: files.map((f) => ({ cluster: f.cluster, path: f.path })),
      ...(sharedSecrets !== undefined ? { sharedSecrets } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await appendAuditEvent(prisma, {
      actor,
      action: "pull_request.failed",
      target,
      outcome: "failure",
      details: {
        ...common,
        ...sharedDetails,
        error: message.slice(0, 500),
        ...(files.length ? { files: files.map((f) => ({ cluster: f.cluster, path: f.path })) } : {}),
      },
    }).catch((auditError: unknown) => logger.error({ err: auditError }, "audit outcome not recorded"));
    if (error instanceof AppError) throw error;
    logger.error({ err: error }, "proposal failed");
    throw new AppError(
      "bad_gateway",
      `The proposal could not be made in ${provider?.repositoryLabel ?? repository.id}.`,
    );
  }
}
