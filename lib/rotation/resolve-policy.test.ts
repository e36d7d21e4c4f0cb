import { describe, expect, it } from "vitest";
import type { RotationPolicy, RotationPolicyScope } from "@/lib/validations/rotation";
import { indexPolicies, type PolicySubject, policyScopeKey, resolvePolicy } from "./resolve-policy";

let next = 0;
const policy = (scope: RotationPolicyScope, maxAgeDays: number): RotationPolicy => ({
  id: `00000000-0000-4000-8000-${String(++next).padStart(12, "0")}`,
  scope,
  maxAgeDays,
  note: "",
  updatedBy: "lead",
  updatedAt: "2026-12-01T00:00:00.000Z",
});

const subject = (overrides: Partial<PolicySubject> = {}): PolicySubject => ({
  cluster: "prod-eu",
  environment: "production",
  namespace: "payments",
  kind: "SealedSecret",
  name: "db",
  key: "password",
  annotations: {},
  ...overrides,
});

const global = policy({ level: "global" }, 180);
const environment = policy({ level: "environment", environment: "production" }, 120);
const cluster = policy({ level: "cluster", cluster: "prod-eu" }, 100);
const namespaceAnyCluster = policy({ level: "namespace", cluster: null, namespace: "payments" }, 60);
const namespaceOnCluster = policy({ level: "namespace", cluster: "prod-eu", namespace: "payments" }, 45);
const secret = policy(
  { level: "secret", cluster: null, namespace: "payments", kind: "SealedSecret", name: "db" },
  30,
);
const key = policy(
  {
    level: "key",
    cluster: "prod-eu",
    namespace: "payments",
    kind: "SealedSecret",
    name: "db",
    key: "password",
  },
  7,
);

describe("resolvePolicy", () => {
  it("falls back to the 90-day default when nothing is set", () => {
    expect(resolvePolicy(indexPolicies([]), subject())).toEqual({
      maxAgeDays: 90,
      level: "default",
      origin: "default",
      where: "default (90 days): no policy set",
      policyId: null,
    });
  });

  it("takes the most specific level that has a policy: key > secret > namespace > cluster > environment > global", () => {
    const all = [global, environment, cluster, namespaceAnyCluster, namespaceOnCluster, secret, key];
    const steps: [RotationPolicy, string][] = [
      [key, "Settings → key password of SealedSecret payments/db on prod-eu"],
      [secret, "Settings → SealedSecret payments/db on every cluster"],
      [namespaceOnCluster, "Settings → namespace payments on prod-eu"],
      [namespaceAnyCluster, "Settings → namespace payments on every cluster"],
      [cluster, "Settings → cluster prod-eu"],
      [environment, "Settings → environment production"],
      [global, "Settings → global"],
    ];
    let remaining = all;
    for (const [expected, where] of steps) {
      const applied = resolvePolicy(indexPolicies(remaining), subject());
      expect(applied).toMatchObject({
        maxAgeDays: expected.maxAgeDays,
        level: expected.scope.level,
        origin: "settings",
        where,
        policyId: expected.id,
      });
      remaining = remaining.filter((p) => p !== expected);
    }
  });

  it("does not apply policies of other keys, secrets, namespaces, clusters or environments", () => {
    const index = indexPolicies([key, secret, namespaceOnCluster, cluster, environment]);
    const elsewhere = resolvePolicy(
      index,
      subject({ cluster: "staging", environment: "staging", namespace: "shop", name: "api", key: "token" }),
    );
    expect(elsewhere.level).toBe("default");
    // Same secret, another key: the secret's policy, not the password's.
    expect(resolvePolicy(index, subject({ key: "username" })).policyId).toBe(secret.id);
  });

  it("reads the annotations: per key over per secret, both over namespace and wider policies", () => {
    const index = indexPolicies([namespaceAnyCluster, global]);
    const annotations = { "sealdeck.io/rotate-every": "6m", "sealdeck.io/rotate-every.password": "2w" };
    expect(resolvePolicy(index, subject({ annotations }))).toEqual({
      maxAgeDays: 14,
      level: "key",
      origin: "annotation",
      where: "annotation sealdeck.io/rotate-every.password: 2w on the manifest",
      policyId: null,
    });
    expect(resolvePolicy(index, subject({ key: "username", annotations }))).toMatchObject({
      maxAgeDays: 180,
      level: "secret",
      origin: "annotation",
    });
  });

  it("at the same level, a policy stored in Settings beats the manifest's annotation, and says so", () => {
    const applied = resolvePolicy(
      indexPolicies([secret]),
      subject({ key: "username", annotations: { "sealdeck.io/rotate-every": "1y" } }),
    );
    expect(applied).toMatchObject({
      maxAgeDays: 30,
      level: "secret",
      origin: "settings",
      policyId: secret.id,
    });
    expect(applied.where).toBe(
      "Settings → SealedSecret payments/db on every cluster (overrides the manifest's sealdeck.io/rotate-every: 1y)",
    );
    // A key annotation is still more specific than a secret policy.
    expect(
      resolvePolicy(
        indexPolicies([secret]),
        subject({ annotations: { "sealdeck.io/rotate-every.password": "10d" } }),
      ),
    ).toMatchObject({ maxAgeDays: 10, level: "key", origin: "annotation" });
  });

  it("ignores an invalid annotation, reports it, and never throws", () => {
    const applied = resolvePolicy(
      indexPolicies([namespaceAnyCluster]),
      subject({
        annotations: {
          "sealdeck.io/rotate-every": "every quarter",
          "sealdeck.io/rotate-every.password": "0d",
        },
      }),
    );
    expect(applied).toMatchObject({ maxAgeDays: 60, level: "namespace", origin: "settings" });
    expect(applied.warning).toContain('sealdeck.io/rotate-every.password: "0d" is not a max age');
    expect(applied.warning).toContain('sealdeck.io/rotate-every: "every quarter" is not a max age');
    expect(applied.where).toContain("so it is ignored");
  });

  it('an ExternalSecret (key "") takes the secret-level annotation; a cluster-scoped one skips namespace policies', () => {
    const external = subject({
      kind: "ExternalSecret",
      key: "",
      annotations: { "sealdeck.io/rotate-every": "30d" },
    });
    expect(resolvePolicy(indexPolicies([namespaceAnyCluster]), external)).toMatchObject({
      maxAgeDays: 30,
      origin: "annotation",
    });
    const clusterWide = subject({ kind: "ClusterExternalSecret", namespace: null, key: "", annotations: {} });
    expect(resolvePolicy(indexPolicies([namespaceAnyCluster, cluster]), clusterWide).policyId).toBe(
      cluster.id,
    );
  });

  it("gives one scope key per scope, whatever the field order", () => {
    expect(policyScopeKey({ level: "namespace", namespace: "a", cluster: null })).toBe(
      policyScopeKey({ level: "namespace", cluster: null, namespace: "a" }),
    );
    expect(policyScopeKey({ level: "namespace", cluster: "x", namespace: "a" })).not.toBe(
      policyScopeKey({ level: "namespace", cluster: null, namespace: "a" }),
    );
  });
});
