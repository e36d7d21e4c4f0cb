import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { auditKeys } from "@/lib/queries/use-audit-events";
import type { ChainStatusResponse } from "@/lib/validations/audit-query";
import { ChainBadge } from "./chain-badge";

function renderWith(status: ChainStatusResponse): string {
  const client = new QueryClient();
  client.setQueryData(auditKeys.chain(), status);
  return renderToString(
    <QueryClientProvider client={client}>
      <ChainBadge />
    </QueryClientProvider>,
  );
}

describe("ChainBadge", () => {
  it("writes the check and the signed checkpoint in the one date format, in UTC", () => {
    const html = renderWith({
      ok: true,
      checkedAt: "2026-12-06T08:13:10.000Z",
      mode: "full",
      verified: { seq: "3", hash: "ab" },
      checkpoint: {
        seq: "2",
        createdAt: "2026-12-06T08:04:40.000Z",
        headTime: null,
        keyId: "bf925a4d6412facbed345c22",
        signatureOk: true,
        reason: null,
      },
      untrustedCheckpoints: 0,
      broken: null,
    });
    expect(html).toContain("Chain verified up to #3 at 2026-12-06 08:13:10 UTC");
    expect(html).toContain("signed checkpoint #2 at 2026-12-06 08:04:40 UTC");
  });
});
