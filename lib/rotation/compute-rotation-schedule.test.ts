import { describe, expect, it } from "vitest";
import type { SecretRecord } from "@/lib/validations/secret-record";
import {
  computeRotationSchedule,
  DAY_MS,
  rotationStatus,
  type ScheduleInputs,
} from "./compute-rotation-schedule";
import { type EvidenceSources, indexEvidence } from "./index-rotation-evidence";
import type { StoredWaiver } from "./list-rotation-policies";
import { queryRotationSchedule, summarizeRotationSchedule } from "./query-rotation-schedule";
import { indexPolicies } from "./resolve-policy";
import { testSecretRecord } from "@/lib/testing/test-secret-record";

const now = new Date("2026-12-05T12:00:00.000Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

function record(overrides: Partial<SecretRecord> & Pick<SecretRecord, "name">): SecretRecord {
  return testSecretRecord(overrides.name, "Healthy", {
    cluster: "prod",
    namespace: "payments",
    createdAt: ago(400),
    rotationAnnotations: {},
    keys: ["password"],
    health: { status: "Healthy", reason: "Synced", message: null },
    ...overrides,
  });
}

const noEvidence: EvidenceSources = { observed: [], mergedProposals: [], gitChanges: [] };

function inputs(records: SecretRecord[], extra: Partial<ScheduleInputs> = {}): ScheduleInputs {
  return {
    records,
    policies: indexPolicies([]),
    waivers: [],
    teamMapping: [],
    environmentOf: () => "production",
    evidence: indexEvidence(noEvidence),
    now,
    ...extra,
  };
}

const observedAt = (name: string, daysAgo: number) => ({
  cluster: "prod",
  kind: "SealedSecret",
  namespace: "payments",
  name,
  key: "password",
  observedAt: new Date(now.getTime() - daysAgo * DAY_MS),
  pullRequestUrl: null,
  pullRequestNumber: null,
});

describe("rotationStatus", () => {
  const nowMs = now.getTime();
  it("puts a key due in exactly 7 days in due-7 and exactly 30 days in due-30, a moment later in the next", () => {
    expect(rotationStatus(nowMs + 7 * DAY_MS, nowMs, false)).toBe("due-7");
    expect(rotationStatus(nowMs + 7 * DAY_MS + 1, nowMs, false)).toBe("due-30");
    expect(rotationStatus(nowMs + 30 * DAY_MS, nowMs, false)).toBe("due-30");
    expect(rotationStatus(nowMs + 30 * DAY_MS + 1, nowMs, false)).toBe("compliant");
    expect(rotationStatus(nowMs, nowMs, false)).toBe("due-7");
    expect(rotationStatus(nowMs - 1, nowMs, false)).toBe("overdue");
  });

  it("waives overdue and due keys only; unknown stays unknown", () => {
    expect(rotationStatus(nowMs - 1, nowMs, true)).toBe("waived");
    expect(rotationStatus(nowMs + DAY_MS, nowMs, true)).toBe("waived");
    expect(rotationStatus(nowMs + 60 * DAY_MS, nowMs, true)).toBe("compliant");
    expect(rotationStatus(null, nowMs, true)).toBe("unknown");
  });
});

describe("computeRotationSchedule", () => {
  it('one row per SealedSecret key, one (key "") per ExternalSecret, dated by the best evidence', () => {
    const sealed = record({ name: "db", keys: ["password", "username"] });
    const external = record({
      name: "api",
      kind: "ExternalSecret",
      keys: ["token"],
      source: {
        kind: "external-secrets",
        store: null,
        provider: "vault",
        storeReady: true,
        remoteKeys: [],
        refreshInterval: "1h",
        refreshPolicy: null,
        refreshTime: ago(0.01),
      },
    });
    const evidence = indexEvidence({
      observed: [observedAt("db", 10), { ...observedAt("api", 5), kind: "ExternalSecret", key: "" }],
      mergedProposals: [
        {
          namespace: "payments",
          name: "db",
          clusters: ["prod"],
          keys: ["password", "username"],
          number: 12,
          url: "https://git.example/acme/gitops/pull/12",
          repository: "gitops",
          requestedByName: "alice",
          mergedAt: new Date(now.getTime() - 10.5 * DAY_MS),
        },
      ],
      gitChanges: [],
    });
    const { entries } = computeRotationSchedule(inputs([sealed, external], { evidence }));
    const rows = Object.fromEntries(entries.map((e) => [e.row.id, e.row]));
    expect(Object.keys(rows).sort()).toEqual([
      "prod/payments/ExternalSecret/api#",
      "prod/payments/SealedSecret/db#password",
      "prod/payments/SealedSecret/db#username",
    ]);
    // The observed rotation is newer than the merge: it wins for the password; the username only has the PR.
    expect(rows["prod/payments/SealedSecret/db#password"]).toMatchObject({
      lastRotatedAt: ago(10),
      evidence: { kind: "observed" },
      dueAt: new Date(now.getTime() + 80 * DAY_MS).toISOString(),
      status: "compliant",
    });
    expect(rows["prod/payments/SealedSecret/db#username"]).toMatchObject({
      evidence: {
        kind: "pull-request",
        description: "merged pull request #12 in gitops by alice",
        url: "https://git.example/acme/gitops/pull/12",
      },
    });
    expect(rows["prod/payments/ExternalSecret/api#"]).toMatchObject({
      key: "",
      evidence: { kind: "external-sync" },
      refreshInterval: "1h",
      refreshTime: ago(0.01),
    });
  });

  it("without evidence, the creation time as a lower bound; without that either, unknown", () => {
    const old = record({ name: "old" });
    const nameless = record({ name: "nameless", createdAt: null });
    const { entries } = computeRotationSchedule(inputs([old, nameless]));
    const [first, second] = entries.map((e) => e.row);
    expect(first).toMatchObject({
      lastRotatedAt: ago(400),
      lastRotatedIsLowerBound: true,
      evidence: { kind: "created", at: ago(400) },
      status: "overdue",
    });
    expect(second).toMatchObject({ lastRotatedAt: null, dueAt: null, evidence: null, status: "unknown" });
  });

  it("a waiver ending today still holds an overdue key; a revoked or expired one does not", () => {
    const waiver = (id: string, until: string, revokedAt: string | null = null): StoredWaiver => ({
      id,
      cluster: "prod",
      namespace: "payments",
      kind: "SealedSecret",
      name: "db",
      key: null,
      until,
      reason: "vendor rotates in January",
      createdBy: "lead",
      createdAt: ago(3),
      active: true,
      revokedAt,
    });
    const db = record({ name: "db" });
    const endOfToday = "2026-12-05T23:59:59.999Z";
    const waived = computeRotationSchedule(inputs([db], { waivers: [waiver("w1", endOfToday)] }));
    expect(waived.entries[0]!.row).toMatchObject({
      status: "waived",
      waiver: { id: "w1", until: endOfToday },
    });
    const lapsed = computeRotationSchedule(
      inputs([db], {
        waivers: [waiver("w2", "2026-12-04T23:59:59.999Z"), waiver("w3", endOfToday, ago(1))],
      }),
    );
    expect(lapsed.entries[0]!.row).toMatchObject({ status: "overdue", waiver: null });
  });

  it("a key waiver covers its key only", () => {
    const db = record({ name: "db", keys: ["password", "username"] });
    const schedule = computeRotationSchedule(
      inputs([db], {
        waivers: [
          {
            id: "w",
            cluster: "prod",
            namespace: "payments",
            kind: "SealedSecret",
            name: "db",
            key: "username",
            until: "2027-01-31T23:59:59.999Z",
            reason: "rotating with the vendor",
            createdBy: "lead",
            createdAt: ago(1),
            active: true,
            revokedAt: null,
          },
        ],
      }),
    );
    expect(schedule.entries.map((e) => [e.row.key, e.row.status])).toEqual([
      ["password", "overdue"],
      ["username", "waived"],
    ]);
  });

  it("finds the owner: label, then annotation, then the namespace mapping (one cluster's first)", () => {
    const mapping = [
      { cluster: null, namespace: "payments", team: "payments-team" },
      { cluster: "prod", namespace: "payments", team: "prod-payments" },
      { cluster: null, namespace: "shop", team: "shop-team" },
    ];
    const schedule = computeRotationSchedule(
      inputs(
        [
          record({ name: "a", labels: { "sealdeck.io/owner": "labelled" } }),
          record({ name: "b", rotationAnnotations: { "sealdeck.io/owner": "annotated" } }),
          record({ name: "c" }),
          record({ name: "d", namespace: "shop" }),
          record({ name: "e", namespace: "other" }),
        ],
        { teamMapping: mapping },
      ),
    );
    expect(schedule.entries.map((e) => e.row.owner)).toEqual([
      { team: "labelled", source: "label" },
      { team: "annotated", source: "annotation" },
      { team: "prod-payments", source: "namespace-mapping" },
      { team: "shop-team", source: "namespace-mapping" },
      null,
    ]);
  });
});

describe("queryRotationSchedule and summarizeRotationSchedule", () => {
  const records = [
    record({ name: "overdue" }),
    record({ name: "soon", namespace: "shop" }),
    record({ name: "later" }),
    record({ name: "never", createdAt: null }),
  ];
  const evidence = indexEvidence({
    observed: [observedAt("soon", 85), observedAt("later", 20)].map((o) =>
      o.name === "soon" ? { ...o, namespace: "shop" } : o,
    ),
    mergedProposals: [],
    gitChanges: [],
  });
  const schedule = computeRotationSchedule(inputs(records, { evidence }));
  const query = { sort: "status", order: "asc", offset: 0, limit: 500 } as const;

  it("sorts worst first, counts every status ignoring the status filter, filters and pages", () => {
    const all = queryRotationSchedule(schedule, query, null);
    expect(all.rows.map((r) => [r.name, r.status])).toEqual([
      ["overdue", "overdue"],
      ["soon", "due-7"],
      ["never", "unknown"],
      ["later", "compliant"],
    ]);
    expect(all.counts).toEqual({ overdue: 1, "due-7": 1, "due-30": 0, unknown: 1, waived: 0, compliant: 1 });
    const overdue = queryRotationSchedule(schedule, { ...query, status: "overdue" }, null);
    expect(overdue).toMatchObject({ total: 1, counts: all.counts });
    expect(
      queryRotationSchedule(schedule, { ...query, namespace: "shop" }, null).rows.map((r) => r.name),
    ).toEqual(["soon"]);
    expect(queryRotationSchedule(schedule, { ...query, text: "LAT" }, null).rows.map((r) => r.name)).toEqual([
      "later",
    ]);
    const page = queryRotationSchedule(schedule, { ...query, sort: "name", offset: 1, limit: 2 }, null);
    expect(page).toMatchObject({ total: 4 });
    expect(page.rows.map((r) => r.name)).toEqual(["never", "overdue"]);
    // Visibility removes rows before counting.
    const onlyShop = queryRotationSchedule(schedule, query, (row) => row.namespace === "shop");
    expect(onlyShop).toMatchObject({ total: 1, counts: { "due-7": 1, overdue: 0 } });
  });

  it("summarises due dates in the next 90 days, rotations per month (12, every month) and compliance per team", () => {
    const summary = summarizeRotationSchedule(schedule, {}, null);
    expect(summary.dueByDay).toEqual([
      { date: "2026-12-10", count: 1 },
      { date: "2027-02-13", count: 1 },
    ]);
    expect(summary.rotationsByMonth).toHaveLength(12);
    expect(summary.rotationsByMonth[0]!.month).toBe("2026-01");
    expect(summary.rotationsByMonth[11]).toEqual({ month: "2026-12", count: 0 });
    expect(summary.rotationsByMonth.find((m) => m.month === "2026-09")).toEqual({
      month: "2026-09",
      count: 1,
    });
    expect(summary.rotationsByMonth.find((m) => m.month === "2026-11")).toEqual({
      month: "2026-11",
      count: 1,
    });
    expect(summary.complianceByTeam).toEqual([{ team: null, compliant: 1, total: 4 }]);
  });
});
