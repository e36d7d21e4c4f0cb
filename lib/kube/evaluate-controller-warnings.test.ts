import { describe, expect, it } from "vitest";
import { evaluateControllerWarnings } from "./evaluate-controller-warnings";

const now = new Date("2026-06-01T00:00:00Z");
const cert = (fingerprint: string) => ({
  fingerprintSha256: fingerprint,
  publicKeySha256: `pk-${fingerprint}`,
  notAfter: new Date("2030-01-01T00:00:00Z"),
});
const keys = [{ name: "key-1", createdAt: "2026-01-01T00:00:00Z", active: true }];

describe("evaluateControllerWarnings", () => {
  it("takes the first sighting as the baseline", () => {
    const first = evaluateControllerWarnings("c", null, cert("f1"), keys, now);
    expect(first.warnings).toEqual([]);
    expect(first.memory).toEqual({
      acknowledgedFingerprint: "f1",
      acknowledgedKeys: ["key-1"],
      seenPublicKeys: ["pk-f1"],
    });
  });
  it("warns about a changed certificate and an unacknowledged new key, and remembers the key", () => {
    const memory = { acknowledgedFingerprint: "f1", acknowledgedKeys: ["key-1"], seenPublicKeys: ["pk-f1"] };
    const next = evaluateControllerWarnings(
      "c",
      memory,
      cert("f2"),
      [...keys, { name: "key-2", createdAt: null, active: true }],
      now,
    );
    expect(next.warnings.map((w) => w.code)).toEqual(["certificate-changed", "new-key"]);
    expect(next.memory.seenPublicKeys).toEqual(["pk-f1", "pk-f2"]);
    expect(next.memory.acknowledgedFingerprint).toBe("f1");
  });
  it("warns before the certificate expires", () => {
    const soon = { ...cert("f1"), notAfter: new Date("2026-06-10T00:00:00Z") };
    expect(evaluateControllerWarnings("c", null, soon, keys, now).warnings.map((w) => w.code)).toEqual([
      "certificate-expiring",
    ]);
  });
  it("with the key policy: the new-key warning carries the backup command, and key freshness is checked", () => {
    const memory = { acknowledgedFingerprint: "f1", acknowledgedKeys: ["key-1"], seenPublicKeys: ["pk-f1"] };
    const policy = { namespace: "sealed-secrets", renewalDays: 30 };
    const stale = [
      { name: "key-1", createdAt: "2026-01-01T00:00:00Z", active: true },
      { name: "key-2", createdAt: "2026-03-01T00:00:00Z", active: true },
    ];
    const { warnings } = evaluateControllerWarnings("c", memory, cert("f1"), stale, now, policy);
    expect(warnings.map((w) => w.code)).toEqual(["new-key", "key-renewal-overdue"]);
    expect(warnings[0]?.command).toBe(
      "kubectl get secret -n sealed-secrets -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml >main.key",
    );
    const acknowledged = { ...memory, acknowledgedKeys: ["key-1", "key-2"] };
    expect(
      evaluateControllerWarnings("c", acknowledged, cert("f1"), stale, now, policy).warnings.map(
        (w) => w.code,
      ),
    ).toEqual(["key-renewal-overdue"]);
  });
});
