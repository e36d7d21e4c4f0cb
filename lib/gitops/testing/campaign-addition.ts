import "server-only";

import type { AddToPullRequestInput } from "../add-to-pull-request";
import type { GitProvider } from "../provider";
import { fakeSealedSecret } from "./git-fixture";
import { ROTATION_FILE, ROTATION_MANIFEST, rotationProposal } from "./rotation-proposal";

// A second re-seal campaign secret, `payments/api-keys`, added to the pull request the rotation of
// `payments/db-credentials` opened (rotation-proposal.ts): the add every forge contract test makes.

export const CAMPAIGN_FILE = "clusters/prod/payments/api-keys.yaml";

/** The repository both secrets live in, each in its own file. */
export const CAMPAIGN_FILES = {
  [ROTATION_FILE]: ROTATION_MANIFEST,
  [CAMPAIGN_FILE]: ROTATION_MANIFEST.replaceAll("db-credentials", "api-keys"),
};

/** `addToPullRequest` input: `token` (a fake ciphertext) of `payments/api-keys` onto `branch`. */
export function campaignAddition(
  provider: GitProvider,
  branch: string,
  token: string,
  maxAttempts?: number,
): AddToPullRequestInput {
  const { change } = rotationProposal(provider, { token });
  return {
    provider,
    repository: { baseBranch: "main" },
    branch,
    change: { ...change, secret: { namespace: "payments", name: "api-keys" } },
    files: [
      { cluster: "prod", path: CAMPAIGN_FILE, manifest: fakeSealedSecret("payments", "api-keys", { token }) },
    ],
    ...(maxAttempts ? { maxAttempts } : {}),
  };
}

/**
 * `provider`, with someone else's commit pushed (by `push`, returning its id) right before its first
 * commit, after it read the branch: the race an add must lose rather than build on.
 */
export function pushingBeforeCommit(provider: GitProvider, push: () => string) {
  let pushed = "";
  const racing: GitProvider = {
    ...provider,
    async commitFiles(input) {
      pushed ||= push();
      return provider.commitFiles(input);
    },
  };
  return { provider: racing, pushed: () => pushed };
}
