import "server-only";
import { checkDatabase, type Check } from "./check-database";

export type Readiness = { ready: boolean; checks: Check[] };

/** Everything the dashboard needs before it can serve; later issues add clusters. */
export async function checkReadiness(): Promise<Readiness> {
  const checks = await Promise.all([checkDatabase()]);
  return { ready: checks.every((check) => check.ok), checks };
}
