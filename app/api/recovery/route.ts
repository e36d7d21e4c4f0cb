import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { getInventory } from "@/lib/kube/inventory";
import { closeFinishedCampaigns } from "@/lib/recovery/close-finished-campaigns";
import { listKeyLossIncidents } from "@/lib/recovery/list-key-loss-incidents";
import { listRecoveryCampaigns } from "@/lib/recovery/list-recovery-campaigns";
import { removedFromInventory } from "@/lib/recovery/removed-from-cluster";
import { readSetting } from "@/lib/settings/read-setting";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import { recoveryQuerySchema, type RecoveryResponse } from "@/lib/validations/recovery";

export const dynamic = "force-dynamic";

// GET /api/recovery – open incidents (a lost sealing key per cluster) and re-seal campaigns with their progress, limited to the secrets the user may see
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  const parsed = recoveryQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return Response.json(
      {
        error: "invalid query",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
      { status: 422, headers: { "Cache-Control": "no-store" } },
    );
  const inventory = getInventory();
  await inventory.ready();
  const db = getPrismaOrThrow();
  const recordOf = (id: string) => inventory.get(id);
  const removed = removedFromInventory(inventory);
  // A campaign closes itself once its last secret is healthy; whoever looks first records it (audited).
  await closeFinishedCampaigns(db, recordOf, removed);
  const teamMapping = await readSetting(settingDefinitions.teamMapping, db);
  const body: RecoveryResponse = {
    incidents: listKeyLossIncidents({
      statuses: inventory.clusterStatuses(),
      records: inventory.list(),
      teamMapping: teamMapping.value ?? [],
      principal,
      cluster: parsed.data.cluster,
      seenPublicKeys: (cluster) => inventory.cluster(cluster)?.seenPublicKeys ?? [],
    }),
    campaigns: await listRecoveryCampaigns(db, recordOf, {
      principal,
      cluster: parsed.data.cluster,
      removed,
    }),
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
