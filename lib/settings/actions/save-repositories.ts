"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { gitHostField, gitHostProblem } from "@/lib/validations/git-hosts";
import type { GitopsRepository } from "@/lib/validations/gitops";
import { saveSetting } from "../write-setting";
import { repositoriesSettingSchema, settingDefinitions } from "../setting-keys";
import { diffById } from "../summarize-changes";

// Server action – replace the Git repositories Sealdeck proposes to, or (null) go back to the local default.
export const saveRepositories = authorizedAction({
  permission: settingDefinitions.repositories.permission,
  input: z.object({ repositories: repositoriesSettingSchema.nullable() }),
  async run({ repositories }, { principal }) {
    // The operator's host allow-list lives in the server's environment, so the form cannot check it alone.
    const allowed = getEnv().SEALDECK_GIT_ALLOWED_HOSTS;
    for (const repository of repositories ?? []) {
      const problem = gitHostProblem(repository, allowed);
      if (problem)
        throw new AppError(
          "unprocessable",
          `Not saved: repository ${repository.id} (${gitHostField(repository)}) ${problem}.`,
        );
    }
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
