import { getSecretDetail } from "@/lib/kube/get-secret-detail";
import { secretRoute } from "./secret-route";

export const dynamic = "force-dynamic";

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name] – one secret's record (conditions, consumers, health)
export const GET = secretRoute(
  async (_request, { address, timing }) => {
    const detail = await timing.time("inventory", () => getSecretDetail(address));
    return Response.json(detail, {
      headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() },
    });
  },
  { kubeRbac: true },
);
