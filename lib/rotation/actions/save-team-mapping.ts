"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { diffById } from "@/lib/settings/summarize-changes";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import { saveSetting } from "@/lib/settings/write-setting";
import { type TeamMapping, teamMappingSchema } from "@/lib/validations/rotation";
import { invalidateRotationSchedule } from "../get-rotation-schedule";

const entryId = (entry: TeamMapping[number]) => `${entry.cluster ?? "*"}/${entry.namespace}`;

const inputSchema = z.object({
  mapping: teamMappingSchema.refine(
    (rows) => new Set(rows.map(entryId)).size === rows.length,
    "each namespace may appear once per cluster",
  ),
});

// Server action – replace the namespace → owning team mapping (setting rotation.team-mapping); audited first.
export const saveTeamMapping = authorizedAction({
  permission: settingDefinitions.teamMapping.permission,
  input: inputSchema,
  async run({ mapping }, { principal }) {
    await saveSetting(settingDefinitions.teamMapping, {
      value: mapping,
      principal,
      summarize: (previous, next) => ({
        ...diffById<TeamMapping[number]>(previous, next, entryId),
        entries: next?.length ?? 0,
      }),
    });
    invalidateRotationSchedule();
    revalidatePath("/rotations");
    revalidatePath("/settings");
    return { entries: mapping.length };
  },
});
