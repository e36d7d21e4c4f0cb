import type { AuditEventView } from "@/lib/validations/audit-query";

// A request and its result are two events in the chain (written before and after the action, so the
// request is on record even when the action never returns). People read them as one: "Force-sync
// requested … succeeded". This pairs each pending request with the result recorded for it. Isomorphic.

/** The actions that can answer a request, by the request's action. */
function resultActions(action: string): readonly string[] {
  if (action === "secret.seal.requested" || action === "seal.requested")
    return ["pull_request.opened", "pull_request.updated", "pull_request.failed"];
  // A merge from the Changes page is answered by the merge (naming its commit) or its refusal.
  if (action === "pull_request.merge.requested") return ["pull_request.merged", "pull_request.merge_failed"];
  if (action.endsWith(".requested")) return [action.slice(0, -".requested".length)];
  // `audit.exported` pending → `audit.exported` success/failure (the same export id).
  return [action];
}

const sameTarget = (a: AuditEventView["target"], b: AuditEventView["target"]) =>
  a.cluster === b.cluster && a.namespace === b.namespace && a.name === b.name;

function answers(request: AuditEventView, candidate: AuditEventView): boolean {
  if (BigInt(candidate.seq) <= BigInt(request.seq) || candidate.outcome === "pending") return false;
  if (!resultActions(request.action).includes(candidate.action)) return false;
  if ((candidate.actor.userId ?? candidate.actor.name) !== (request.actor.userId ?? request.actor.name))
    return false;
  const exportId = request.details.exportId;
  if (exportId !== undefined) return candidate.details.exportId === exportId;
  return sameTarget(request.target, candidate.target);
}

/**
 * For each pending event among `events` (any order), the earliest later event that records its result:
 * the same actor and target (an export: the same export id), an action that answers it, an outcome
 * that is not pending. A result answers one request only. Keys and values are seqs.
 */
export function pairAuditResults(events: readonly AuditEventView[]): Map<string, AuditEventView> {
  const ascending = [...events].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  const used = new Set<string>();
  const pairs = new Map<string, AuditEventView>();
  for (const request of ascending) {
    if (request.outcome !== "pending") continue;
    const result = ascending.find((candidate) => !used.has(candidate.seq) && answers(request, candidate));
    if (!result) continue;
    used.add(result.seq);
    pairs.set(request.seq, result);
  }
  return pairs;
}
