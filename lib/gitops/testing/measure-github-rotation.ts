import "server-only";

import { createGitHubProvider } from "../github-provider";
import { proposeChange, type ProposeChangeResult } from "../propose-change";
import { fakeSealedSecret } from "./git-fixture";
import { GITHUB_REPOSITORY, startGitHubDouble, type GitHubDouble } from "./github-double";
import type { RecordedRequest } from "./http-double";

// How many GitHub API calls one rotation pull request costs (issue target: at most 6). Shared by the
// contract test and, later, by bench/ which runs it against repositories of 10 and 10,000 files.

export const ROTATION_FILE = "clusters/prod/payments/db-credentials.yaml";

export const ROTATION_MANIFEST = `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: db-credentials
  namespace: payments
spec:
  encryptedData:
    password: AgOLDPASSWORD==
    username: AgOLDUSERNAME==
  template:
    metadata:
      name: db-credentials
      namespace: payments
`;

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
  const result = await proposeChange({
    provider,
    repository: {
      baseBranch: "main",
      branchPrefix: "sealdeck",
      labels: options.labels ?? ["sealed-secrets"],
      reviewers: options.reviewers ?? [],
    },
    change: {
      secret: { namespace: "payments", name: "db-credentials" },
      action: "rotate",
      keys: ["password"],
      clusters: ["prod"],
      scope: "strict",
      certificates: [{ cluster: "prod", fingerprint: "cd".repeat(32) }],
      requestedBy: { name: "Dana Developer", email: "dana@example.test", login: "dana" },
    },
    files: [
      {
        cluster: "prod",
        path: ROTATION_FILE,
        manifest: fakeSealedSecret("payments", "db-credentials", { password: "AgNEWPASSWORD==" }),
      },
    ],
  });
  const requests = double.apiCalls().slice(before);
  return { calls: requests.length, requests, result, double };
}
