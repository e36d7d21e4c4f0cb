import "server-only";
import { getMigrationStatus } from "@/lib/db/migrate";
import { getPrismaOrThrow } from "@/lib/db/prisma";

export type Check = { name: string; ok: boolean; reason?: string };

const TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS),
    ),
  ]);
}

/** Reachable and fully migrated: what /api/readyz needs from Postgres. */
export async function checkDatabase(): Promise<Check> {
  try {
    const prisma = getPrismaOrThrow();
    const query = <T>(sql: string) => prisma.$queryRawUnsafe<T[]>(sql);
    const status = await withTimeout(getMigrationStatus(query), "database check");
    if (status.failed.length > 0)
      return { name: "database", ok: false, reason: `migration failed: ${status.failed.join(", ")}` };
    if (status.pending.length > 0)
      return { name: "database", ok: false, reason: `migrations pending: ${status.pending.join(", ")}` };
    // During a rolling upgrade the new version migrates first: this (older) version keeps serving beside
    // newer migrations declared expand-only, and steps out of the load balancer for any other.
    if (status.unknown.length > 0) {
      return {
        name: "database",
        ok: false,
        reason: `database has migrations this version does not know and that are not declared expand-only: ${status.unknown.join(", ")}; finish the rollout to the version that brought them`,
      };
    }
    if (status.newerExpandOnly.length > 0)
      return {
        name: "database",
        ok: true,
        reason: `newer expand-only migrations applied (this version keeps serving): ${status.newerExpandOnly.join(", ")}`,
      };
    return { name: "database", ok: true };
  } catch (error) {
    return { name: "database", ok: false, reason: describeDatabaseError(error) };
  }
}

type DriverFailure = { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };

const reasonsByKind: Record<string, string> = {
  DatabaseNotReachable: "database unreachable: connection refused",
  ConnectionClosed: "database unreachable: connection closed",
  SocketTimeout: "database unreachable: timed out",
  AuthenticationFailed: "database refused the credentials",
  DatabaseDoesNotExist: "database does not exist",
};

/** One line a person can act on; driver errors can embed the connection string, so build our own text. */
function describeDatabaseError(error: unknown): string {
  const failure = (error ?? {}) as DriverFailure;
  const kind = failure.meta?.driverAdapterError?.cause?.kind;
  if (kind && reasonsByKind[kind]) return reasonsByKind[kind];
  const code = failure.code;
  if (code === "ECONNREFUSED") return "database unreachable: connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "database unreachable: host not found";
  if (code === "57P01" || code === "57P03") return "database unreachable: shutting down or starting up";
  if (code === "28P01" || code === "28000") return "database refused the credentials";
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/.test(message)) return "database unreachable: timed out";
  if (/can't reach database|ECONNREFUSED|terminat|closed/i.test(message))
    return "database unreachable: connection refused or closed";
  return "database check failed";
}
