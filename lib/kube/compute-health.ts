import "server-only";
import type { ExternalSecretSource, SecretHealth, StatusCondition } from "@/lib/validations/secret-record";
import { parseDuration } from "./parse-duration";

export type HealthInput =
  | { kind: "SealedSecret"; conditions: StatusCondition[]; targetPresent: boolean | null }
  | {
      kind: "ExternalSecret";
      conditions: StatusCondition[];
      targetPresent: boolean | null;
      expectsTarget: boolean;
      storeReady: boolean | null;
      storeMessage: string | null;
      refreshInterval: string | null;
      refreshPolicy: string | null;
      refreshTime: string | null;
      now: Date;
    }
  | {
      kind: "ClusterExternalSecret";
      conditions: StatusCondition[];
      failedNamespaces: string[];
      storeReady: boolean | null;
      storeMessage: string | null;
    };

/** How late a Periodic refresh may be before it counts as stale: ESO requeues with some jitter. */
export function refreshGraceMs(intervalMs: number): number {
  return Math.max(5 * 60_000, intervalMs * 0.1);
}

/**
 * Whether the clock alone can change a record's health at `now`: a Periodic ExternalSecret that is
 * overdue (its message counts the time) or due to become so. Every other health change comes with a
 * watch event, so the 30 s sweep rebuilds only the namespaces that hold such a record.
 */
export function clockMayChangeHealth(
  record: { kind: string; health: SecretHealth; source: { kind: string } },
  now: number,
): boolean {
  if (record.kind !== "ExternalSecret" || record.source.kind !== "external-secrets") return false;
  if (record.health.status === "Stale") return true;
  if (record.health.status !== "Healthy") return false;
  return overdueAge(record.source as ExternalSecretSource, now) !== null;
}

/** How long ago a Periodic refresh last ran, when that is past its interval and grace; else null. */
function overdueAge(
  source: Pick<ExternalSecretSource, "refreshPolicy" | "refreshInterval" | "refreshTime">,
  now: number,
): number | null {
  const interval = parseDuration(source.refreshInterval);
  if (source.refreshPolicy !== "Periodic" || !interval || !source.refreshTime) return null;
  const age = now - Date.parse(source.refreshTime);
  return age > interval + refreshGraceMs(interval) ? age : null;
}

function formatAge(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

function sealedSecretHealth(input: Extract<HealthInput, { kind: "SealedSecret" }>): SecretHealth {
  const synced = input.conditions.find((c) => c.type === "Synced");
  if (synced?.status === "False")
    return { status: "Degraded", reason: "Unseal failed", message: synced.message };
  if (!synced)
    return {
      status: "Unknown",
      reason: "Not processed yet",
      message: "The sealed-secrets controller has not reported on this SealedSecret.",
    };
  if (input.targetPresent === false)
    return {
      status: "Degraded",
      reason: "Secret missing",
      message: "The controller reports it unsealed, but the Secret does not exist.",
    };
  return { status: "Healthy", reason: "Unsealed", message: synced.message };
}

function externalSecretHealth(input: Extract<HealthInput, { kind: "ExternalSecret" }>): SecretHealth {
  const ready = input.conditions.find((c) => c.type === "Ready");
  if (ready?.status === "False")
    return { status: "Degraded", reason: ready.reason ?? "Not ready", message: ready.message };
  if (input.storeReady === false)
    return { status: "Degraded", reason: "Store not ready", message: input.storeMessage };
  if (!ready)
    return {
      status: "Unknown",
      reason: "Not synced yet",
      message: "External Secrets Operator has not reported on this ExternalSecret.",
    };
  if (input.expectsTarget && input.targetPresent === false)
    return { status: "Degraded", reason: "SecretMissing", message: "The target Secret does not exist." };
  const age = overdueAge(input, input.now.getTime());
  if (age !== null)
    return {
      status: "Stale",
      reason: "Refresh overdue",
      message: `Last refreshed ${formatAge(age)} ago, but it should refresh every ${input.refreshInterval}.`,
    };
  return { status: "Healthy", reason: ready.reason ?? "Ready", message: ready.message };
}

function clusterExternalSecretHealth(
  input: Extract<HealthInput, { kind: "ClusterExternalSecret" }>,
): SecretHealth {
  const ready = input.conditions.find((c) => c.type === "Ready");
  if (ready?.status === "False")
    return { status: "Degraded", reason: ready.reason ?? "Not ready", message: ready.message };
  if (input.failedNamespaces.length > 0) {
    return {
      status: "Degraded",
      reason: "Failed in namespaces",
      message: `Could not create its ExternalSecret in ${input.failedNamespaces.join(", ")}.`,
    };
  }
  if (input.storeReady === false)
    return { status: "Degraded", reason: "Store not ready", message: input.storeMessage };
  if (!ready) return { status: "Unknown", reason: "Not reconciled yet", message: null };
  return { status: "Healthy", reason: ready.reason ?? "Ready", message: ready.message || null };
}

/** Health with the reason a person would look for first; failures before staleness before unknowns. */
export function computeHealth(input: HealthInput): SecretHealth {
  if (input.kind === "SealedSecret") return sealedSecretHealth(input);
  if (input.kind === "ExternalSecret") return externalSecretHealth(input);
  return clusterExternalSecretHealth(input);
}
