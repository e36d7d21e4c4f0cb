import { k8sAccessQuerySchema } from "@/lib/audit/k8s-access/k8s-access-query";
import { queryK8sAccessEvents } from "@/lib/audit/query-k8s-access-events";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getPrismaOrThrow } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

// GET /api/k8s-access – the Kubernetes access history (from the API server's audit webhook), newest
// first: ?cluster=&namespace=&name=&resource=&user=&verb=&from=&to=&cursor=&limit=
export const GET = authorizedRoute("audit:read", async (request) => {
  const parsed = k8sAccessQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json(
      {
        error: "invalid query",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
      { status: 422 },
    );
  }
  const page = await queryK8sAccessEvents(getPrismaOrThrow(), parsed.data);
  return Response.json(page, { headers: { "Cache-Control": "no-store" } });
});
