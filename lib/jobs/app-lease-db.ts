import "server-only";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";

import type { LeaseDb } from "./job-lease";

/**
 * The app's leases go through the runtime role's pg pool, opened at the first lease statement: a process
 * without a database reports the failure through the job's onError instead of failing at start.
 */
export function appLeaseDb(): LeaseDb {
  return {
    query: <R extends object>(text: string, values?: unknown[]) =>
      getAuditPoolOrThrow().query<R>(text, values),
  };
}
