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

  const absentSince = async (id: string) =>
    (
      await prisma.recoveryCampaignSecret.findUniqueOrThrow({
        where: { campaignId_namespace_name: { campaignId: id, namespace: "payments", name: "dropped" } },
      })
    ).absentSince;

  it("counts it removed only once it has stayed gone across passes N seconds apart, then closes the campaign, audited", async () => {
    const id = await startCampaign();
    const t0 = new Date("2026-12-06T08:00:00.000Z");
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    const afterMs = 300_000;
    const pass = async (seconds: number, cluster: FakeCluster) => {
      const removed = removedFromInventory(fakeInventory(cluster), { afterMs, now: at(seconds) });
      const closed = await closeFinishedCampaigns(prisma, recordOf, removed);
      const [campaign] = await listRecoveryCampaigns(prisma, recordOf, { principal: null, id, removed });
      return { closed, campaign: campaign!, removed };
    };
    const gone: FakeCluster = { state: "synced", listed: true, objects: ["payments/kept"] };
    const back: FakeCluster = {
      state: "synced",
      listed: true,
      objects: ["payments/kept", "payments/dropped"],
    };

    // Gone once (a GitOps tool replacing it would look the same): remembered, not removed.
    let seen = await pass(0, gone);
    expect(seen.closed).toEqual([]);
    expect(seen.campaign).toMatchObject({ healthy: 1, removed: 0, closedAt: null });
    expect(seen.campaign.secrets.find((s) => s.name === "dropped")?.state).toBe("waiting");
    expect(await absentSince(id)).toEqual(at(0));
    // It reappears (recreated): the absence is forgotten.
    await pass(60, back);
    expect(await absentSince(id)).toBeNull();

    // Gone again: the clock starts over, and later passes keep the first sighting.
    await pass(120, gone);
    await pass(200, gone);
    expect(await absentSince(id)).toEqual(at(120));
    // An outage says nothing either way: the sighting is kept, nothing is removed.
    expect((await pass(120 + 400, { state: "stale", listed: false, objects: [] })).closed).toEqual([]);
    expect(await absentSince(id)).toEqual(at(120));
    // Just under N since it was first seen gone: still not removed.
    seen = await pass(120 + 299, gone);
    expect(seen.closed).toEqual([]);
    expect(seen.campaign).toMatchObject({ removed: 0, closedAt: null });

    // Gone for N seconds: removed, shown, exported, and the campaign closes once.
    const removedAt = 120 + 300;
    const removed = removedFromInventory(fakeInventory(gone), { afterMs, now: at(removedAt) });
    const [campaign] = await listRecoveryCampaigns(prisma, recordOf, { principal: null, id, removed });
    expect(campaign).toMatchObject({ total: 2, healthy: 1, removed: 1, closedAt: null });
    expect(campaign!.secrets.map((s) => [s.name, s.state])).toEqual([
      ["dropped", "removed"],
      ["kept", "healthy"],
    ]);
    expect(campaign!.secrets[0]).not.toHaveProperty("absentSince");
    expect(formatCampaignCsv(campaign!).split("\n")).toContain(`${id},c1,payments,dropped,B,,,removed,`);

    expect(await closeFinishedCampaigns(prisma, recordOf, removed)).toEqual([id]);
    expect(await closeFinishedCampaigns(prisma, recordOf, removed)).toEqual([]);
    const events = await closedEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]?.details.removed).toEqual(["payments/dropped"]);
    const [closed] = await listRecoveryCampaigns(prisma, recordOf, { principal: null, id, removed });
    expect(closed?.closedAt).not.toBeNull();
  });

  it("counts a secret gone and back between two passes as present, and a gone one removed only when it is still gone", async () => {
    const id = await startCampaign();
    const t0 = new Date("2026-12-06T09:00:00.000Z");
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    const check = (seconds: number, objects: string[]) =>
      removedFromInventory(fakeInventory({ state: "synced", listed: true, objects }), {
        afterMs: 300_000,
        now: at(seconds),
      });
    await closeFinishedCampaigns(prisma, recordOf, check(0, ["payments/kept"]));
    // Long after, but present at this pass (recreated meanwhile): not removed, and forgotten.
    expect(
      await closeFinishedCampaigns(prisma, recordOf, check(900, ["payments/kept", "payments/dropped"])),
    ).toEqual([]);
    expect(await absentSince(id)).toBeNull();
    // A list that only reads (the export, the CLI) never counts a secret no pass has seen gone.
    const [listed] = await listRecoveryCampaigns(prisma, recordOf, {
      principal: null,
      id,
      removed: check(2000, ["payments/kept"]),
    });
    expect(listed).toMatchObject({ removed: 0, closedAt: null });
    await prisma.recoveryCampaign.delete({ where: { id } });
  });
});
