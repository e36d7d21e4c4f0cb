import { describe, expect, it } from "vitest";
import { evaluateSealingKeyFreshness } from "@/lib/kube/evaluate-sealing-key-freshness";
import { computeRotationSchedule, DAY_MS } from "@/lib/rotation/compute-rotation-schedule";
import { indexEvidence } from "@/lib/rotation/index-rotation-evidence";
import { indexPolicies } from "@/lib/rotation/resolve-policy";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { findStoreIncidents } from "@/lib/recovery/find-store-incidents";
import { collectNotificationItems } from "./collect-notification-items";
import { describeItem } from "./format-notice";
import { testSecretRecord } from "@/lib/testing/test-secret-record";

// The items come from what the pages compute (the rotation schedule, the key-freshness warnings, the
// records' health), not from a second reading of them.

const now = new Date("2026-12-05T12:00:00.000Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

function record(name: string, overrides: Partial<SecretRecord> = {}): SecretRecord {
  return testSecretRecord(name, "Healthy", {
    cluster: "prod",
    namespace: "payments",
    createdAt: ago(10),
    rotationAnnotations: {},
    keys: ["password"],
    health: { status: "Healthy", reason: "Unsealed", message: null },
    ...overrides,
  });
}

describe("collectNotificationItems", () => {
  const records = [
    record("old-db", { createdAt: ago(400), keys: ["password", "user"] }),
    record("waived-db", { createdAt: ago(400) }),
    record("fresh"),
    record("broken", {
      health: {
        status: "Degraded",
        reason: "Unseal failed",
        message: "no key could decrypt secret (password)",
      },
    }),
    record("late", {
      kind: "ExternalSecret",
      health: { status: "Stale", reason: "Refresh overdue", message: null },
    }),
    record("unknown", { health: { status: "Unknown", reason: "Not processed yet", message: null } }),
  ];
  const schedule = computeRotationSchedule({
    records,
    policies: indexPolicies([]),
    waivers: [
      {
        id: "w1",
        cluster: "prod",
        namespace: "payments",
        kind: "SealedSecret",
        name: "waived-db",
        key: null,
        until: ago(-30),
        reason: "vendor",
        createdBy: "lead",
        createdAt: ago(1),
        revokedAt: null,
        active: true,
      },
    ],
    teamMapping: [],
    environmentOf: () => "production",
    evidence: indexEvidence({ observed: [], mergedProposals: [], gitChanges: [] }),
    now,
  });
  const keys = [
    { name: "sealed-secrets-key0", createdAt: ago(75), active: true },
    { name: "sealed-secrets-key1", createdAt: ago(45), active: true },
  ];
  const warnings = [
    ...evaluateSealingKeyFreshness("prod", keys, 30, now).warnings,
    {
      cluster: "prod",
      code: "new-key" as const,
      message: "New sealing key has not been acknowledged as backed up.",
    },
  ];

  it("lists overdue keys (not waived ones), overdue sealing keys, and secrets that stopped syncing", () => {
    const items = collectNotificationItems({
      schedule,
      records,
      warnings,
      baseUrl: "https://sealdeck.example.com/",
    });
    expect(items.map((i) => i.key)).toEqual([
      "rotation-overdue:prod/payments/SealedSecret/old-db#password",
      "rotation-overdue:prod/payments/SealedSecret/old-db#user",
      "sealing-key-overdue:prod",
      "secret-not-syncing:prod/payments/SealedSecret/broken",
      "secret-not-syncing:prod/payments/ExternalSecret/late",
    ]);
    expect(items[0]).toMatchObject({
      kind: "rotation-overdue",
      cluster: "prod",
      namespace: "payments",
      name: "old-db",
      secretKey: "password",
      url: "https://sealdeck.example.com/rotations?status=overdue&cluster=prod&text=old-db&namespace=payments",
    });
    expect(items[0]!.summary).toMatch(/^rotation was due 2026-0\d-\d\d \(at most every \d+ days/);
    expect(items[2]!.summary).toContain("sealed-secrets-key1 is 45 days old");
    expect(items[3]).toMatchObject({
      summary: "Degraded: Unseal failed – no key could decrypt secret (password)",
      url: "https://sealdeck.example.com/secrets/prod/payments/SealedSecret/broken",
    });
  });

  it("carries no links without Sealdeck's URL, and nothing while the schedule is unavailable", () => {
    const items = collectNotificationItems({ schedule: null, records: [], warnings: [], baseUrl: null });
    expect(items).toEqual([]);
    const keyItems = collectNotificationItems({ schedule: null, records, warnings, baseUrl: null });
    expect(keyItems.every((i) => i.url === null)).toBe(true);
    expect(keyItems.filter((i) => i.kind === "rotation-overdue")).toEqual([]);
  });
});

describe("store-unreachable items (issue #21)", () => {
  const store = (ready: "True" | "False") => ({
    apiVersion: "external-secrets.io/v1",
    kind: "SecretStore",
    metadata: { name: "vault", namespace: "payments" },
    spec: { provider: { vault: { server: "https://vault.internal" } } },
    status: {
      conditions: [
        {
          type: "Ready",
          status: ready,
          reason: ready === "True" ? "Valid" : "InvalidProviderConfig",
          message: ready === "True" ? "store validated" : "unable to validate store",
          lastTransitionTime: "2026-12-05T09:30:00Z",
        },
      ],
    },
  });
  const externalSecret = (name: string, annotations: Record<string, string> = {}) => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name, namespace: "payments", annotations },
    spec: { secretStoreRef: { name: "vault" }, refreshInterval: "1h" },
    status: { refreshTime: "2026-12-05T09:00:00Z" },
  });
  const externalSecrets = [
    externalSecret("no-expiry"),
    externalSecret("db", { "sealdeck.io/credential-lease": "24h" }),
    externalSecret("api", { "sealdeck.io/credential-expires-at": "2026-12-05T18:00:00Z" }),
  ];
  const collect = (ready: "True" | "False") =>
    collectNotificationItems({
      schedule: null,
      records: [],
      warnings: [],
      storeIncidents: findStoreIncidents("prod", { secretStores: [store(ready)], externalSecrets }),
      baseUrl: "https://sealdeck.example.com",
    }).filter((i) => i.kind === "store-unreachable");

  it("opens an item while the store is not Ready, with the dependants' count and the soonest deadline", () => {
    const [item, ...rest] = collect("False");
    expect(rest).toEqual([]);
    expect(item).toEqual({
      key: "store-unreachable:prod/payments/SecretStore/vault",
      kind: "store-unreachable",
      cluster: "prod",
      namespace: "payments",
      secretKind: "SecretStore",
      name: "vault",
      secretKey: null,
      summary:
        "not Ready since 2026-12-05 09:30:00 UTC: InvalidProviderConfig – unable to validate store; " +
        "3 dependent ExternalSecrets; soonest credential expiry 2026-12-05 18:00:00 UTC (payments/api)",
      url: "https://sealdeck.example.com/recovery#store-prod%2Fpayments%2FSecretStore%2Fvault",
    });
    expect(describeItem(item!)).toBe(
      `Secret store unreachable: SecretStore payments/vault on prod – ${item!.summary}`,
    );
  });

  it("has no item once the store is Ready again (the open item then closes)", () => {
    expect(collect("True")).toEqual([]);
  });
});
