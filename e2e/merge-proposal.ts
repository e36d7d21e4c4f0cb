import { git } from "./seal-propose-support";

/**
 * Merges a proposal's branch into `main` of the e2e server's local GitOps repository, the way the
 * README tells plain-git users to (`git merge --no-ff <branch>` in `.data/gitops`); the sandbox then
 * applies `main`. One helper for every journey, so it can become a click on a "Merge" button later.
 * Specs in other workers and the app's Merge button merge into the same work tree: a merge that meets
 * their index lock, or the files of their merge still being written, is retried once they are done.
 */
export async function mergeProposal(branch: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      git("merge", "--no-ff", "--quiet", "-m", `Merge ${branch}`, branch);
      return;
    } catch (error) {
      if (attempt >= 20 || !/index\.lock|would be overwritten by merge/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
