import "server-only";
import type { Principal } from "@/lib/auth/principal";
import { filterVisibleRecords } from "@/lib/kube/filter-visible-records";
import { teamIndex } from "@/lib/rotation/compute-rotation-schedule";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import type { KeyLossIncident } from "@/lib/validations/recovery";
import type { TeamMapping } from "@/lib/validations/rotation";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { detectKeyLossIncident } from "./detect-key-loss-incident";

export type KeyLossInputs = {
  statuses: readonly ClusterStatus[];
  records: readonly SecretRecord[];
  teamMapping: TeamMapping;
  /** The signed-in viewer: only their visible SealedSecrets count. Null for the CLI (on call, all). */
  principal: Principal | null;
  cluster?: string;
  /** The keys Sealdeck has seen each cluster's controller serve (ClusterCache.seenPublicKeys). */
  seenPublicKeys?: (cluster: string) => readonly string[];
};

/** One key-loss incident per cluster that has one, in cluster order; computed from the inventory only. */
export function listKeyLossIncidents(inputs: KeyLossInputs): KeyLossIncident[] {
  const records = inputs.principal ? filterVisibleRecords(inputs.records, inputs.principal) : inputs.records;
  const teams = teamIndex(inputs.teamMapping);
  return inputs.statuses
    .filter((status) => !inputs.cluster || status.name === inputs.cluster)
    .flatMap((status) => {
      const incident = detectKeyLossIncident(
        status.name,
        status.controller,
        records,
        teams,
        inputs.seenPublicKeys?.(status.name) ?? [],
      );
      return incident ? [incident] : [];
    });
}
