import { authorizedRoute } from "@/lib/auth/authorized-route";
import { readSealingCertificate } from "@/lib/gitops/read-sealing-certificate";

export const dynamic = "force-dynamic";

type Params = { cluster: string };

// GET /api/clusters/[cluster]/certificate – the sealing certificate the browser seals with.
// `?namespace=` (optional) checks the grant for that namespace; without it a grant on the cluster will do.
export const GET = authorizedRoute<Params>(
  "secret:seal",
  async (request, { principal, params }) => {
    const body = await readSealingCertificate(principal, params.cluster);
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  },
  {
    resource: (request, params) => {
      const namespace = new URL(request.url).searchParams.get("namespace");
      return namespace ? { cluster: params.cluster, namespace } : undefined;
    },
  },
);
