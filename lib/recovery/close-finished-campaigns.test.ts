import { describe, expect, it } from "vitest";
import type { Inventory } from "@/lib/kube/inventory";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { secretRecordId } from "@/lib/validations/secret-record";
import { closeFinishedCampaigns } from "./close-finished-campaigns";
import { formatCampaignCsv } from "./format-campaign-csv";
import { listRecoveryCampaigns } from "./list-recovery-campaigns";
import { removedFromInventory } from "./removed-from-cluster";

type FakeCluster = {
  state: ClusterStatus["state"];
  listed: boolean;
  /** `namespace/name` of each SealedSecret the kind cache holds. */
  objects: string[];
};

/** The parts of the inventory removedFromInventory reads, for one cluster "c1". */
function fakeInventory(cluster: FakeCluster): Pick<Inventory, "cluster"> {
  return {
    cluster: (name: string) =>
      name === "c1"
        ? ({
            status: () => ({ state: cluster.state }),
            listed: (key: string) => key === "sealedSecrets" && cluster.listed,
            objects: () =>
              cluster.objects.map((id) => {
                const [namespace, objectName] = id.split("/");
                return { metadata: { namespace, name: objectName } };
              }),
          } as unknown as ReturnType<Inventory["cluster"]>)
        : undefined,
  };
}

const healthy = { health: { status: "Healthy" }, staleSince: null } as unknown as SecretRecord;

describe("a re-seal campaign whose secret was deleted from Git", () => {
  const { prisma, query } = setupMigratedDatabase();

  async function startCampaign() {
    const campaign = await prisma.recoveryCampaign.create({
      data: {
        incidentId: "key-loss/c1",
        cluster: "c1",
        missingKeys: [],
        startedByName: "lead",
        secrets: {
          create: [
            { namespace: "payments", name: "kept", keys: ["A"] },
            { namespace: "payments", name: "dropped", keys: ["B"] },
          ],
        },
      },
    });
    return campaign.id;
  }
  // `kept` is re-sealed and healthy; `dropped` has no record any more.
  const recordOf = (id: string) =>
    id === secretRecordId("c1", "payments", "SealedSecret", "kept") ? healthy : undefined;
  const closedEvents = (id: string) =>
    query<{ details: { removed?: string[] } }>(
      "SELECT details FROM audit_events WHERE action = 'recovery.campaign.closed' AND target_name = $1",
      [id],
    );

  it("does not count a secret missing during a first sync, an outage or a forbidden list as removed", async () => {
    const id = await startCampaign();
    const cases: FakeCluster[] = [
      { state: "connecting", listed: false, objects: [] },
      { state: "stale", listed: false, objects: ["payments/kept"] },
      // Unreachable after the list: the kind reports an error, so its objects are stale.
      { state: "stale", listed: true, objects: ["payments/kept"] },
      { state: "synced", listed: false, objects: [] },
      // Listed, but the records were not rebuilt yet: the kind still holds it.
      { state: "synced", listed: true, objects: ["payments/kept", "payments/dropped"] },
    ];
    for (const cluster of cases) {
      const removed = removedFromInventory(fakeInventory(cluster));
      expect(await closeFinishedCampaigns(prisma, recordOf, removed)).toEqual([]);
      const [campaign] = await listRecoveryCampaigns(prisma, recordOf, { principal: null, id, removed });
      expect(campaign).toMatchObject({ healthy: 1, removed: 0, closedAt: null });
      expect(campaign!.secrets.find((s) => s.name === "dropped")?.state).toBe("waiting");
    }
    // Without a live inventory (callers that pass none), nothing is removed either.
    expect(await closeFinishedCampaigns(prisma, recordOf)).toEqual([]);
    expect(await closedEvents(id)).toEqual([]);
    await prisma.recoveryCampaign.delete({ where: { id } });
  });

  it("counts it removed once a synced cluster no longer lists it, shows it, and closes the campaign, audited", async () => {
    const id = await startCampaign();
    const removed = removedFromInventory(
      fakeInventory({ state: "synced", listed: true, objects: ["payments/kept"] }),
    );
    const [campaign] = await listRecoveryCampaigns(prisma, recordOf, { principal: null, id, removed });
    expect(campaign).toMatchObject({ total: 2, healthy: 1, removed: 1, closedAt: null });
    expect(campaign!.secrets.map((s) => [s.name, s.state])).toEqual([
      ["dropped", "removed"],
      ["kept", "healthy"],
    ]);
    expect(formatCampaignCsv(campaign!).split("\n")).toContain(`${id},c1,payments,dropped,B,,,removed,`);

    expect(await closeFinishedCampaigns(prisma, recordOf, removed)).toEqual([id]);
    expect(await closeFinishedCampaigns(prisma, recordOf, removed)).toEqual([]);
    const events = await closedEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]?.details.removed).toEqual(["payments/dropped"]);
    const [closed] = await listRecoveryCampaigns(prisma, recordOf, { principal: null, id, removed });
    expect(closed?.closedAt).not.toBeNull();
  });
});
