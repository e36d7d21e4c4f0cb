import "server-only";
import pg from "pg";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { runExclusive } from "@/lib/jobs/run-exclusive";
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
 * Applies the retention once a day (and at the first start); `trustedPublicKeys` are the audit signing
 * key's public half (SPKI PEM), the only signer whose checkpoints pruning follows. With several
 * replicas, one of them prunes per day: the "audit-retention" lease (lib/jobs/) decides which.
 */
export function startAuditRetention(
  ownerUrl: string,
  trustedPublicKeys: readonly string[],
  log: (line: string) => void,
  timing: { periodMs?: number; leaseMs?: number } = {},
): { stop(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  // An idle connection closed by Postgres (it stops after this job) must not crash the launcher.
  pool.on("error", () => undefined);
  const job = runExclusive({
    db: pool,
    name: "audit-retention",
    periodMs: timing.periodMs ?? DAY_MS,
    leaseMs: timing.leaseMs,
    async run() {
      const outcome = await applyAuditRetention(pool, { trustedPublicKeys });
      if (outcome.ran && outcome.result.deleted > 0)
        log(
          `audit retention (${outcome.days} days): pruned ${outcome.result.deleted} events through #${outcome.result.throughSeq}`,
        );
      if (!outcome.ran && outcome.reason === "invalid-setting")
        log("audit retention: the stored setting is not valid; nothing pruned (fix it in Settings)");
    },
    onError(error, during) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      log(`audit retention ${during === "run" ? "failed" : "lease failed"}: ${message}`);
    },
  });
  return {
    async stop() {
      await job.stop();
      await pool.end();
    },
  };
}
