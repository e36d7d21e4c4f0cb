import "server-only";
import type { AuditEventInput } from "@/lib/audit/audit-event-input";
import type { ValueFix } from "@/lib/db/generated/client";

/** The actor of the steps the background job takes on its own (linking, merge seen, applied). */
export const VALUE_FIX_ACTOR = "sealdeck:value-fix";

type FixAddress = Pick<ValueFix, "id" | "kind" | "cluster" | "namespace" | "name" | "keys">;

/**
 * One audit event of a fix: on the secret's timeline (its target), with the fix's id in `details.fixId`,
 * the correlation id shared by every step from the request to the restart.
 */
export function fixEvent(
  fix: FixAddress,
  action: string,
  outcome: AuditEventInput["outcome"],
  actor: NonNullable<AuditEventInput["actor"]>,
  details: Record<string, string | number | boolean | null | string[] | Record<string, unknown>[]> = {},
  pullRequestUrl: string | null = null,
): AuditEventInput {
  return {
    actor,
    action,
    target: {
      cluster: fix.cluster,
      namespace: fix.namespace,
      kind: fix.kind,
      name: fix.name,
      keys: fix.keys,
    },
    outcome,
    pullRequestUrl,
    details: { fixId: fix.id, ...details } as AuditEventInput["details"],
  };
}

/** `http(s)://…` only: a plain-git proposal's location is `<remote>#<branch>`, not a link. */
export const webUrl = (url: string) => (/^https?:\/\//.test(url) ? url : null);
