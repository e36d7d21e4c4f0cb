import { checkReadiness } from "@/lib/health/check-readiness";

// GET /api/readyz – readiness: database reachable and migrated; 503 with the failing checks' reasons.
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(
    { status: readiness.ready ? "ready" : "not ready", checks: readiness.checks },
    { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
