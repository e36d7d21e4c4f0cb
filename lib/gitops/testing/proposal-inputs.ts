import "server-only";

import { fakeSealedSecret } from "./git-fixture";

// Well-formed inputs for the proposal actions, about `sandbox/production/db` (the namespace the
// authorization matrix's first developer holds): ciphertext-shaped fake values, never a real secret.

export const PROPOSAL_TARGET = { cluster: "sandbox", namespace: "production", name: "db" } as const;

export function proposalInputFor(
  action: string,
  target: { cluster: string; namespace: string; name: string } = PROPOSAL_TARGET,
): unknown {
  const manifest = fakeSealedSecret(target.namespace, target.name, { password: "AgBfakeCiphertext==" });
  switch (action) {
    case "verifySealedManifests":
      return { files: [{ cluster: target.cluster, manifest }] };
    case "locateProposalFiles":
      return { namespace: target.namespace, name: target.name, clusters: [target.cluster] };
    case "proposeSealedSecret":
    case "previewProposal":
      return {
        action: "rotate",
        namespace: target.namespace,
        name: target.name,
        scope: "strict",
        keys: ["password"],
        files: [{ cluster: target.cluster, certificateFingerprint: "ab".repeat(32), manifest }],
      };
    default:
      throw new Error(`no proposal input for ${action}`);
  }
}
