import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { summarizeInventory } from "@/lib/kube/summarize-inventory";
import { computeRotationSchedule, DAY_MS } from "@/lib/rotation/compute-rotation-schedule";
import { indexEvidence } from "@/lib/rotation/index-rotation-evidence";
import { filterEntries } from "@/lib/rotation/query-rotation-schedule";
import { indexPolicies } from "@/lib/rotation/resolve-policy";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import { rotationStatuses } from "@/lib/validations/rotation";
import type { HealthStatus, SecretRecord } from "@/lib/validations/secret-record";
import type { MetricsSnapshot } from "./build-metrics-registry";
import { serveMetrics } from "./serve-metrics";
import { testSecretRecord } from "@/lib/testing/test-secret-record";

const TOKEN = "metrics-token-0123456789abcdef0123456789";
const now = new Date("2026-12-05T12:00:00.000Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

function record(
  cluster: string,
  namespace: string | null,
  name: string,
  createdDaysAgo: number,
  health: HealthStatus = "Healthy",
  kind: SecretRecord["kind"] = "SealedSecret",
): SecretRecord {
  return testSecretRecord(name, health, {
    cluster,
    namespace,
    kind,
    uid: `${cluster}-${name}`,
    createdAt: ago(createdDaysAgo),
    rotationAnnotations: {},
    keys: ["password", "username"],
  });
}

// Two clusters, several namespaces, keys overdue (created 400 days ago, default 90-day policy), due
// within 7 and 30 days, and compliant; one secret degraded; a stale cluster.
const records = [
  record("prod", "payments", "db", 400, "Degraded"),
  record("prod", "payments", "api", 85),
  record("prod", "web", "session", 65),
  record("prod", "web", "cookie", 10, "Stale"),
  record("staging", "payments", "db", 200),
  record("staging", "tools", "ci", 1),
];
const schedule = computeRotationSchedule({
  records,
  policies: indexPolicies([]),
  waivers: [],
  teamMapping: [],
  environmentOf: () => null,
  evidence: indexEvidence({ observed: [], mergedProposals: [], gitChanges: [] }),
  now,
});
const key = (name: string, days: number) => ({ name, createdAt: ago(days), active: true });
const controller = (keys: ReturnType<typeof key>[]): ClusterStatus["controller"] => ({
  namespace: "kube-system",
  service: "sealed-secrets-controller",
  port: "http",
  certificate: null,
  error: null,
  keys,
});
const clusters: MetricsSnapshot["clusters"] = [
  { name: "prod", state: "synced", since: null, controller: controller([key("k0", 70), key("k1", 40)]) },
  { name: "staging", state: "stale", since: ago(1), controller: controller([key("k0", 3)]) },
];
const snapshot = (): MetricsSnapshot => ({
  records,
  clusters,
  keyRenewalDays: () => 30,
  rotation: schedule,
  auditHeadSeq: 42n,
  errors: [],
  now,
});

const scrape = (
  authorization: string | null,
  { token }: { token: string | undefined } = { token: TOKEN },
) => {
  let reads = 0;
  const response = serveMetrics(
    new Request("http://sealdeck.test/api/metrics", {
      headers: authorization === null ? {} : { authorization },
    }),
    {
      token,
      read: () => {
        reads += 1;
        return Promise.resolve(snapshot());
      },
    },
  );
  return { response, reads: () => reads };
};

const family = (families: PrometheusFamily[], name: string) => {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`metric ${name} missing`);
  return found;
};
const valueOf = (f: PrometheusFamily, labels: Record<string, string>) =>
  Number(
    f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? Number.NaN,
  );

