import "server-only";

import { expect } from "vitest";

import { AppError } from "@/lib/errors/app-error";

/**
 * When the host refuses a step after the pull request was opened (labels, reviewers), the proposal fails
 * with an AppError, the pull request is closed and the branch deleted: no half-made pull request is left.
 * For the GitHub-shaped doubles (GitHub, Gitea), which keep their pull requests in `pulls`.
 */
export async function expectNoHalfMadePullRequest(
  double: { pulls: readonly { state: string }[]; repo: { branches: ReadonlyMap<string, string> } },
  proposal: Promise<unknown>,
) {
  await expect(proposal).rejects.toBeInstanceOf(AppError);
  expect(double.pulls.map((p) => p.state)).toEqual(["closed"]);
  expect([...double.repo.branches.keys()]).toEqual(["main"]);
}
