import { authorizedRoute } from "@/lib/auth/authorized-route";
import { getInventory } from "@/lib/kube/inventory";
import { listStoreIncidents } from "@/lib/recovery/list-store-incidents";
import { type StoreIncidentsResponse, storeIncidentsQuerySchema } from "@/lib/validations/store-incidents";

export const dynamic = "force-dynamic";

// GET /api/recovery/stores – secret stores that are not Ready, each with its dependants by deadline
export const GET = authorizedRoute("inventory:read", async (request, { principal }) => {
  const parsed = storeIncidentsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json(
      {
        error: "invalid query",
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      },
      { status: 422 },
    );
  }
  const inventory = getInventory();
  await inventory.ready();
  const body: StoreIncidentsResponse = {
    incidents: await listStoreIncidents({ principal, cluster: parsed.data.cluster }),
    generatedAt: new Date().toISOString(),
  };
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