describe("GET /api/metrics", () => {
  it("does not exist while SEALDECK_METRICS_TOKEN is unset", async () => {
    const { response, reads } = scrape(`Bearer ${TOKEN}`, { token: undefined });
    expect((await response).status).toBe(404);
    expect(reads()).toBe(0);
  });

  it("refuses a missing or wrong bearer token with 401, before reading anything", async () => {
    for (const authorization of [null, `Bearer ${TOKEN}x`, `Bearer wrong`, `Basic ${TOKEN}`]) {
      const { response, reads } = scrape(authorization);
      const answer = await response;
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await answer.text()).not.toContain(TOKEN);
      expect(reads()).toBe(0);
    }
  });

  it("serves Prometheus text whose figures equal the Rotations page's counts and the inventory's", async () => {
    const answer = await scrape(`Bearer ${TOKEN}`).response;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/plain");
    const families = parsePrometheusTextFormat(await answer.text());

    // Rotation keys per cluster, namespace and status: the page's counts under the same filter.
    const rotation = family(families, "sealdeck_rotation_keys");
    expect(rotation.type).toBe("GAUGE");
    const places = [...new Set(records.map((r) => `${r.cluster}/${r.namespace}`))];
    let overdue = 0;
    for (const place of places) {
      const [cluster = "", namespace = ""] = place.split("/");
      const { counts } = filterEntries(schedule, { sort: "status", order: "asc", cluster, namespace }, null);
      for (const status of rotationStatuses)
        expect(valueOf(rotation, { cluster, namespace, status }), `${place} ${status}`).toBe(counts[status]);
      overdue += counts.overdue;
    }
    expect(overdue).toBe(4);
    const pageTotals = filterEntries(schedule, { sort: "status", order: "asc" }, null).counts;
    expect(rotation.metrics.reduce((sum, m) => sum + Number(m.value), 0)).toBe(
      Object.values(pageTotals).reduce((a, b) => a + b, 0),
    );
    const oldest = family(families, "sealdeck_rotation_oldest_key_age_seconds");
    expect(valueOf(oldest, { cluster: "prod" })).toBe(400 * 86_400);
    expect(valueOf(oldest, { cluster: "staging" })).toBe(200 * 86_400);

    // Secrets by health: the Overview's figures.
    const secrets = family(families, "sealdeck_secrets");
    const byHealth = summarizeInventory(records, [], []).byHealth;
    for (const health of Object.keys(byHealth) as HealthStatus[]) {
      const total = secrets.metrics
        .filter((m) => m.labels?.health === health)
        .reduce((sum, m) => sum + Number(m.value), 0);
      expect(total, health).toBe(byHealth[health]);
    }
    expect(valueOf(secrets, { cluster: "prod", kind: "SealedSecret", health: "Degraded" })).toBe(1);
    expect(valueOf(secrets, { cluster: "staging", kind: "ExternalSecret", health: "Healthy" })).toBe(0);

    // Sealing keys, their freshness, the audit head and the caches' staleness.
    expect(valueOf(family(families, "sealdeck_sealing_keys"), { cluster: "prod" })).toBe(2);
    expect(valueOf(family(families, "sealdeck_sealing_key_newest_age_seconds"), { cluster: "prod" })).toBe(
      40 * 86_400,
    );
    const overdueKeys = family(families, "sealdeck_sealing_key_renewal_overdue");
    expect([valueOf(overdueKeys, { cluster: "prod" }), valueOf(overdueKeys, { cluster: "staging" })]).toEqual(
      [1, 0],
    );
    expect(Number(family(families, "sealdeck_audit_chain_head_seq").metrics[0]?.value)).toBe(42);
    const stale = family(families, "sealdeck_inventory_stale");
    expect([valueOf(stale, { cluster: "prod" }), valueOf(stale, { cluster: "staging" })]).toEqual([0, 1]);
    const lastSync = family(families, "sealdeck_inventory_last_sync_timestamp_seconds");
    expect(valueOf(lastSync, { cluster: "prod" })).toBe(now.getTime() / 1000);
    expect(valueOf(lastSync, { cluster: "staging" })).toBe(Date.parse(ago(1)) / 1000);
  });

  it("still answers when a source fails, saying which", async () => {
    const response = await serveMetrics(
      new Request("http://sealdeck.test/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
      {
        token: TOKEN,
        read: () => Promise.resolve({ ...snapshot(), rotation: null, errors: ["rotation"] }),
      },
    );
    const families = parsePrometheusTextFormat(await response.text());
    expect(families.some((f) => f.name === "sealdeck_rotation_keys")).toBe(false);
    const up = family(families, "sealdeck_metrics_source_up");
    expect([valueOf(up, { source: "rotation" }), valueOf(up, { source: "audit" })]).toEqual([0, 1]);
  });
});
