import { getChainStatus } from "@/lib/audit/chain-status";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { getTrustedAuditPublicKeys } from "@/lib/audit/get-trusted-audit-public-keys";
import { authorizedRoute } from "@/lib/auth/authorized-route";

export const dynamic = "force-dynamic";

// GET /api/audit/chain – whether the live hash chain verifies, up to which event, and its latest checkpoint
export const GET = authorizedRoute("audit:read", async () =>
  Response.json(
    await getChainStatus(getAuditPoolOrThrow(), { trustedPublicKeys: getTrustedAuditPublicKeys() }),
    { headers: { "Cache-Control": "no-store" } },
  ),
);
