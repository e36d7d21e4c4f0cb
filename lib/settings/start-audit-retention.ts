import "server-only";
import pg from "pg";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { type PruneResult, pruneAuditEvents } from "@/lib/audit/prune-audit-events";
import { AUDIT_RETENTION_SETTING, auditRetentionSchema } from "./setting-keys";

const DAY_MS = 24 * 60 * 60 * 1000;

export type RetentionRun =
  | { ran: false; reason: "keep-forever" | "invalid-setting" }
  | { ran: true; days: number; before: string; result: PruneResult };

/**
 * Applies Settings → Audit retention once: deletes events older than the retention through the newest
 * checkpoint signed by one of `trustedPublicKeys` whose event is older than the cut-off (never past
 * one). Needs the tables' owner. The prune is audited first: if its event cannot be written, nothing
 * is deleted.
 */
export async function applyAuditRetention(
  owner: pg.Pool | pg.ClientBase,
  options: { trustedPublicKeys: readonly string[]; now?: Date },
): Promise<RetentionRun> {
  const now = options.now ?? new Date();
  const { rows } = await owner.query<{ value: unknown }>("SELECT value FROM settings WHERE key = $1", [
    AUDIT_RETENTION_SETTING,
  ]);
  if (!rows[0]) return { ran: false, reason: "keep-forever" };
  const parsed = auditRetentionSchema.safeParse(rows[0].value);
  if (!parsed.success) return { ran: false, reason: "invalid-setting" };
  if (parsed.data === null) return { ran: false, reason: "keep-forever" };
  const days = parsed.data;
  const before = new Date(now.getTime() - days * DAY_MS).toISOString();
  await appendAuditEvent(owner, {
    action: "audit.prune.requested",
    outcome: "pending",
    actor: { name: "sealdeck" },
    details: { days, before },
  });
  const result = await pruneAuditEvents(owner, {
    before: new Date(before),
    trustedPublicKeys: options.trustedPublicKeys,
  });
  await appendAuditEvent(owner, {
    action: "audit.prune",
    outcome: "success",
    actor: { name: "sealdeck" },
    details: { days, before, throughSeq: result.throughSeq, deleted: result.deleted },
  });
  return { ran: true, days, before, result };
}

/**
 * Applies the retention at start and once a day while the launcher runs; `trustedPublicKeys` are the
 * audit signing key's public half (SPKI PEM), the only signer whose checkpoints pruning follows.
 */
export function startAuditRetention(
  ownerUrl: string,
  trustedPublicKeys: readonly string[],
  log: (line: string) => void,
): { stop(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
  // An idle connection closed by Postgres (it stops after this job) must not crash the launcher.
  pool.on("error", () => undefined);
  const run = async () => {
    try {
      const outcome = await applyAuditRetention(pool, { trustedPublicKeys });
      if (outcome.ran && outcome.result.deleted > 0)
        log(
          `audit retention (${outcome.days} days): pruned ${outcome.result.deleted} events through #${outcome.result.throughSeq}`,
        );
      if (!outcome.ran && outcome.reason === "invalid-setting")
        log("audit retention: the stored setting is not valid; nothing pruned (fix it in Settings)");
    } catch (error) {
      log(`audit retention failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  };
  void run();
  const timer = setInterval(() => void run(), DAY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pool.end();
    },
  };
}
