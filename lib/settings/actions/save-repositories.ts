"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import type { GitopsRepository } from "@/lib/validations/gitops";
import { saveSetting } from "../write-setting";
import { repositoriesSettingSchema, settingDefinitions } from "../setting-keys";
import { diffById } from "../summarize-changes";

// Server action – replace the Git repositories Sealdeck proposes to, or (null) go back to the local default.
export const saveRepositories = authorizedAction({
  permission: settingDefinitions.repositories.permission,
  input: z.object({ repositories: repositoriesSettingSchema.nullable() }),
  async run({ repositories }, { principal }) {
    await saveSetting(settingDefinitions.repositories, {
      value: repositories ?? undefined,
      principal,
      summarize: (previous, next) => ({
        ...diffById<GitopsRepository>(previous, next, (repo) => repo.id),
        count: next?.length ?? 0,
      }),
    });
    revalidatePath("/settings");
    return { count: repositories?.length ?? 0 };
  },
});
