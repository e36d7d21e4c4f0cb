import { getEnv } from "@/lib/config/env";
import { readMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";
import { serveMetrics } from "@/lib/metrics/serve-metrics";

export const dynamic = "force-dynamic";

// GET /api/metrics – Prometheus scrape. Public in the route registry: the bearer token
// SEALDECK_METRICS_TOKEN authenticates it (404 while unset).
export async function GET(request: Request): Promise<Response> {
  return serveMetrics(request, { token: getEnv().SEALDECK_METRICS_TOKEN, read: readMetricsSnapshot });
}
