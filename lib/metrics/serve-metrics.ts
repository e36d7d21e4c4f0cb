import "server-only";
import { tokenMatches } from "@/lib/audit/k8s-access/receive-k8s-audit-batch";
import { buildMetricsRegistry, type MetricsSnapshot } from "./build-metrics-registry";

export type ServeMetricsOptions = {
  /** SEALDECK_METRICS_TOKEN; undefined: the endpoint is off. */
  token: string | undefined;
  read: () => Promise<MetricsSnapshot>;
};

const reply = (status: number, error: string, headers: Record<string, string> = {}) =>
  Response.json({ error }, { status, headers: { "Cache-Control": "no-store", ...headers } });

/**
 * GET /api/metrics: Prometheus text format for a scraper holding the bearer token. No session: the
 * figures are counts and names (clusters, namespaces), never a secret's name or value, and a
 * scraper cannot sign in. Without a configured token the endpoint does not exist (404), so an
 * unconfigured deployment exposes nothing.
 */
export async function serveMetrics(request: Request, options: ServeMetricsOptions): Promise<Response> {
  if (!options.token) return reply(404, "metrics are not enabled on this server: set SEALDECK_METRICS_TOKEN");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match || !tokenMatches(match[1]!, options.token))
    return reply(401, match ? "invalid bearer token" : "a bearer token is required", {
      "WWW-Authenticate": 'Bearer realm="sealdeck-metrics"',
    });
  const registry = buildMetricsRegistry(await options.read());
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}
