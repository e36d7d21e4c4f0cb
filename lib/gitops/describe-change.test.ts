import { describe, expect, it } from "vitest";

import { describeChange, proposalBranch, type ChangeDescription } from "./describe-change";
import { readMarker } from "./proposal-marker";

const change: ChangeDescription = {
  secret: { namespace: "payments", name: "db-credentials" },
  action: "rotate",
  keys: ["password"],
  clusters: ["production", "staging"],
  scope: "strict",
  certificates: [
    { cluster: "production", fingerprint: "aa".repeat(32) },
    { cluster: "staging", fingerprint: "bb".repeat(32) },
  ],
  reason: "Quarterly rotation",
  ticket: "SEC-42",
  requestedBy: { name: "Dana Developer", email: "dana@example.test", login: "dana" },
  dashboardUrl: "https://sealdeck.example.test/secrets/production/payments/db-credentials",
};

const files = [
  { path: "production/payments/db.yaml", cluster: "production", keys: ["password"] },
  { path: "staging/payments/db.yaml", cluster: "staging", keys: ["password"] },
];

describe("describeChange", () => {
  it("writes branch, title, commit message and body from names and metadata only", () => {
    const text = describeChange(change, { branchPrefix: "sealdeck", files, head: "c".repeat(40) });
    expect(text.branch).toBe("sealdeck/payments/db-credentials");
    expect(text.title).toBe("Rotate sealed secret payments/db-credentials (password) on production, staging");
    expect(text.commitMessage.split("\n")).toEqual([
      text.title,
      "",
      "Secret: payments/db-credentials",
      "Keys: password",
      "Clusters: production, staging",
      "Scope: strict",
      `Certificate (production): ${"aa".repeat(32)}`,
      `Certificate (staging): ${"bb".repeat(32)}`,
      "Reason: Quarterly rotation",
      "Ticket: SEC-42",
      "Requested by: Dana Developer (@dana)",
      `Dashboard: ${change.dashboardUrl}`,
      "",
      expect.stringMatching(/^Sealdeck-Proposal: \{/) as unknown as string,
      "",
    ]);
    expect(text.body).toContain("| Keys | `password` |");
    expect(text.body).toContain("| Scope | strict |");
    expect(text.body).toContain("- `staging/payments/db.yaml` (staging): `password`");
    expect(text.body).toContain(`[Open in Sealdeck](${change.dashboardUrl})`);
    expect(readMarker(text.body)).toEqual({
      v: 1,
      secret: "payments/db-credentials",
      files: {
        "production/payments/db.yaml": { cluster: "production", keys: ["password"] },
        "staging/payments/db.yaml": { cluster: "staging", keys: ["password"] },
      },
      head: "c".repeat(40),
    });
    expect(readMarker(text.commitMessage)?.head).toBeUndefined();
  });

  it("is deterministic: the same secret always gets the same branch", () => {
    const a = describeChange(change, { branchPrefix: "sealdeck", files });
    const b = describeChange(
      { ...change, keys: ["username"], reason: "other" },
      { branchPrefix: "sealdeck", files },
    );
    expect(a.branch).toBe(b.branch);
    expect(proposalBranch("sealdeck", { namespace: "", name: "Cluster.Wide..Secret" })).toBe(
      "sealdeck/_cluster-wide/cluster.wide.secret",
    );
  });

  it("keeps user text on one line and unable to break the markup or the hidden marker", () => {
    const text = describeChange(
      {
        ...change,
        action: "create",
        reason: "line1\nline2 --> <script>x</script> | pipe",
        ticket: "<!-- T-1",
      },
      { branchPrefix: "sealdeck", files },
    );
    expect(text.title).toBe("Add sealed secret payments/db-credentials on production, staging");
    expect(text.body).toContain("| Reason | line1 line2  scriptx/script \\| pipe |");
    expect(text.body).not.toContain("<script>");
    expect(text.body.match(/<!--/g)).toHaveLength(1);
    expect(readMarker(text.body)?.secret).toBe("payments/db-credentials");
  });

  it("shortens long key lists in the title", () => {
    const many = ["a", "b", "c", "d", "e", "f"].map((k) => k.repeat(3));
    const text = describeChange(
      { ...change, keys: many },
      { branchPrefix: "sd", files: [{ path: "x.yaml", cluster: "production", keys: many }] },
    );
    expect(text.title).toBe(
      "Rotate sealed secret payments/db-credentials (aaa, bbb, ccc, ddd +2 more) on production, staging",
    );
    expect(text.branch).toBe("sd/payments/db-credentials");
  });
});
