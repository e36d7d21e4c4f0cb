import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import type { ValueFixState, ValueFixView } from "@/lib/validations/value-fix";

export type FixAddress = { cluster: string; namespace: string; kind: string; name: string };

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The secret's latest fixes, newest first, with their pull request as last recorded. */
export async function listValueFixes(
  prisma: PrismaClient,
  secret: FixAddress,
  limit = 5,
): Promise<ValueFixView[]> {
  const fixes = await prisma.valueFix.findMany({
    where: secret,
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  const proposals = await prisma.proposal.findMany({
    where: { id: { in: fixes.flatMap((f) => (f.proposalId ? [f.proposalId] : [])) } },
    select: { id: true, url: true, number: true, state: true },
  });
  return fixes.map((fix) => {
    const proposal = proposals.find((p) => p.id === fix.proposalId);
    return {
      id: fix.id,
      kind: fix.kind as ValueFixView["kind"],
      keys: fix.keys,
      state: fix.state as ValueFixState,
      requestedBy: fix.requestedByName,
      createdAt: fix.createdAt.toISOString(),
      proposedAt: iso(fix.proposedAt),
      pullRequest: proposal ? { url: proposal.url, number: proposal.number, state: proposal.state } : null,
      forceSyncedAt: iso(fix.forceSyncedAt),
      mergedAt: iso(fix.mergedAt),
      appliedAt: iso(fix.appliedAt),
      finishedAt: iso(fix.finishedAt),
      restarted: fix.restarted,
      failure: fix.failure,
    };
  });
}
