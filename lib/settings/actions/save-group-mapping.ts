"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { groupMappingEnvName } from "@/lib/auth/apply-group-mapping-from-env";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { groupMappingSchema, type GroupMapping } from "@/lib/auth/map-groups-to-access";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { saveSetting } from "../write-setting";
import { settingDefinitions } from "../setting-keys";
import { diffById } from "../summarize-changes";

const inputSchema = z.object({
  mapping: groupMappingSchema.refine(
    (rows) => new Set(rows.map((row) => row.group)).size === rows.length,
    "each group may appear once",
  ),
});

// Server action – replace the OIDC group → role and grants mapping (applies at each user's next sign-in).
export const saveGroupMapping = authorizedAction({
  permission: settingDefinitions.groupMapping.permission,
  input: inputSchema,
  async run({ mapping }, { principal }) {
    // The file is the source: an edit here would be overwritten at the next start.
    if (getEnv().SEALDECK_AUTH_GROUP_MAPPING) {
      throw new AppError(
        "conflict",
        `The group mapping is managed by ${groupMappingEnvName}: change that file and restart Sealdeck.`,
      );
    }
    await saveSetting(settingDefinitions.groupMapping, {
      value: mapping,
      principal,
      summarize: (previous, next) => ({
        ...diffById<GroupMapping[number]>(previous, next, (row) => row.group),
        groups: next?.length ?? 0,
      }),
    });
    revalidatePath("/settings");
    return { groups: mapping.length };
  },
});
