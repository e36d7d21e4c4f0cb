import { getPrismaOrThrow } from "@/lib/db/prisma";
import { handleWebhook } from "@/lib/gitops/handle-webhook";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";

export const dynamic = "force-dynamic";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

const reply = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

// POST /api/webhooks/[provider] – GitHub, GitLab, Gitea or Forgejo reports a pull request merged or closed.
// Public in the route registry: the forge authenticates with the repository's webhook signature.
export async function POST(request: Request, context: { params: Promise<{ provider: string }> }) {
  const { provider } = await context.params;
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return reply(413, { error: "payload too large" });
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) return reply(413, { error: "payload too large" });
  const result = await handleWebhook(getPrismaOrThrow(), {
    provider,
    headers: request.headers,
    body,
    repositories: await readGitopsRepositories(),
  });
  return reply(result.status, result.body);
}
