import { getInventory } from "@/lib/kube/inventory";
import { authorizedRoute } from "@/lib/auth/authorized-route";
import { listKeyLossIncidents } from "@/lib/recovery/list-key-loss-incidents";
import { readSetting } from "@/lib/settings/read-setting";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import { recoveryQuerySchema, type RecoveryResponse } from "@/lib/validations/recovery";

export const dynamic = "force-dynamic";

// GET /api/recovery – open incidents (a lost sealing key per cluster), limited to the secrets the user may see
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
  const teamMapping = await readSetting(settingDefinitions.teamMapping);
  const body: RecoveryResponse = {
    incidents: listKeyLossIncidents({
      statuses: inventory.clusterStatuses(),
      records: inventory.list(),
      teamMapping: teamMapping.value ?? [],
      principal,
      cluster: parsed.data.cluster,
      seenPublicKeys: (cluster) => inventory.cluster(cluster)?.seenPublicKeys ?? [],
    }),
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
