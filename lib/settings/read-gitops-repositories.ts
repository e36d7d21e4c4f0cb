import "server-only";
import path from "node:path";
import { getEnv } from "@/lib/config/env";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { defaultGitopsRepository } from "@/lib/gitops/create-provider";
import { gitopsRepositorySchema, type GitopsRepository } from "@/lib/validations/gitops";
import { GITOPS_REPOSITORIES_SETTING } from "./setting-keys";

/** The settings key holding the repositories Sealdeck proposes to (an array, validated on read). */
export { GITOPS_REPOSITORIES_SETTING };

/**
 * The repositories configured in Settings, or the local default (`<data dir>/gitops`, plain git) when
 * none is. An invalid stored value is an error, not a silent fallback: proposing to the wrong place
 * would be worse than not proposing.
 */
export async function readGitopsRepositories(): Promise<GitopsRepository[]> {
  const row = await getPrismaOrThrow().setting.findUnique({ where: { key: GITOPS_REPOSITORIES_SETTING } });
  if (!row) return [defaultGitopsRepository(path.resolve(getEnv().SEALDECK_DATA_DIR))];
  const parsed = gitopsRepositorySchema.array().min(1).safeParse(row.value);
  if (parsed.success) return parsed.data;
  // E.g. a credential variable stored before the SEALDECK_GIT_ rule: refused, never used as it is.
  const issue = parsed.error.issues[0];
  throw new AppError(
    "unavailable",
    `The Git repositories stored in Settings are not valid${issue ? ` (${issue.path.join(".")}: ${issue.message})` : ""}; an administrator must fix them in Settings.`,
  );
}
