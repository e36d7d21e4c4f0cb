import { describe, expect, it } from "vitest";
import type { SealingKeyInfo } from "@/lib/validations/cluster-status";
import {
  effectiveKeyRenewalDays,
  evaluateSealingKeyFreshness,
  sealingKeyBackupCommand,
} from "./evaluate-sealing-key-freshness";

const now = new Date("2026-06-01T00:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600_000).toISOString();
const key = (name: string, ageDays: number): SealingKeyInfo => ({
  name,
  createdAt: daysAgo(ageDays),
  active: true,
});
/** One key per renewal period, the newest `newestAgeDays` old: what a healthy controller leaves behind. */
const monthly = (count: number, newestAgeDays = 3) =>
  Array.from({ length: count }, (_, i) =>
    key(`sealed-secrets-key${i}`, newestAgeDays + 30 * (count - 1 - i)),
  );

describe("evaluateSealingKeyFreshness", () => {
  it("reports the newest key, its age and the next renewal, without a warning when renewal is on time", () => {
    const result = evaluateSealingKeyFreshness("prod", monthly(3), 30, now);
    expect(result.newest?.name).toBe("sealed-secrets-key2");
    expect(result.newestAgeMs).toBe(3 * 24 * 3600_000);
    expect(result.nextRenewalAt?.toISOString()).toBe("2026-06-28T00:00:00.000Z");
    expect(result).toMatchObject({ overdue: false, oldKeys: 2, warnings: [] });
  });

  it("warns when the newest key is older than the renewal period plus a day", () => {
    expect(evaluateSealingKeyFreshness("prod", [key("k1", 30.9)], 30, now).warnings).toEqual([]);
    const late = evaluateSealingKeyFreshness("prod", [key("k0", 70), key("k1", 40)], 30, now);
    expect(late.overdue).toBe(true);
    expect(late.warnings).toEqual([
      expect.objectContaining({ cluster: "prod", code: "key-renewal-overdue" }),
    ]);
    expect(late.warnings[0]?.message).toContain("k1 is 40 days old");
  });

  it("follows the cluster's renewal period, and never warns about renewal when it is disabled", () => {
    expect(evaluateSealingKeyFreshness("prod", [key("k1", 40)], 90, now).warnings).toEqual([]);
    expect(evaluateSealingKeyFreshness("prod", [key("k1", 40)], 7, now).overdue).toBe(true);
    const disabled = evaluateSealingKeyFreshness("prod", [key("k1", 400)], null, now);
    expect(disabled).toMatchObject({ overdue: false, nextRenewalAt: null, warnings: [] });
  });

  it("warns when more than 12 old keys pile up, saying re-encryption retires them", () => {
    expect(evaluateSealingKeyFreshness("prod", monthly(13), 30, now).warnings).toEqual([]);
    const piled = evaluateSealingKeyFreshness("prod", monthly(14), 30, now);
    expect(piled.oldKeys).toBe(13);
    expect(piled.warnings.map((w) => w.code)).toEqual(["keys-piling-up"]);
    expect(piled.warnings[0]?.message).toMatch(/13 old sealing keys.*Re-encrypting/s);
  });

  it("has nothing to say about keys without a creation date or no keys at all", () => {
    const undated = evaluateSealingKeyFreshness(
      "prod",
      [{ name: "k", createdAt: null, active: true }],
      30,
      now,
    );
    expect(undated).toMatchObject({ newestAgeMs: null, nextRenewalAt: null, overdue: false, warnings: [] });
    expect(evaluateSealingKeyFreshness("prod", [], 30, now)).toMatchObject({ newest: null, oldKeys: 0 });
  });
});

describe("effectiveKeyRenewalDays", () => {
  it("defaults to 30 days; 0 means renewal is disabled", () => {
    expect(effectiveKeyRenewalDays(null)).toBe(30);
    expect(effectiveKeyRenewalDays(undefined)).toBe(30);
    expect(effectiveKeyRenewalDays(0)).toBeNull();
    expect(effectiveKeyRenewalDays(14)).toBe(14);
  });
});

describe("sealingKeyBackupCommand", () => {
  it("is upstream's documented backup for the controller's namespace", () => {
    expect(sealingKeyBackupCommand("sealed-secrets")).toBe(
      "kubectl get secret -n sealed-secrets -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml >main.key",
    );
  });
});
