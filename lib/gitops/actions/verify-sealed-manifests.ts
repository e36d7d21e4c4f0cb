"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { verifySealedManifestsInputSchema } from "@/lib/validations/proposal";

import { authorizeEachCluster } from "../authorize-each-cluster";
import { verifySealedManifests as verify } from "../verify-sealed-manifests";

// Server action – ask each cluster's controller whether it can decrypt the manifest sealed for it.
export const verifySealedManifests = authorizedAction({
  permission: "secret:seal",
  input: verifySealedManifestsInputSchema,
  resource: (input) => {
    const [first] = input.files;
    return first
      ? { cluster: first.cluster, namespace: first.manifest.metadata.namespace ?? "-" }
      : undefined;
  },
  async run(input, { principal }) {
    authorizeEachCluster(
      principal,
      "secret:seal",
      input.files.map((f) => ({ cluster: f.cluster, namespace: f.manifest.metadata.namespace ?? "-" })),
    );
    return verify(principal, input.files);
  },
});
