import { z } from "zod";
import { secretKeySchema } from "@/lib/sealing/validate-secret";
import { secretActionInputSchema } from "./secret-action-input";

// "Fix a value" (issue #21 item 3): the shapes shared by its actions, its route and the secret page.
// Key names only, never a value.

export const valueFixStates = [
  "proposing",
  "waiting_merge",
  "waiting_apply",
  "restarting",
  "restarted",
  "failed",
  "cancelled",
] as const;
export type ValueFixState = (typeof valueFixStates)[number];

/** States a fix can still be cancelled in: nothing has been restarted yet. */
export const cancellableFixStates: readonly ValueFixState[] = ["proposing", "waiting_merge", "waiting_apply"];

/**
 * Start a fix. A SealedSecret names the keys to rotate (the rotate form follows); an ExternalSecret is
 * force-synced at once, so the user confirms the provider already holds the corrected value.
 */
export const startValueFixInputSchema = secretActionInputSchema
  .extend({
    keys: z.array(secretKeySchema).max(500).default([]),
    providerUpdated: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (input.kind === "ClusterExternalSecret")
      ctx.addIssue({ code: "custom", path: ["kind"], message: "fix a ClusterExternalSecret's children" });
    if (input.kind === "SealedSecret" && input.keys.length === 0)
      ctx.addIssue({ code: "custom", path: ["keys"], message: "choose at least one key" });
    if (input.kind === "ExternalSecret" && !input.providerUpdated)
      ctx.addIssue({
        code: "custom",
        path: ["providerUpdated"],
        message: "confirm that the provider holds the corrected value",
      });
  });
export type StartValueFixInput = z.input<typeof startValueFixInputSchema>;

export const cancelValueFixInputSchema = secretActionInputSchema.extend({ fixId: z.uuid() });
export type CancelValueFixInput = z.infer<typeof cancelValueFixInputSchema>;

/** A fix as the secret page shows it. */
export type ValueFixView = {
  id: string;
  kind: "SealedSecret" | "ExternalSecret";
  keys: string[];
  state: ValueFixState;
  requestedBy: string;
  createdAt: string;
  proposedAt: string | null;
  pullRequest: { url: string; number: number; state: string } | null;
  forceSyncedAt: string | null;
  mergedAt: string | null;
  appliedAt: string | null;
  finishedAt: string | null;
  restarted: string[];
  failure: string | null;
};

export type ValueFixesResponse = { fixes: ValueFixView[] };
