import "server-only";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getEnv } from "@/lib/config/env";
import type { PrismaClient, Proposal, ValueFix } from "@/lib/db/generated/client";
import type { Inventory } from "@/lib/kube/inventory";
import { logger } from "@/lib/log/logger";
import { secretRecordId } from "@/lib/validations/secret-record";
import { checkFixApplied } from "./check-fix-applied";
import { fixEvent, VALUE_FIX_ACTOR, webUrl } from "./fix-audit";
import { restartFixConsumers, type RestartOutcome } from "./restart-fix-consumers";

export type FixInventory = Pick<Inventory, "cluster" | "get">;

export type AdvanceResult = { linked: number; merged: number; closed: number; restart: RestartOutcome[] };

const system = { name: VALUE_FIX_ACTOR };

const pullRequestDetails = (p: Pick<Proposal, "repository" | "number" | "branch" | "url">) => ({
  pullRequest: [
    {
      repository: p.repository,
      number: p.number,
      branch: p.branch,
      ...(webUrl(p.url) ? {} : { location: p.url.slice(0, 500) }),
    },
  ],
});

/** Moves a fix from one state to the next with its audit event, or not at all (another tick did it). */
async function transition(
  prisma: PrismaClient,
  fix: ValueFix,
  from: ValueFix["state"],
  data: Partial<
    Pick<ValueFix, "state" | "proposalId" | "proposedAt" | "mergedAt" | "failure" | "finishedAt">
  >,
  event: ReturnType<typeof fixEvent>,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const changed = await tx.valueFix.updateMany({ where: { id: fix.id, state: from }, data });
    if (changed.count !== 1) return false;
    await appendAuditEvent(tx, event);
    return true;
  });
}

/**
 * The fix's pull request: the requester's proposal for this secret on this cluster, covering the fixed
 * keys, opened or updated since the fix began (the rotate form the fix led to proposes it).
 */
async function findProposal(prisma: PrismaClient, fix: ValueFix): Promise<Proposal | null> {
  return prisma.proposal.findFirst({
    where: {
      namespace: fix.namespace,
      name: fix.name,
      clusters: { has: fix.cluster },
      keys: { hasEvery: fix.keys },
      requestedById: fix.requestedById,
      updatedAt: { gte: fix.createdAt },
      state: { in: ["open", "merged"] },
    },
    orderBy: { updatedAt: "desc" },
  });
}

/**
 * One pass of the value-fix job (lib/fix-value/start-value-fix-job.ts runs it under the "value-fix"
 * lease): link new proposals, follow merges the proposal poller recorded, restart the consumers of
 * fixes whose new value the cluster applied, and resume restarts whose claiming replica died. Every transition is a conditional UPDATE with its audit
 * event in one transaction, so a pass repeated concurrently changes nothing twice.
 */
export async function advanceValueFixes(
  prisma: PrismaClient,
  inventory: FixInventory,
  /** restartClaimMs: how old a restart claim must be before another pass resumes it (default: a job lease). */
  options: { restartClaimMs?: number } = {},
): Promise<AdvanceResult> {
  const result: AdvanceResult = { linked: 0, merged: 0, closed: 0, restart: [] };

  for (const fix of await prisma.valueFix.findMany({ where: { state: "proposing" }, take: 100 })) {
    const proposal = await findProposal(prisma, fix);
    if (!proposal) continue;
    const linked = await transition(
      prisma,
      fix,
      "proposing",
      { state: "waiting_merge", proposalId: proposal.id, proposedAt: new Date() },
      fixEvent(
        fix,
        "secret.fix.proposed",
        "success",
        system,
        pullRequestDetails(proposal),
        webUrl(proposal.url),
      ),
    );
    if (linked) result.linked++;
  }

  const waiting = await prisma.valueFix.findMany({ where: { state: "waiting_merge" }, take: 100 });
  const proposals = await prisma.proposal.findMany({
    where: { id: { in: waiting.flatMap((f) => (f.proposalId ? [f.proposalId] : [])) } },
  });
  for (const fix of waiting) {
    const proposal = proposals.find((p) => p.id === fix.proposalId);
    if (!proposal || proposal.state === "open") continue;
    if (proposal.state === "merged") {
      const moved = await transition(
        prisma,
        fix,
        "waiting_merge",
        { state: "waiting_apply", mergedAt: new Date() },
        fixEvent(
          fix,
          "secret.fix.merged",
          "success",
          system,
          pullRequestDetails(proposal),
          webUrl(proposal.url),
        ),
      );
      if (moved) result.merged++;
    } else {
      const failure = "The pull request was closed without merging: nothing changed, nothing was restarted.";
      const moved = await transition(
        prisma,
        fix,
        "waiting_merge",
        { state: "failed", failure, finishedAt: new Date() },
        fixEvent(
          fix,
          "secret.fix.failed",
          "failure",
          system,
          { ...pullRequestDetails(proposal), reason: failure },
          webUrl(proposal.url),
        ),
      );
      if (moved) result.closed++;
    }
  }

  for (const fix of await prisma.valueFix.findMany({ where: { state: "waiting_apply" }, take: 100 })) {
    const cluster = inventory.cluster(fix.cluster);
    if (!cluster) continue;
    try {
      const check = await checkFixApplied(
        prisma,
        cluster.loadConfig(),
        fix,
        cluster.status().externalSecretsVersion ?? "v1",
      );
      if (!check.applied) continue;
      const record = inventory.get(
        secretRecordId(fix.cluster, fix.namespace, fix.kind as "SealedSecret", fix.name),
      );
      result.restart.push(
        await restartFixConsumers(prisma, fix, cluster, record?.consumers ?? [], {
          kind: "applied",
          evidence: check.evidence,
        }),
      );
    } catch (error) {
      // The cluster or the database did not answer: the fix waits for the next pass.
      logger.warn({ err: error, fixId: fix.id }, "value fix not advanced");
    }
  }

  // A replica that died between its claim and the outcome left the fix "restarting": once the claim is
  // older than a job lease, this pass takes it over (restartFixConsumers re-claims it conditionally).
  const claimMs = options.restartClaimMs ?? getEnv().SEALDECK_JOB_LEASE_SECONDS * 1000;
  const stalled = await prisma.valueFix.findMany({
    where: { state: "restarting", updatedAt: { lt: new Date(Date.now() - claimMs) } },
    take: 100,
  });
  for (const fix of stalled) {
    const cluster = inventory.cluster(fix.cluster);
    if (!cluster) continue;
    try {
      const record = inventory.get(
        secretRecordId(fix.cluster, fix.namespace, fix.kind as "SealedSecret", fix.name),
      );
      result.restart.push(
        await restartFixConsumers(prisma, fix, cluster, record?.consumers ?? [], {
          kind: "expired-claim",
          claimMs,
        }),
      );
    } catch (error) {
      logger.warn({ err: error, fixId: fix.id }, "stalled value fix restart not resumed");
    }
  }
  return result;
}
