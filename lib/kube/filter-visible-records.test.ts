import { describe, expect, it } from "vitest";
import type { NamespaceRef } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { testDeveloper, testPrincipal } from "@/lib/testing/test-principal";
import { testSecretRecord } from "@/lib/testing/test-secret-record";
import { secretListQuerySchema, secretSortFields } from "@/lib/validations/secret-list-query";
import { healthStatuses, type SecretRecord } from "@/lib/validations/secret-record";
import { visibleRecordTest } from "./filter-visible-records";
import { querySecretRecords } from "./query-secret-records";

const clusters = ["prod", "stage", "dev"];
const namespaces = ["payments", "search", "identity", "data"];

function record(i: number): SecretRecord {
  const cluster = clusters[i % clusters.length]!;
  // Every seventh record is a cluster-scoped kind (no namespace).
  const namespace = i % 7 === 0 ? null : namespaces[(i * 5) % namespaces.length]!;
  const kind = namespace === null ? "ClusterExternalSecret" : "SealedSecret";
  const name = `app-${i}`;
  return testSecretRecord(name, healthStatuses[i % 4]!, {
    cluster,
    namespace,
    kind,
  });
}

/** Written out apart from authorize(): what a grant lets a developer see. */
function granted(grants: NamespaceRef[], r: SecretRecord): boolean {
  return grants.some(
    (g) =>
      (g.cluster === "*" || g.cluster === r.cluster) &&
      // A cluster-scoped kind is seen only through a "*" namespace grant.
      (g.namespace === "*" || (r.namespace !== null && g.namespace === r.namespace)),
  );
}

describe("a viewer's page of the inventory", () => {
  const estate = Array.from({ length: 300 }, (_, i) => record(i));

  it("never holds a record outside the viewer's grants, and holds every one inside them", () => {
    let seed = 5;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 60; round++) {
      const grants = Array.from({ length: random(4) }, () => ({
        cluster: random(4) === 0 ? "*" : clusters[random(clusters.length)]!,
        namespace: random(4) === 0 ? "*" : namespaces[random(namespaces.length)]!,
      }));
      const principal = testDeveloper(grants);
      const visible = visibleRecordTest(principal);
      expect(visible).not.toBeNull();
      const query = secretListQuerySchema.parse({
        sort: secretSortFields[random(secretSortFields.length)],
        order: random(2) ? "asc" : "desc",
        limit: String(1 + random(60)),
      });
      const seen: SecretRecord[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = querySecretRecords(estate, { ...query, cursor }, visible!);
        seen.push(...page.items);
        expect(page.total).toBe(estate.filter((r) => granted(grants, r)).length);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen.filter((r) => !granted(grants, r))).toEqual([]);
      expect(seen.map((r) => r.id).sort()).toEqual(
        estate
          .filter((r) => granted(grants, r))
          .map((r) => r.id)
          .sort(),
      );
    }
  });

  it('shows cluster-scoped kinds only through a "*" namespace grant', () => {
    const page = (grants: NamespaceRef[]) =>
      querySecretRecords(
        estate,
        secretListQuerySchema.parse({ limit: "5000" }),
        visibleRecordTest(testDeveloper(grants))!,
      ).items;
    const everyNamespace = namespaces.map((namespace) => ({ cluster: "prod", namespace }));
    expect(page(everyNamespace).some((r) => r.namespace === null)).toBe(false);
    const clusterWide = page([{ cluster: "prod", namespace: "*" }]);
    expect(clusterWide.filter((r) => r.namespace === null).length).toBeGreaterThan(0);
    expect(clusterWide.every((r) => r.cluster === "prod")).toBe(true);
  });

  it("holds no test for the roles that read the whole inventory, and shows nothing without a grant", () => {
    for (const role of ["security-lead", "auditor"] satisfies Role[]) {
      expect(
        visibleRecordTest(testPrincipal({ userId: "u", username: role, displayName: role, role })),
      ).toBeNull();
    }
    const none = visibleRecordTest(testDeveloper())!;
    const page = querySecretRecords(estate, secretListQuerySchema.parse({}), none);
    expect(page.items).toEqual([]);
    expect(page.total).toBe(0);
    expect(Object.values(page.counts).every((n) => n === 0)).toBe(true);
  });
});
