import { getPrismaOrThrow } from "@/lib/db/prisma";
import { listValueFixes } from "@/lib/fix-value/list-value-fixes";
import type { ValueFixesResponse } from "@/lib/validations/value-fix";
import { secretRoute } from "../secret-route";

export const dynamic = "force-dynamic";

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/fixes – the secret's latest "Fix a value" runs and their progress.
export const GET = secretRoute(async (_request, { address, timing }) => {
  const body: ValueFixesResponse = {
    fixes: await timing.time("db", () => listValueFixes(getPrismaOrThrow(), address)),
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() } });
});
