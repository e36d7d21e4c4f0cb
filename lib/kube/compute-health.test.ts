import { describe, expect, it } from "vitest";
import type { StatusCondition } from "@/lib/validations/secret-record";
import { clockMayChangeHealth, computeHealth } from "./compute-health";

const condition = (
  type: string,
  status: string,
  reason: string | null = null,
  message: string | null = null,
): StatusCondition => ({ type, status, reason, message, lastTransitionTime: null });
const now = new Date("2026-06-01T12:00:00Z");
const es = {
  kind: "ExternalSecret" as const,
  conditions: [condition("Ready", "True", "SecretSynced", "secret synced")],
  targetPresent: true,
  expectsTarget: true,
  storeReady: true,
  storeMessage: null,
  refreshInterval: "1h",
  refreshPolicy: "Periodic",
  refreshTime: "2026-06-01T11:30:00Z",
  now,
};

describe("computeHealth", () => {
  it("SealedSecret: Synced=False is Degraded with the controller's message", () => {
    expect(
      computeHealth({
        kind: "SealedSecret",
        conditions: [condition("Synced", "False", null, "no key could decrypt secret (A)")],
        targetPresent: false,
      }),
    ).toEqual({ status: "Degraded", reason: "Unseal failed", message: "no key could decrypt secret (A)" });
  });
  it("SealedSecret: no status yet is Unknown; synced but no Secret is Degraded", () => {
    expect(computeHealth({ kind: "SealedSecret", conditions: [], targetPresent: null }).status).toBe(
      "Unknown",
    );
    expect(
      computeHealth({
        kind: "SealedSecret",
        conditions: [condition("Synced", "True")],
        targetPresent: false,
      }),
    ).toMatchObject({ status: "Degraded", reason: "Secret missing" });
    expect(
      computeHealth({ kind: "SealedSecret", conditions: [condition("Synced", "True")], targetPresent: true })
        .status,
    ).toBe("Healthy");
  });
  it("ExternalSecret: healthy within its refresh interval", () => {
    expect(computeHealth(es)).toEqual({
      status: "Healthy",
      reason: "SecretSynced",
      message: "secret synced",
    });
  });
  it("ExternalSecret: Ready=False reports the condition's reason", () => {
    expect(
      computeHealth({ ...es, conditions: [condition("Ready", "False", "SecretSyncedError", "boom")] }),
    ).toEqual({ status: "Degraded", reason: "SecretSyncedError", message: "boom" });
  });
  it("ExternalSecret: a store that is not ready degrades it even while Ready is still True", () => {
    expect(computeHealth({ ...es, storeReady: false, storeMessage: "invalid credentials" })).toEqual({
      status: "Degraded",
      reason: "Store not ready",
      message: "invalid credentials",
    });
  });
  it("ExternalSecret: refreshTime older than refreshInterval plus grace is Stale", () => {
    expect(computeHealth({ ...es, refreshTime: "2026-06-01T10:56:00Z" }).status).toBe("Healthy");
    expect(computeHealth({ ...es, refreshTime: "2026-06-01T10:40:00Z" })).toMatchObject({
      status: "Stale",
      reason: "Refresh overdue",
    });
    // CreatedOnce and OnChange never refresh on a timer.
    expect(
      computeHealth({ ...es, refreshPolicy: "CreatedOnce", refreshTime: "2025-01-01T00:00:00Z" }).status,
    ).toBe("Healthy");
    expect(computeHealth({ ...es, refreshInterval: "0", refreshTime: "2025-01-01T00:00:00Z" }).status).toBe(
      "Healthy",
    );
  });
  it("ExternalSecret: a missing target Secret is Degraded unless none is expected", () => {
    expect(computeHealth({ ...es, targetPresent: false })).toMatchObject({
      status: "Degraded",
      reason: "SecretMissing",
    });
    expect(computeHealth({ ...es, targetPresent: false, expectsTarget: false }).status).toBe("Healthy");
    expect(computeHealth({ ...es, conditions: [] }).status).toBe("Unknown");
  });
  it("ClusterExternalSecret: failed namespaces degrade it", () => {
    expect(
      computeHealth({
        kind: "ClusterExternalSecret",
        conditions: [condition("Ready", "True", "Ready")],
        failedNamespaces: ["a"],
        storeReady: true,
        storeMessage: null,
      }),
    ).toMatchObject({ status: "Degraded", reason: "Failed in namespaces" });
    expect(
      computeHealth({
        kind: "ClusterExternalSecret",
        conditions: [condition("Ready", "True", "Ready")],
        failedNamespaces: [],
        storeReady: true,
        storeMessage: null,
      }).status,
    ).toBe("Healthy");
  });
});

describe("clockMayChangeHealth", () => {
  const now = Date.parse("2026-12-06T12:00:00Z");
  const periodic = (refreshTime: string, status: "Healthy" | "Stale" | "Degraded") => ({
    kind: "ExternalSecret",
    health: { status, reason: "", message: null },
    source: { kind: "external-secrets", refreshPolicy: "Periodic", refreshInterval: "1h", refreshTime },
  });

  it("is true for an overdue periodic refresh, and for a Stale one whose message counts the time", () => {
    expect(clockMayChangeHealth(periodic("2026-12-06T10:00:00Z", "Healthy"), now)).toBe(true);
    expect(clockMayChangeHealth(periodic("2026-12-06T11:59:00Z", "Stale"), now)).toBe(true);
  });

  it("is false within the refresh interval and its grace, for other failures, and for other kinds", () => {
    expect(clockMayChangeHealth(periodic("2026-12-06T11:00:00Z", "Healthy"), now)).toBe(false);
    expect(clockMayChangeHealth(periodic("2026-12-06T10:00:00Z", "Degraded"), now)).toBe(false);
    expect(
      clockMayChangeHealth(
        {
          kind: "SealedSecret",
          health: { status: "Healthy", reason: "", message: null },
          source: { kind: "sealed-secrets" },
        },
        now,
      ),
    ).toBe(false);
  });
});
