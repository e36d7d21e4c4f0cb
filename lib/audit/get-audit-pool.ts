import "server-only";
import pg from "pg";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";

// A small pg pool beside Prisma for what Prisma cannot do: server-side cursors and `COPY ... TO STDOUT`
// (exports), chain verification and group-committed audit writes. Same DATABASE_URL (the restricted
// runtime role), kept on globalThis so hot reload does not open a pool per edit.

const globalForPool = globalThis as unknown as { sealdeckAuditPool?: pg.Pool };

export function getAuditPoolOrThrow(): pg.Pool {
  if (globalForPool.sealdeckAuditPool) return globalForPool.sealdeckAuditPool;
  const url = getEnv().DATABASE_URL;
  if (!url) {
    throw new AppError(
      "unavailable",
      "DATABASE_URL is not set; start Sealdeck with `npm run dev` or `npm start`",
    );
  }
  const pool = new pg.Pool({ connectionString: url, max: 6, idleTimeoutMillis: 30_000 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  globalForPool.sealdeckAuditPool = pool;
  return pool;
}
