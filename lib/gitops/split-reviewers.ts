import "server-only";

/**
 * The `requested_reviewers` body GitHub and Gitea both take: `org/team` entries become team slugs,
 * the rest user logins.
 */
export function splitReviewers(reviewers: readonly string[]): {
  reviewers: string[];
  team_reviewers: string[];
} {
  return {
    reviewers: reviewers.filter((r) => !r.includes("/")),
    team_reviewers: reviewers.filter((r) => r.includes("/")).map((r) => r.split("/").pop() ?? r),
  };
}
