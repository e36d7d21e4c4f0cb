import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { readGitopsRepositories } from "@/lib/settings/read-gitops-repositories";
import type { GitopsRepository } from "@/lib/validations/gitops";

/** The repository a proposal goes to: the one named, else the first configured (or the local default). */
export async function selectRepository(id: string | undefined): Promise<GitopsRepository> {
  const repositories = await readGitopsRepositories();
  const repository = id === undefined ? repositories[0] : repositories.find((r) => r.id === id);
  if (!repository)
    throw new AppError(
      "not_found",
      `No repository "${id}" is configured; Settings lists ${repositories.map((r) => r.id).join(", ")}.`,
    );
  return repository;
}

/**
 * The URLs a repository is known by, as an Argo CD Application's `repoURL` would name it (compared after
 * normalizeRepoUrl, so protocol, credentials and `.git` do not matter).
 */
export function repositoryUrls(repository: GitopsRepository): string[] {
  switch (repository.provider) {
    case "plain-git":
      return /^[a-z+]+:\/\//i.test(repository.remote) || /^[^/]+@[^/]+:/.test(repository.remote)
        ? [repository.remote]
        : [repository.remote, `file://${repository.remote}`];
    case "github": {
      const api = new URL(repository.baseUrl);
      // api.github.com serves github.com; GitHub Enterprise Server serves its API under /api/v3.
      const host = api.hostname === "api.github.com" ? "github.com" : api.host;
      return [`https://${host}/${repository.repository}`];
    }
    case "gitlab":
    case "gitea": {
      const root = repository.baseUrl.replace(/\/+$/, "");
      return [`${root}/${repository.repository}`];
    }
  }
}
