import { getPrismaOrThrow } from "@/lib/db/prisma";
import {
  admitWebhook,
  WEBHOOK_DENIED,
  WEBHOOK_MAX_BODY_BYTES,
  WEBHOOK_TOO_LARGE,
  type WebhookResult,
} from "@/lib/gitops/admit-webhook";
import { handleWebhook } from "@/lib/gitops/handle-webhook";
import { BodyTooLargeError, readWebhookBody } from "@/lib/gitops/read-webhook-body";
import { logger } from "@/lib/log/logger";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";

export const dynamic = "force-dynamic";

const reply = ({ status, body }: WebhookResult) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

// POST /api/webhooks/[provider] – GitHub, GitLab, Gitea or Forgejo reports a pull request merged or closed.
// Public in the route registry: the forge authenticates with the repository's webhook signature, so
// everything checkable is checked before the body is read, and the body is capped while it streams.
export async function POST(request: Request, context: { params: Promise<{ provider: string }> }) {
  const { provider } = await context.params;
  const repositories = await readGitopsRepositories().catch((error: unknown) => {
    logger.warn({ err: error }, "webhook refused: the repository settings cannot be read");
    return null;
  });
  if (!repositories) return reply(WEBHOOK_DENIED);
  const admission = admitWebhook({ provider, headers: request.headers, repositories });
  if (!admission.admitted) return reply(admission.result);
  let body: Buffer;
  try {
    body = await readWebhookBody(request, WEBHOOK_MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return reply(WEBHOOK_TOO_LARGE);
    throw error;
  }
  return reply(await handleWebhook(getPrismaOrThrow(), { admission, headers: request.headers, body }));
}
