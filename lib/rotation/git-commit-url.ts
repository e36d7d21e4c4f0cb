import "server-only";

import { repositoryUrls } from "@/lib/gitops/select-repository";
import type { GitopsRepository } from "@/lib/validations/gitops";

/** The web page of a commit on a hosted provider; null for plain git (no web UI is known). */
export function gitCommitUrl(repository: GitopsRepository, commit: string): string | null {
  if (repository.provider === "plain-git") return null;
  const [web] = repositoryUrls(repository);
  if (!web) return null;
  return repository.provider === "gitlab" ? `${web}/-/commit/${commit}` : `${web}/commit/${commit}`;
}
