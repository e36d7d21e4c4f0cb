import "server-only";

import { Gitlab } from "@gitbeaker/rest";

import { AppError } from "@/lib/errors/app-error";

import { assertBranchUnmoved } from "./assert-branch-unmoved";
import { findManifestCandidates } from "./find-manifest-candidates";
import { createGitLabRequester, GitLabHttpError } from "./gitlab-requester";
import { nullIfMissing } from "./null-if-missing";
import type { GitProvider, PullRequest, RepoFile } from "./provider";
import { providerError, providerErrorWithoutAnswer } from "./provider-error";

export type GitLabOptions = {
  /** `https://gitlab.com` or a self-managed instance's root URL. */
  baseUrl: string;
  /** `group/…/project`. */
  repository: string;
  token: string;
};

type MergeRequestData = {
  iid: number;
  web_url: string;
  state: string;
  title: string;
  description?: string | null;
  source_branch: string;
  target_branch: string;
  sha?: string | null;
};

function toPullRequest(data: MergeRequestData): PullRequest {
  return {
    number: data.iid,
    url: data.web_url,
    state: data.state === "opened" ? "open" : data.state === "merged" ? "merged" : "closed",
    headBranch: data.source_branch,
    headSha: data.sha ?? "",
    baseBranch: data.target_branch,
    title: data.title,
    body: data.description ?? "",
  };
}

/**
 * GitLab merge requests through gitbeaker. A commit of several files is one call (the commits API with
 * actions), each action quoting the file's last commit id so GitLab refuses an edit made in between,
 * and the branch head checked right before; rebuilding a proposal on a newer base uses the same call
 * with `start_sha` and `force`.
 */
export function createGitLabProvider(options: GitLabOptions): GitProvider {
  const api = new Gitlab({
    host: options.baseUrl,
    token: options.token,
    requesterFn: createGitLabRequester(),
  });
  const project = options.repository;

  const call = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof GitLabHttpError)
        throw providerError({
          host: "GitLab",
          operation,
          status: error.status,
          headers: error.headers,
          upstream: error.description,
          secrets: [options.token],
        });
      throw providerErrorWithoutAnswer({ host: "GitLab", operation, secrets: [options.token] }, error);
    }
  };

  const getBranchHead = (branch: string) =>
    nullIfMissing(
      call(
        `read branch ${branch}`,
        async () => (await api.Branches.show(project, branch)).commit.id as string,
      ),
    );

  return {
    kind: "gitlab",
    canRebuildBranch: true,
    hasPullRequests: true,
    repositoryLabel: options.repository,

    readFile: (path, ref) =>
      nullIfMissing(
        call(`read ${path}`, async (): Promise<RepoFile> => {
          const file = await api.RepositoryFiles.show(project, path, ref);
          return {
            path,
            content: Buffer.from(file.content, "base64").toString("utf8"),
            version: file.last_commit_id,
          };
        }),
      ),

    findManifestFiles: (input) =>
      findManifestCandidates(input, {
        search: () =>
          call("search code", async () => {
            // Searches the default branch (gitbeaker does not pass `ref`); candidates are re-read at `ref`.
            const blobs = (await api.Search.all("blobs", input.name, { projectId: project })) as {
              path?: string;
            }[];
            return blobs.flatMap((blob) => (blob.path ? [blob.path] : []));
          }),
        listFiles: () =>
          call("list files", async () => {
            const entries = await api.Repositories.allRepositoryTrees(project, {
              ref: input.ref,
              recursive: true,
              ...(input.under ? { path: input.under } : {}),
              perPage: 100,
              maxPages: 20,
            });
            return entries.flatMap((entry) => (entry.type === "blob" ? [entry.path] : []));
          }),
      }),

    getBranchHead,

    createBranch: (branch, commit) =>
      call(`create branch ${branch}`, async () => {
        await api.Branches.create(project, branch, commit);
      }),

    async commitFiles(input) {
      const force = input.parent !== input.expectedHead;
      // GitLab cannot compare-and-swap a branch move, forced or not: a commit lands on whatever the head
      // is by then, and last_commit_id guards only the files it edits. Check the head right before, so a
      // commit pushed in between (another owner adding to a campaign's merge request) is not built on.
      await assertBranchUnmoved("GitLab", getBranchHead, input);
      return call(`commit to ${input.branch}`, async () => {
        const commit = await api.Commits.create(
          project,
          input.branch,
          input.message,
          input.changes.map((change) => ({
            action: change.expectedVersion ? ("update" as const) : ("create" as const),
            filePath: change.path,
            content: change.content,
            ...(change.expectedVersion ? { lastCommitId: change.expectedVersion } : {}),
          })),
          {
            ...(force ? { startSha: input.parent, force: true } : {}),
            ...(input.author ? { authorName: input.author.name, authorEmail: input.author.email } : {}),
          },
        );
        return commit.id;
      });
    },

    async openPullRequest(input) {
      const reviewerIds = await call("find reviewers", async () => {
        const ids: number[] = [];
        for (const username of input.reviewers) {
          const [user] = (await api.Users.all({ username })) as { id: number }[];
          if (!user)
            throw new AppError("unprocessable", `GitLab has no user ${username} to request a review from.`);
          ids.push(user.id);
        }
        return ids;
      });
      const created = await call(`open a merge request for ${input.head}`, () =>
        api.MergeRequests.create(project, input.head, input.base, input.title, {
          description: input.body,
          removeSourceBranch: true,
          ...(input.labels.length > 0 ? { labels: input.labels.join(",") } : {}),
          ...(reviewerIds.length > 0 ? { reviewerIds } : {}),
        }),
      );
      return toPullRequest(created as MergeRequestData);
    },

    findOpenPullRequest: (branch, base) =>
      call(`find the merge request for ${branch}`, async () => {
        const found = (await api.MergeRequests.all({
          projectId: project,
          sourceBranch: branch,
          targetBranch: base,
          state: "opened",
          perPage: 1,
          maxPages: 1,
        })) as MergeRequestData[];
        return found[0] ? toPullRequest(found[0]) : null;
      }),

    updatePullRequest: (ref, input) =>
      call(`update merge request !${ref.number}`, async () =>
        toPullRequest(
          (await api.MergeRequests.edit(project, ref.number, {
            title: input.title,
            description: input.body,
          })) as MergeRequestData,
        ),
      ),

    getPullRequestState: (ref) =>
      call(
        `read merge request !${ref.number}`,
        async () =>
          toPullRequest((await api.MergeRequests.show(project, ref.number)) as MergeRequestData).state,
      ),

    async deleteBranch(branch) {
      await nullIfMissing(call(`delete branch ${branch}`, () => api.Branches.remove(project, branch)));
    },
  };
}
