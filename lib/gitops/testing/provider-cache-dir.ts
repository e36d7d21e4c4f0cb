import "server-only";

import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// Tests that reach the plain-git provider through the app (a remote named in the settings, no cacheDir)
// leave its clone of that remote where the provider keeps it by default: a folder under the OS temp
// dir named by the remote's hash. They remove it afterwards, and one checks that it was never made.

/** Where createPlainGitProvider clones `remote` when it is given no cacheDir. */
export function providerCacheDir(remote: string): string {
  return path.join(
    tmpdir(),
    "sealdeck-gitops",
    createHash("sha256").update(remote).digest("hex").slice(0, 16),
  );
}

/** Removes the plain-git provider's default clone of `remote`, if there is one. */
export async function removeProviderCache(remote: string): Promise<void> {
  await rm(providerCacheDir(remote), { recursive: true, force: true });
}
