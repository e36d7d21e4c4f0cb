import { beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { secretHistoryQuery } from "./query-audit-events";

// A secret's timeline must cost its page, not its whole history: one much-viewed secret (20,000
// `secret.viewed` events here; 50,000 took ~120 ms per page before the index) among other secrets'
// events. Counted in rows Postgres reads (EXPLAIN ANALYZE), never in time.

type PlanNode = {
  "Node Type": string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

/** Rows every scan node of the plan produced or filtered away: what the query had to read. */
function rowsRead(node: PlanNode): number {
  const own = node["Node Type"].includes("Scan")
    ? (node["Actual Rows"] + (node["Rows Removed by Filter"] ?? 0)) * node["Actual Loops"]
    : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

describe("a secret's history query", () => {
  const { query } = setupMigratedDatabase();

  beforeAll(async () => {
    // Rows written directly (triggers off): the chain's hashes do not matter to the plan. The hot
    // secret's views come first, 20,000 other events after them: scanning the newest events until 21
    // of its own turn up would read those 20,000 too.
    await query(`BEGIN;
      SET LOCAL session_replication_role = replica;
      INSERT INTO audit_events (seq, action, target_cluster, target_namespace, target_kind, target_name,
        outcome, details, prev_hash, hash)
      SELECT 20000 + g, 'secret.force-sync', CASE WHEN g % 50 = 0 THEN NULL ELSE 'prod-' || (g % 3) END,
        'ns-' || (g % 100), 'SealedSecret', 'secret-' || (g % 1000), 'success',
        CASE WHEN g % 50 = 0 THEN '{"clusters": ["prod-0", "prod-1"]}'::jsonb ELSE '{}'::jsonb END,
        decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
      FROM generate_series(1, 20000) g;
      INSERT INTO audit_events (seq, action, target_cluster, target_namespace, target_kind, target_name,
        outcome, prev_hash, hash)
      SELECT g, 'secret.viewed', CASE WHEN g % 2 = 0 THEN 'prod-0' ELSE 'prod-1' END, 'hot', 'SealedSecret', 'db',
        'success', decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
      FROM generate_series(1, 20000) g;
      COMMIT;`);
    await query("ANALYZE audit_events");
  });

  const explain = async (where: string, params: unknown[]) => {
    const [row] = await query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT seq FROM audit_events WHERE ${where} ORDER BY audit_events.seq DESC LIMIT 21`,
      params,
    );
    return row!["QUERY PLAN"][0].Plan;
  };

  it("reads about one page of a much-viewed secret's events, not all 20,000", async () => {
    const history = secretHistoryQuery({
      cluster: "prod-0",
      namespace: "hot",
      kind: "SealedSecret",
      name: "db",
    });
    const plan = await explain(history.where, history.params);
    expect(plan["Actual Rows"]).toBe(21);
    // Its events on the other cluster interleave with its own: about twice the page, far below 10,000.
    expect(rowsRead(plan)).toBeLessThanOrEqual(100);
  });

  it("reads the next page from the cursor on, as cheaply", async () => {
    const history = secretHistoryQuery({
      cluster: "prod-1",
      namespace: "hot",
      kind: "SealedSecret",
      name: "db",
    });
    const plan = await explain(`(${history.where}) AND seq < $${history.params.length + 1}::bigint`, [
      ...history.params,
      "15000",
    ]);
    expect(plan["Actual Rows"]).toBe(21);
    expect(rowsRead(plan)).toBeLessThanOrEqual(100);
  });
});
