import "server-only";

/**
 * What the sandbox API server saw of one request: who sent it, whom it impersonated, and what was
 * decided. Metadata only: no body, no header other than the impersonation ones, no token.
 */
export type SandboxRequestRecord = {
  /** Increasing per cluster; `GET /sandbox/requests?since=N` returns the records after N. */
  seq: number;
  at: string;
  method: string;
  /** The URL path, without the query. */
  path: string;
  /** The User-Agent header as sent (null when absent), as API server audit logs record it. */
  userAgent: string | null;
  /** The authenticated caller (the token's user); null when unauthenticated. */
  user: string | null;
  /** `Impersonate-User` / `Impersonate-Group` as sent (also when impersonation was refused). */
  impersonatedUser: string | null;
  impersonatedGroups: string[];
  /** The authorization decision for the request itself; null when none was reached (401, 404). */
  decision: "allow" | "deny" | null;
  /** A SelfSubjectAccessReview's answer (the request is always allowed; the question may not be). */
  review?: { verb: string; resource: string; namespace: string | null; allowed: boolean };
  /** The HTTP status sent; null while the response is open (a watch). */
  status: number | null;
};

// Long enough for a test's worth of traffic (lists, watches, access reviews); older records drop off.
const KEPT = 20_000;

/** The bounded record of one emulated cluster's requests, read by tests in-process or over HTTP. */
export class RequestLog {
  private records: SandboxRequestRecord[] = [];
  private next = 1;

  begin(method: string, path: string, userAgent: string | null = null): SandboxRequestRecord {
    const record: SandboxRequestRecord = {
      seq: this.next++,
      at: new Date().toISOString(),
      method,
      path,
      userAgent,
      user: null,
      impersonatedUser: null,
      impersonatedGroups: [],
      decision: null,
      status: null,
    };
    this.records.push(record);
    if (this.records.length > KEPT) this.records.splice(0, this.records.length - KEPT);
    return record;
  }

  /** Copies of the records after `since` (a seq), oldest first. */
  list(since = 0): SandboxRequestRecord[] {
    return this.records
      .filter((r) => r.seq > since)
      .map((r) => ({ ...r, impersonatedGroups: [...r.impersonatedGroups] }));
  }
}
