import "server-only";

import { providerError } from "./provider-error";

/**
 * Refuses (conflict) when `branch` no longer points at `expectedHead`. For the writes a host cannot make
 * compare-and-swap (a forced branch move on GitHub and GitLab, any commit on Gitea): the head is checked
 * right before the write, which narrows the race to the one request.
 */
export async function assertBranchUnmoved(
  host: string,
  getBranchHead: (branch: string) => Promise<string | null>,
  input: { branch: string; expectedHead: string },
): Promise<void> {
  const current = await getBranchHead(input.branch);
  if (current !== input.expectedHead)
    throw providerError({
      host,
      operation: `update ${input.branch}`,
      status: 409,
      upstream: "branch moved",
    });
}
