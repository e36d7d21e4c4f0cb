import { resolve } from "node:path";
import pg from "pg";
import type { Env } from "@/lib/config/env";
import { loadAuditSigningKey } from "@/lib/audit/load-audit-signing-key";
import { signCheckpoint } from "@/lib/audit/sign-checkpoint";
import { runExclusive } from "@/lib/jobs/run-exclusive";

const HOUR_MS = 60 * 60 * 1000;

export type JobTiming = { periodMs?: number; leaseMs?: number };

/**
 * Signs the audit chain's head once an hour (and at the first start), with the Ed25519 key kept outside
 * the database (generated on first start, with a warning to back it up), so that whoever can write the
 * table still cannot forge a checkpoint. With several replicas, one of them signs per hour: the
 * "audit-checkpoint" lease (lib/jobs/) decides which.
 */
export async function startAuditCheckpoints(
  ownerUrl: string,
  env: Env,
  log: (line: string) => void,
  timing: JobTiming = {},
): Promise<{ publicKeyPem: string; stop(): Promise<void> }> {
  const key = loadAuditSigningKey({
    pem: env.SEALDECK_AUDIT_SIGNING_KEY,
    dataDir: resolve(env.SEALDECK_DATA_DIR),
    warn: log,
  });
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  // An idle connection closed by Postgres (it stops after this job) must not crash the launcher.
  pool.on("error", () => undefined);
  let lastProblem = "";
  const job = runExclusive({
    db: pool,
    name: "audit-checkpoint",
    periodMs: timing.periodMs ?? HOUR_MS,
    leaseMs: timing.leaseMs ?? env.SEALDECK_JOB_LEASE_SECONDS * 1000,
    async run() {
      const signed = await signCheckpoint(pool, key);
      log(`audit log checkpoint signed at event #${signed.seq}`);
      lastProblem = "";
    },
    onError(error, during) {
      // A missed checkpoint weakens nothing already signed; the next one covers the gap.
      const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      if (message !== lastProblem)
        log(`audit log checkpoint ${during === "run" ? "failed" : "lease failed"}: ${message}`);
      lastProblem = message;
    },
  });
  return {
    publicKeyPem: key.publicKeyPem,
    async stop() {
      await job.stop();
      await pool.end();
    },
  };
}
