import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { listValueFixes } from "@/lib/fix-value/list-value-fixes";
import { secretRouteParamsSchema } from "@/lib/validations/secret-list-query";
import type { ValueFixesResponse } from "@/lib/validations/value-fix";

export const dynamic = "force-dynamic";

type Params = { cluster: string; namespace: string; kind: string; name: string };

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/fixes – the secret's latest "Fix a value" runs and their progress.
export const GET = authorizedRoute<Params>(
  "inventory:read",
  async (_request, { params }) => {
    const address = secretRouteParamsSchema.safeParse(params);
    if (!address.success) return Response.json({ error: "invalid secret address" }, { status: 422 });
    const body: ValueFixesResponse = { fixes: await listValueFixes(getPrismaOrThrow(), address.data) };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  },
  { resource: (_request, params) => ({ cluster: params.cluster, namespace: params.namespace }) },
);
