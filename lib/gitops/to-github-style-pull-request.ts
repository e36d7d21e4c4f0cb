import "server-only";

import type { PullRequest } from "./provider";

/** A pull request as GitHub's REST API sends it; Gitea and Forgejo copy this shape in `/api/v1`. */
export type GitHubStylePull = {
  number: number;
  html_url: string;
  state: string;
  /** GitHub's list endpoints send only `merged_at`; single reads and Gitea send `merged`. */
  merged_at?: string | null;
  merged?: boolean;
  title: string;
  body?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
};

/** Both hosts say `closed` for a merged pull request too; `merged` / `merged_at` tell the two apart. */
export function toGitHubStylePullRequest(data: GitHubStylePull): PullRequest {
  return {
    number: data.number,
    url: data.html_url,
    state: data.state === "open" ? "open" : data.merged || data.merged_at ? "merged" : "closed",
    headBranch: data.head.ref,
    headSha: data.head.sha,
    baseBranch: data.base.ref,
    title: data.title,
    body: data.body ?? "",
  };
}
