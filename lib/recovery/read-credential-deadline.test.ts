import { describe, expect, it } from "vitest";
import { readCredentialDeadline } from "./read-credential-deadline";

describe("readCredentialDeadline", () => {
  const synced = "2026-12-05T09:00:00Z";

  it("takes an absolute expiry first, in any RFC 3339 zone", () => {
    expect(
      readCredentialDeadline(
        {
          "sealdeck.io/credential-expires-at": "2026-12-06T10:00:00+01:00",
          "sealdeck.io/credential-lease": "1h",
        },
        synced,
      ),
    ).toEqual({ deadline: "2026-12-06T09:00:00.000Z", source: "expires-at", problem: null });
  });

  it("counts a lease from the last successful sync, and knows nothing without one", () => {
    const lease = { "sealdeck.io/credential-lease": "1h30m" };
    expect(readCredentialDeadline(lease, synced)).toEqual({
      deadline: "2026-12-05T10:30:00.000Z",
      source: "lease",
      problem: null,
    });
    expect(readCredentialDeadline(lease, null)).toEqual({ deadline: null, source: null, problem: null });
    expect(readCredentialDeadline(undefined, synced)).toEqual({
      deadline: null,
      source: null,
      problem: null,
    });
  });

  it("ignores and names an unreadable annotation instead of guessing", () => {
    const result = readCredentialDeadline(
      { "sealdeck.io/credential-expires-at": "2026-12-06", "sealdeck.io/credential-lease": "2 days" },
      synced,
    );
    expect(result.deadline).toBeNull();
    expect(result.problem).toContain("sealdeck.io/credential-expires-at is not an RFC 3339 time");
    expect(result.problem).toContain("sealdeck.io/credential-lease is not a duration");
    // A bad absolute expiry does not hide a good lease.
    expect(
      readCredentialDeadline(
        { "sealdeck.io/credential-expires-at": "tomorrow", "sealdeck.io/credential-lease": "24h" },
        synced,
      ),
    ).toMatchObject({ deadline: "2026-12-06T09:00:00.000Z", source: "lease", problem: expect.any(String) });
  });
});
