import "server-only";

import { createGitHubProvider } from "../github-provider";
import { proposeChange, type ProposeChangeResult } from "../propose-change";
import { GITHUB_REPOSITORY, startGitHubDouble, type GitHubDouble } from "./github-double";
import type { RecordedRequest } from "./http-double";
import { ROTATION_FILE, ROTATION_MANIFEST, rotationProposal } from "./rotation-proposal";

// How many GitHub API calls one rotation pull request costs (issue target: at most 6). Shared by the
// contract test and bench/, which runs it against repositories of 10 and 10,000 files.

// The fixture lives in rotation-proposal.ts; bench/ imports it from here.
export { ROTATION_FILE, ROTATION_MANIFEST };

export type RotationMeasurement = {
  calls: number;
  requests: RecordedRequest[];
  result: ProposeChangeResult;
  double: GitHubDouble;
};

/** Opens one rotation PR (one key, labels configured) against a fresh double; the caller closes it. */
export async function measureGitHubRotation(
  options: { extraFiles?: number; labels?: string[]; reviewers?: string[] } = {},
): Promise<RotationMeasurement> {
  const files: Record<string, string> = { [ROTATION_FILE]: ROTATION_MANIFEST };
  for (let i = 0; i < (options.extraFiles ?? 0); i++) files[`apps/app-${i}/config.yaml`] = `index: ${i}\n`;
  const double = await startGitHubDouble(files);
  const provider = createGitHubProvider({
    baseUrl: double.url,
    repository: GITHUB_REPOSITORY,
    credentials: { type: "token", token: double.token },
  });
  const before = double.apiCalls().length;
  const result = await proposeChange(
    rotationProposal(
      provider,
      { password: "AgNEWPASSWORD==" },
      { labels: options.labels ?? ["sealed-secrets"], reviewers: options.reviewers ?? [], login: "dana" },
    ),
  );
  const requests = double.apiCalls().slice(before);
  return { calls: requests.length, requests, result, double };
}
