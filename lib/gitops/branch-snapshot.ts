import "server-only";

import type { BranchSnapshot, GitProvider } from "./provider";

/**
 * The base branch's head and the files a proposal will edit, read together where the host allows it
 * (one GraphQL query on GitHub instead of a ref read plus one read per file). Null: no such branch.
 */
export async function readBranchSnapshot(
  provider: GitProvider,
  branch: string,
  paths: readonly string[],
): Promise<BranchSnapshot | null> {
  if (provider.readBranchFiles) return provider.readBranchFiles(branch, paths);
  const head = await provider.getBranchHead(branch);
  // The files are read lazily through the provider: reading them here would cost the same calls.
  return head ? { head, files: new Map() } : null;
}

/** The provider, answering reads of the snapshot's files at its head from the snapshot. */
export function withSnapshot(provider: GitProvider, snapshot: BranchSnapshot): GitProvider {
  return {
    ...provider,
    readFile: (path, ref) => {
      const known = ref === snapshot.head ? snapshot.files.get(path) : undefined;
      return known === undefined ? provider.readFile(path, ref) : Promise.resolve(known);
    },
  };
}
