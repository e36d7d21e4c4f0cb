import "server-only";

import type { PrismaClient } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";

import {
  signatureHeader,
  WEBHOOK_DENIED,
  type WebhookAdmission,
  type WebhookProvider,
  type WebhookResult,
} from "./admit-webhook";
import type { PullRequestState } from "./provider";
import { transitionProposal } from "./refresh-proposal-states";
import { verifyGitHubSignature, verifyGitLabToken, verifyGiteaSignature } from "./verify-webhook-signature";

/** A pull request that was closed or merged, as the forge's event describes it. */
type ClosedPullRequest = {
  number: number;
  branch: string;
  headSha: string | undefined;
  state: Exclude<PullRequestState, "open">;
};

const obj = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const str = (value: unknown) => (typeof value === "string" ? value : undefined);
const int = (value: unknown) => (typeof value === "number" && Number.isInteger(value) ? value : undefined);

function signatureValid(provider: WebhookProvider, secret: string, headers: Headers, body: Buffer): boolean {
  const header = signatureHeader(provider, headers);
  switch (provider) {
    case "github":
      return verifyGitHubSignature(secret, body, header);
    case "gitlab":
      return verifyGitLabToken(secret, header);
    case "gitea":
    case "forgejo":
      return verifyGiteaSignature(secret, body, header);
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
 * A forge's webhook, once admitted (admitWebhook: provider, repository, signature header and length
 * checked before the body was read): authenticated by its signature (or GitLab's token) with the secret
 * from the variable the repository names in `webhookSecretEnv`, before the payload is even parsed.
 * A bad signature, or a payload about another repository, is a bare 401. A pull request closed or merged
 * moves its Proposal row and appends `pull_request.merged` / `pull_request.closed` once (a redelivered
 * event finds the row no longer open).
 */
export async function handleWebhook(
  prisma: PrismaClient,
  input: { admission: Extract<WebhookAdmission, { admitted: true }>; headers: Headers; body: Buffer },
): Promise<WebhookResult> {
  const { provider, candidates } = input.admission;
  const verified = candidates
    .filter((c) => signatureValid(provider, c.secret, input.headers, input.body))
    .map((c) => c.repository);
  if (verified.length === 0) return WEBHOOK_DENIED;

  let payload: Record<string, unknown>;
  try {
    payload = obj(JSON.parse(input.body.toString("utf8")));
  } catch {
    return { status: 400, body: { error: "the payload is not JSON" } };
  }
  const name = repositoryOf(provider, payload)?.toLowerCase();
  // The secret proves the sender; the payload must also be about that very repository.
  const repository = verified.find((r) => "repository" in r && r.repository.toLowerCase() === name);
  if (!repository) return WEBHOOK_DENIED;

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
