import "server-only";

import type { FileChange, GitProvider } from "../provider";

/** A plain commit of `changes` on top of `main` at `head` (no force-move), as the error cases make it. */
export function commitOnMain(provider: GitProvider, head: string, changes: FileChange[]): Promise<string> {
  return provider.commitFiles({ branch: "main", expectedHead: head, parent: head, message: "m", changes });
}
