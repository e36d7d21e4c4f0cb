import { resolve } from "node:path";
import pg from "pg";
import type { Env } from "@/lib/config/env";
import { loadAuditSigningKey } from "@/lib/audit/load-audit-signing-key";
import { signCheckpoint } from "@/lib/audit/sign-checkpoint";

const HOUR_MS = 60 * 60 * 1000;

/**
 * Signs the audit chain's head at start and every hour while the launcher runs, with the Ed25519 key
 * kept outside the database (generated on first start, with a warning to back it up), so that whoever
 * can write the table still cannot forge a checkpoint.
 */
export async function startAuditCheckpoints(
  ownerUrl: string,
  env: Env,
  log: (line: string) => void,
): Promise<{ publicKeyPem: string; stop(): Promise<void> }> {
  const key = loadAuditSigningKey({
    pem: env.SEALDECK_AUDIT_SIGNING_KEY,
    dataDir: resolve(env.SEALDECK_DATA_DIR),
    warn: log,
  });
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
  // An idle connection closed by Postgres (it stops after this job) must not crash the launcher.
  pool.on("error", () => undefined);
  const checkpoint = async () => {
    try {
      const signed = await signCheckpoint(pool, key);
      log(`audit log checkpoint signed at event #${signed.seq}`);
    } catch (error) {
      // A missed checkpoint weakens nothing already signed; the next one covers the gap.
      log(
        `audit log checkpoint failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      );
    }
  };
  await checkpoint();
  const timer = setInterval(() => void checkpoint(), HOUR_MS);
  timer.unref();
  return {
    publicKeyPem: key.publicKeyPem,
    async stop() {
      clearInterval(timer);
      await pool.end();
    },
  };
}
