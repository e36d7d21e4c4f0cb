import "server-only";

import { AppError } from "@/lib/errors/app-error";

import { assertBranchUnmoved } from "./assert-branch-unmoved";
import { findManifestCandidates } from "./find-manifest-candidates";
import { nullIfMissing } from "./null-if-missing";
import type { GitProvider, RepoFile } from "./provider";
import { providerError, providerErrorWithoutAnswer } from "./provider-error";
import { splitReviewers } from "./split-reviewers";
import { toGitHubStylePullRequest, type GitHubStylePull } from "./to-github-style-pull-request";

export type GiteaOptions = {
  /** Gitea or Forgejo root URL; the API is under `/api/v1`. */
  baseUrl: string;
  /** `owner/name`. */
  repository: string;
  token: string;
};

const path = (value: string) => value.split("/").map(encodeURIComponent).join("/");

/**
 * Gitea and Forgejo through their REST API (`/api/v1`, the same on both) with fetch. Several files are
 * one commit (`POST /contents`), each quoting its blob sha. The API cannot force-move a branch, so an
 * open proposal is updated with a commit on top of its branch rather than rebuilt on the new base.
 */
export function createGiteaProvider(options: GiteaOptions): GitProvider {
  const root = `${options.baseUrl.replace(/\/$/, "")}/api/v1/repos/${path(options.repository)}`;

  const request = async <T>(
    operation: string,
    method: string,
    endpoint: string,
    body?: unknown,
  ): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${root}${endpoint}`, {
        method,
        headers: {
          authorization: `token ${options.token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw providerErrorWithoutAnswer({ host: "Gitea", operation, secrets: [options.token] }, error);
    }
    const text = response.status === 204 ? "" : await response.text();
    let json: unknown = undefined;
    try {
      json = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const message = (json as { message?: unknown } | undefined)?.message;
      throw providerError({
        host: "Gitea",
        operation,
        status: response.status,
        headers: Object.fromEntries(response.headers.entries()),
        upstream: typeof message === "string" ? message : "",
        secrets: [options.token],
      });
    }
    return json as T;
  };

  const getBranchHead = async (branch: string) =>
    (
      await nullIfMissing(
        request<{ commit: { id: string } }>(`read branch ${branch}`, "GET", `/branches/${path(branch)}`),
      )
    )?.commit.id ?? null;

  return {
    kind: "gitea",
    canRebuildBranch: false,
    hasPullRequests: true,
    repositoryLabel: options.repository,

    readFile: (file, ref) =>
      nullIfMissing(
        (async (): Promise<RepoFile> => {
          const data = await request<{ type: string; content?: string | null; sha: string }>(
            `read ${file}`,
            "GET",
            `/contents/${path(file)}?ref=${encodeURIComponent(ref)}`,
          );
          if (data.type !== "file") throw new AppError("not_found", `${file} is not a file.`);
          return {
            path: file,
            content: Buffer.from(data.content ?? "", "base64").toString("utf8"),
            version: data.sha,
          };
        })(),
      ),

    findManifestFiles: (input) =>
      // Code search needs Gitea's optional indexer; the tree walk works everywhere. Bounded to 5 pages.
      findManifestCandidates(input, {
        async listFiles() {
          const paths: string[] = [];
          for (let page = 1; page <= 5; page++) {
            const data = await request<{ tree: { path: string; type: string }[]; truncated: boolean }>(
              "list files",
              "GET",
              `/git/trees/${encodeURIComponent(input.ref)}?recursive=true&per_page=1000&page=${page}`,
            );
            for (const entry of data.tree) if (entry.type === "blob") paths.push(entry.path);
            if (!data.truncated) break;
          }
          return paths;
        },
      }),

    getBranchHead,

    createBranch: (branch, commit) =>
      request<unknown>(`create branch ${branch}`, "POST", "/branches", {
        new_branch_name: branch,
        old_ref_name: commit,
      }).then(() => undefined),

    async commitFiles(input) {
      if (input.parent !== input.expectedHead)
        throw new AppError(
          "unprocessable",
          "Gitea cannot move a branch onto another commit through its API.",
        );
      // No compare-and-swap on the branch itself: check its head, and let each file's sha guard the content.
      await assertBranchUnmoved("Gitea", getBranchHead, input);
      const data = await request<{ commit: { sha: string } }>(
        `commit to ${input.branch}`,
        "POST",
        "/contents",
        {
          branch: input.branch,
          message: input.message,
          ...(input.author ? { author: input.author } : {}),
          files: input.changes.map((change) => ({
            operation: change.expectedVersion ? "update" : "create",
            path: change.path,
            content: Buffer.from(change.content, "utf8").toString("base64"),
            ...(change.expectedVersion ? { sha: change.expectedVersion } : {}),
          })),
        },
      );
      return data.commit.sha;
    },

    async openPullRequest(input) {
      // Gitea takes label ids, not names.
      let labelIds: number[] = [];
      if (input.labels.length > 0) {
        const labels = await request<{ id: number; name: string }[]>(
          "read labels",
          "GET",
          "/labels?limit=50",
        );
        labelIds = input.labels.flatMap((name) => labels.filter((l) => l.name === name).map((l) => l.id));
      }
      const pull = await request<GitHubStylePull>(`open a pull request for ${input.head}`, "POST", "/pulls", {
        head: input.head,
        base: input.base,
        title: input.title,
        body: input.body,
        ...(labelIds.length > 0 ? { labels: labelIds } : {}),
      });
      if (input.reviewers.length > 0) {
        try {
          await request(
            "request reviewers",
            "POST",
            `/pulls/${pull.number}/requested_reviewers`,
            splitReviewers(input.reviewers),
          );
        } catch (error) {
          await request("close the pull request", "PATCH", `/pulls/${pull.number}`, {
            state: "closed",
          }).catch(() => undefined);
          throw error;
        }
      }
      return toGitHubStylePullRequest(pull);
    },

    async findOpenPullRequest(branch, base) {
      const pull = await nullIfMissing(
        request<GitHubStylePull>(
          `find the pull request for ${branch}`,
          "GET",
          `/pulls/${encodeURIComponent(base)}/${path(branch)}`,
        ),
      );
      return pull && pull.state === "open" ? toGitHubStylePullRequest(pull) : null;
    },

    updatePullRequest: async (ref, input) =>
      toGitHubStylePullRequest(
        await request<GitHubStylePull>(
          `update pull request #${ref.number}`,
          "PATCH",
          `/pulls/${ref.number}`,
          {
            title: input.title,
            body: input.body,
          },
        ),
      ),

    getPullRequestState: async (ref) =>
      toGitHubStylePullRequest(
        await request<GitHubStylePull>(`read pull request #${ref.number}`, "GET", `/pulls/${ref.number}`),
      ).state,

    async deleteBranch(branch) {
      await nullIfMissing(request(`delete branch ${branch}`, "DELETE", `/branches/${path(branch)}`));
    },
  };
}
