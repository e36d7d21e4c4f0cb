import "server-only";
import type { PrismaClient } from "@/lib/db/generated/client";
import { readSetting } from "@/lib/settings/read-setting";
import { clusterSettingOf } from "@/lib/settings/read-cluster-settings";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { computeRotationSchedule, type RotationSchedule } from "./compute-rotation-schedule";
import { type GitKeyChangeEvidence, indexEvidence } from "./index-rotation-evidence";
import { listRotationPolicies } from "./list-rotation-policies";
import { loadRotationEvidence } from "./load-rotation-evidence";
import { sortedEntries } from "./query-rotation-schedule";
import { indexPolicies } from "./resolve-policy";

// Everything the schedule is computed from, read from the database in one go, then the schedule
// itself. Shared by the routes (through the cache in get-rotation-schedule.ts) and the CLI, so the
// page, the report and `sealdeck rotations` cannot disagree.

export type ScheduleDb = Pick<
  PrismaClient,
  "rotationPolicy" | "rotationWaiver" | "setting" | "$queryRawUnsafe"
>;

export type BuildRotationScheduleOptions = {
  db: ScheduleDb;
  records: readonly SecretRecord[];
  readGitChanges: () => Promise<readonly GitKeyChangeEvidence[]>;
  now?: Date;
};

export async function buildRotationSchedule(
  options: BuildRotationScheduleOptions,
): Promise<RotationSchedule> {
  const { db } = options;
  const [list, teamMapping, clusters, evidence] = await Promise.all([
    listRotationPolicies(db),
    readSetting(settingDefinitions.teamMapping, db),
    readSetting(settingDefinitions.clusters, db),
    loadRotationEvidence(db, options.readGitChanges),
  ]);
  // The clock is read after the reads, so nothing loaded is "in the future" of the schedule.
  const now = options.now ?? new Date();
  const clusterSettings = clusters.value ?? {};
  const schedule = computeRotationSchedule({
    records: options.records,
    policies: indexPolicies(list.policies),
    waivers: list.waivers,
    teamMapping: teamMapping.value ?? [],
    environmentOf: (cluster) => clusterSettingOf(clusterSettings, cluster).environment,
    evidence: indexEvidence(evidence),
    now,
  });
  // The page's default order, sorted now rather than by the first request after each rebuild.
  sortedEntries(schedule, "status", "asc");
  return schedule;
}
