import "server-only";
import { parseDuration } from "@/lib/kube/parse-duration";
import {
  CREDENTIAL_EXPIRES_AT_ANNOTATION,
  CREDENTIAL_LEASE_ANNOTATION,
  type DeadlineSource,
} from "@/lib/validations/store-incidents";

export type CredentialDeadline = {
  deadline: string | null;
  source: DeadlineSource | null;
  problem: string | null;
};

// RFC 3339 with a zone: a bare date or local time would be read in the server's zone.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * When an ExternalSecret's current credential expires, where anyone recorded it. ESO's status carries
 * no lease or expiry (ExternalSecretStatus: refreshTime, syncedResourceVersion, conditions, binding;
 * SecretStoreStatus: conditions, capabilities), so it comes from the object's annotations: an absolute
 * `sealdeck.io/credential-expires-at` (RFC 3339) wins; else `sealdeck.io/credential-lease` (a Go
 * duration such as `24h`) counted from the last successful sync, when the credential was fetched.
 */
export function readCredentialDeadline(
  annotations: Record<string, string> | undefined,
  lastSyncedAt: string | null,
): CredentialDeadline {
  const problems: string[] = [];
  const expiresAt = annotations?.[CREDENTIAL_EXPIRES_AT_ANNOTATION]?.trim();
  if (expiresAt) {
    const time = RFC3339.test(expiresAt) ? Date.parse(expiresAt) : NaN;
    if (!Number.isNaN(time))
      return { deadline: new Date(time).toISOString(), source: "expires-at", problem: null };
    problems.push(`${CREDENTIAL_EXPIRES_AT_ANNOTATION} is not an RFC 3339 time (e.g. 2026-12-31T18:00:00Z)`);
  }
  const lease = annotations?.[CREDENTIAL_LEASE_ANNOTATION]?.trim();
  if (lease) {
    const ms = parseDuration(lease);
    const synced = lastSyncedAt ? Date.parse(lastSyncedAt) : NaN;
    if (ms === null || ms <= 0)
      problems.push(`${CREDENTIAL_LEASE_ANNOTATION} is not a duration such as 24h or 90m`);
    else if (!Number.isNaN(synced))
      return {
        deadline: new Date(synced + ms).toISOString(),
        source: "lease",
        problem: problems[0] ?? null,
      };
  }
  return { deadline: null, source: null, problem: problems.length ? problems.join("; ") : null };
}
