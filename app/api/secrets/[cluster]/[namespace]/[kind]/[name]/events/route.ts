import { getSecretEvents } from "@/lib/kube/get-secret-events";
import { secretRoute } from "../secret-route";

export const dynamic = "force-dynamic";

// GET /api/secrets/[cluster]/[namespace]/[kind]/[name]/events – the secret's recent Kubernetes Events
export const GET = secretRoute(
  async (_request, { address, timing }) => {
    const events = await timing.time("cluster", () => getSecretEvents(address));
    return Response.json(events, {
      headers: { "Cache-Control": "no-store", "Server-Timing": timing.header() },
    });
  },
  { kubeRbac: true },
);
