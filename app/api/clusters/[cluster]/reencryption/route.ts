import { authorizedRoute } from "@/lib/auth/authorized-route";
import { listReencryptionCandidates } from "@/lib/gitops/list-reencryption-candidates";

export const dynamic = "force-dynamic";

type Params = { cluster: string };

// GET /api/clusters/[cluster]/reencryption – SealedSecrets sealed with an older key than the controller's newest.
export const GET = authorizedRoute<Params>("secret:rotate", async (request, { principal, params }) => {
  const body = await listReencryptionCandidates(principal, params.cluster);
  return Response.json(body, { headers: { "Cache-Control": "no-store" } });
});
