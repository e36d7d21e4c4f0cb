// GET /api/healthz – liveness: the process is up and serving (no dependency is checked).
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
