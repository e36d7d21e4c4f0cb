import "server-only";

/**
 * A pull request as the GitHub-shaped doubles (GitHub, and Gitea, whose `/api/v1` copies GitHub's pulls)
 * keep it between requests. Labels are names on GitHub and ids on Gitea.
 */
export type StoredPull<Label extends string | number> = {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: "open" | "closed";
  merged: boolean;
  labels: Label[];
  reviewers: string[];
};
