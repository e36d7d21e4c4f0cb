import { describe, expect, it } from "vitest";
import type { AuditEventView } from "@/lib/validations/audit-query";
import { pairAuditResults } from "./pair-audit-results";

let next = 0;
function event(
  action: string,
  outcome: AuditEventView["outcome"],
  overrides: { actor?: string; name?: string; details?: Record<string, unknown> } = {},
): AuditEventView {
  next += 1;
  return {
    seq: String(next),
    time: "2026-12-05T10:00:00.000Z",
    actor: { userId: null, name: overrides.actor ?? "ada", role: "developer", ip: null, userAgent: null },
    action,
    target: {
      cluster: null,
      namespace: "shop",
      kind: "SealedSecret",
      name: overrides.name ?? "orders",
      keys: [],
    },
    outcome,
    details: overrides.details ?? {},
    pullRequestUrl: null,
    requestId: null,
    prevHash: "0".repeat(64),
    hash: "0".repeat(64),
  };
}

describe("pairAuditResults", () => {
  it("pairs a request with the result recorded for it, whatever the order given", () => {
    const seal = event("secret.seal.requested", "pending");
    const view = event("secret.viewed", "success");
    const opened = event("pull_request.opened", "success");
    const sync = event("secret.force_sync.requested", "pending");
    const otherSync = event("secret.force_sync", "success", { name: "payments" });
    const synced = event("secret.force_sync", "failure");
    const pairs = pairAuditResults([synced, otherSync, sync, opened, view, seal]);
    expect(Object.fromEntries([...pairs].map(([request, result]) => [request, result.seq]))).toEqual({
      [seal.seq]: opened.seq,
      [sync.seq]: synced.seq,
    });
  });

  it("leaves a request without its result pending, and uses a result once", () => {
    const first = event("secret.validate.requested", "pending");
    const second = event("secret.validate.requested", "pending");
    const done = event("secret.validate", "success");
    const byOther = event("secret.validate", "success", { actor: "grace" });
    const pairs = pairAuditResults([first, second, done, byOther]);
    expect(pairs.get(first.seq)?.seq).toBe(done.seq);
    expect(pairs.has(second.seq)).toBe(false);
  });

  it("resolves a merge requested on the Changes page by the merge, or by its refusal", () => {
    const merge = event("pull_request.merge.requested", "pending");
    const merged = event("pull_request.merged", "success");
    const again = event("pull_request.merge.requested", "pending", { name: "payments" });
    const refused = event("pull_request.merge_failed", "failure", { name: "payments" });
    const pairs = pairAuditResults([refused, again, merged, merge]);
    expect(pairs.get(merge.seq)?.seq).toBe(merged.seq);
    expect(pairs.get(again.seq)?.seq).toBe(refused.seq);
  });

  it("resolves a pending export by its export id", () => {
    const a = event("audit.exported", "pending", { details: { exportId: "a" } });
    const b = event("audit.exported", "pending", { details: { exportId: "b" } });
    const bDone = event("audit.exported", "success", { details: { exportId: "b" } });
    const pairs = pairAuditResults([a, b, bDone]);
    expect(pairs.get(b.seq)?.seq).toBe(bDone.seq);
    expect(pairs.has(a.seq)).toBe(false);
  });
});
