import "server-only";

import type { ProposeChangeInput } from "../propose-change";
import type { GitProvider } from "../provider";
import { fakeSealedSecret } from "./git-fixture";

// The rotation every provider contract test proposes: keys of `payments/db-credentials` in its prod
// manifest, requested by Dana. One definition so the GitHub call count, the forge contract tests and the
// plain-git tests all exercise the same change.

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

/** `proposeChange` input rotating `keys` (name → fake ciphertext) in ROTATION_FILE on `main`. */
export function rotationProposal(
  provider: GitProvider,
  keys: Record<string, string>,
  options: { labels?: readonly string[]; reviewers?: readonly string[]; login?: string } = {},
): ProposeChangeInput {
  return {
    provider,
    repository: {
      baseBranch: "main",
      branchPrefix: "sealdeck",
      labels: options.labels ?? [],
      reviewers: options.reviewers ?? [],
    },
    change: {
      secret: { namespace: "payments", name: "db-credentials" },
      action: "rotate",
      keys: Object.keys(keys),
      clusters: ["prod"],
      scope: "strict",
      certificates: [{ cluster: "prod", fingerprint: "cd".repeat(32) }],
      requestedBy: {
        name: "Dana Developer",
        email: "dana@example.test",
        ...(options.login ? { login: options.login } : {}),
      },
    },
    files: [
      {
        cluster: "prod",
        path: ROTATION_FILE,
        manifest: fakeSealedSecret("payments", "db-credentials", keys),
      },
    ],
  };
}
