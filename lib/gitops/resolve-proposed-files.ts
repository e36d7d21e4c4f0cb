import "server-only";

import type { Principal } from "@/lib/auth/principal";
import type { GitopsRepository } from "@/lib/validations/gitops";
import type { ProposeSealedSecretInput } from "@/lib/validations/proposal";

import type { ProposedFile } from "./build-changes";
import { chooseProposalPath } from "./choose-proposal-path";
import { locateProposalFile } from "./locate-proposal-file";
import type { GitProvider } from "./provider";
import { readAdoptableManifest } from "./read-adoptable-manifest";

export type ResolvedFiles = { files: ProposedFile[]; adopted: string[] };

/**
 * Where each sealed manifest of a proposal is written. Located even when the form sends a path: only
 * the server's own answer for this cluster (or its templates) may be written to, never a path the
 * request made up. With `adopt`, a cluster whose SealedSecret is in no file gets its live manifest
 * (metadata and ciphertext) read from the cluster as the file's starting point.
 */
export async function resolveProposedFiles(
  provider: GitProvider,
  repository: GitopsRepository,
  input: Pick<ProposeSealedSecretInput, "namespace" | "name" | "files" | "adopt">,
  principal: Principal,
): Promise<ResolvedFiles> {
  const files: ProposedFile[] = [];
  const adopted: string[] = [];
  for (const file of input.files) {
    const secret = { cluster: file.cluster, namespace: input.namespace, name: input.name };
    const located = await locateProposalFile(provider, repository, secret);
    const path = chooseProposalPath(located, file.path, secret);
    const proposed: ProposedFile = { cluster: file.cluster, path, manifest: file.manifest };
    if (input.adopt && located.target === null) {
      proposed.adopted = await readAdoptableManifest(principal, secret);
      adopted.push(file.cluster);
    }
    files.push(proposed);
  }
  return { files, adopted };
}
