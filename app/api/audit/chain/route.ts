import { getChainStatus } from "@/lib/audit/chain-status";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { getAuditSigningKey } from "@/lib/audit/get-audit-signing-key";
import { authorizedRoute } from "@/lib/auth/authorized-route";

export const dynamic = "force-dynamic";

// GET /api/audit/chain – whether the live hash chain verifies, up to which event, and its latest checkpoint
export const GET = authorizedRoute("audit:read", async () =>
  Response.json(
    await getChainStatus(getAuditPoolOrThrow(), { trustedPublicKeys: [getAuditSigningKey().publicKeyPem] }),
    { headers: { "Cache-Control": "no-store" } },
  ),
);
