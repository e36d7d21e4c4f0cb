import { describe, expect, it } from "vitest";
import { actionLabel, AUDIT_ACTION_LABELS } from "./action-labels";

describe("actionLabel", () => {
  it("gives the known actions their one wording", () => {
    expect(actionLabel("secret.seal.requested")).toBe("Sealing requested");
    expect(actionLabel("pull_request.merged")).toBe("Pull request merged");
    expect(actionLabel("secret.viewed")).toBe("Secret page viewed");
    expect(actionLabel("auth.sign_in_failed")).toBe("Sign-in failed");
  });

  it("reads an action without a label as its words", () => {
    expect(actionLabel("team.member_added")).toBe("Team member added");
    expect(actionLabel("x")).toBe("X");
  });

  it("labels every action no two ways: no label repeats for different actions but the seal alias", () => {
    const byLabel = new Map<string, string[]>();
    for (const [action, label] of Object.entries(AUDIT_ACTION_LABELS))
      byLabel.set(label, [...(byLabel.get(label) ?? []), action]);
    const repeated = [...byLabel.entries()].filter(([, actions]) => actions.length > 1);
    expect(repeated).toEqual([["Sealing requested", ["secret.seal.requested", "seal.requested"]]]);
  });
});
