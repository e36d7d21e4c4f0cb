import "server-only";

import type { PrismaClient } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import type { GitopsRepository } from "@/lib/validations/gitops";

import type { PullRequestState } from "./provider";
import { transitionProposal } from "./refresh-proposal-states";
import { verifyGitHubSignature, verifyGitLabToken, verifyGiteaSignature } from "./verify-webhook-signature";

export const webhookProviders = ["github", "gitlab", "gitea", "forgejo"] as const;
export type WebhookProvider = (typeof webhookProviders)[number];

export type WebhookResult = { status: number; body: Record<string, unknown> };

/** A pull request that was closed or merged, as the forge's event describes it. */
type ClosedPullRequest = {
  number: number;
  branch: string;
  headSha: string | undefined;
  state: Exclude<PullRequestState, "open">;
};

const DENIED: WebhookResult = { status: 401, body: {} };

const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const str = (value: unknown) => (typeof value === "string" ? value : undefined);
const int = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : undefined);

const kindOf = { github: "github", gitlab: "gitlab", gitea: "gitea", forgejo: "gitea" } as const;

function signatureValid(provider: WebhookProvider, secret: string, headers: Headers, body: Buffer): boolean {
  switch (provider) {
    case "github":
      return verifyGitHubSignature(secret, body, headers.get("x-hub-signature-256"));
    case "gitlab":
      return verifyGitLabToken(secret, headers.get("x-gitlab-token"));
    case "gitea":
      return verifyGiteaSignature(
        secret,
        body,
        headers.get("x-gitea-signature") ?? headers.get("x-forgejo-signature"),
      );
    case "forgejo":
      return verifyGiteaSignature(
        secret,
        body,
        headers.get("x-forgejo-signature") ?? headers.get("x-gitea-signature"),
      );
  }
}

function repositoryOf(provider: WebhookProvider, payload: Record<string, unknown>): string | undefined {
  return provider === "gitlab"
    ? str(obj(payload.project).path_with_namespace)
    : str(obj(payload.repository).full_name);
}

function closedPullRequest(
  provider: WebhookProvider,
  headers: Headers,
  payload: Record<string, unknown>,
): ClosedPullRequest | null {
  if (provider === "gitlab") {
    if (payload.object_kind !== "merge_request") return null;
    const mr = obj(payload.object_attributes);
    const action = str(mr.action);
    const number = int(mr.iid);
    const branch = str(mr.source_branch);
    if ((action !== "merge" && action !== "close") || number === undefined || !branch) return null;
    return {
      number,
      branch,
      headSha: str(obj(mr.last_commit).id),
      state: action === "merge" ? "merged" : "closed",
    };
  }
  const event =
    provider === "github"
      ? headers.get("x-github-event")
      : (headers.get("x-forgejo-event") ?? headers.get("x-gitea-event") ?? headers.get("x-github-event"));
  if (event !== "pull_request" || payload.action !== "closed") return null;
  const pull = obj(payload.pull_request);
  const head = obj(pull.head);
  const number = int(pull.number) ?? int(payload.number);
  const branch = str(head.ref);
  if (number === undefined || !branch) return null;
  return { number, branch, headSha: str(head.sha), state: pull.merged === true ? "merged" : "closed" };
}

/**
 * A forge's webhook: authenticated by its signature (or GitLab's token) with the secret from the
 * environment variable the repository names in `webhookSecretEnv`, before the payload is even parsed.
 * An unknown provider or repository, or a bad signature, is a bare 401. A pull request closed or
 * merged moves its Proposal row and appends `pull_request.merged` / `pull_request.closed` once
 * (a redelivered event finds the row no longer open).
 */
export async function handleWebhook(
  prisma: PrismaClient,
  input: {
    provider: string;
    headers: Headers;
    body: Buffer;
    repositories: readonly GitopsRepository[];
    env?: Record<string, string | undefined>;
  },
): Promise<WebhookResult> {
  if (!(webhookProviders as readonly string[]).includes(input.provider)) return DENIED;
  const provider = input.provider as WebhookProvider;
  const env = input.env ?? process.env;
  const verified = input.repositories.filter((repository) => {
    if (repository.provider !== kindOf[provider] || !repository.webhookSecretEnv) return false;
    const secret = env[repository.webhookSecretEnv];
    return Boolean(secret) && signatureValid(provider, secret!, input.headers, input.body);
  });
  if (verified.length === 0) return DENIED;

  let payload: Record<string, unknown>;
  try {
    payload = obj(JSON.parse(input.body.toString("utf8")));
  } catch {
    return { status: 400, body: { error: "the payload is not JSON" } };
  }
  const name = repositoryOf(provider, payload)?.toLowerCase();
  // The secret proves the sender; the payload must also be about that very repository.
  const repository = verified.find((r) => "repository" in r && r.repository.toLowerCase() === name);
  if (!repository) return DENIED;

  const closed = closedPullRequest(provider, input.headers, payload);
  if (!closed) return { status: 200, body: { ignored: true } };
  const rows = await prisma.proposal.findMany({
    where: { repository: repository.id, number: closed.number, branch: closed.branch, state: "open" },
  });
  let updated = 0;
  for (const row of rows) {
    if (
      await transitionProposal(prisma, row, closed.state, {
        source: "webhook",
        actor: `${provider} webhook`,
        headSha: closed.headSha,
      })
    )
      updated++;
  }
  if (updated > 0)
    logger.info(
      { repository: repository.id, number: closed.number, state: closed.state },
      "pull request state from webhook",
    );
  return { status: 200, body: { updated } };
}
