import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { listProposals } from "@/lib/gitops/list-proposals";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import { proposalListQuerySchema } from "@/lib/validations/proposal-list";

export const dynamic = "force-dynamic";

// GET /api/proposals – the pull requests Sealdeck opened, in the user's namespaces, states kept fresh by the background poller
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  const parsed = proposalListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return Response.json(
      {
        error: "invalid query",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
      { status: 422, headers: { "Cache-Control": "no-store" } },
    );
  const prisma = getPrismaOrThrow();
  // The repositories say how each open plain-git proposal is merged (here, or with the git commands).
  const repositories = await readGitopsRepositories().catch(() => []);
  return Response.json(await listProposals(prisma, principal, parsed.data, repositories), {
    headers: { "Cache-Control": "no-store" },
  });
});
