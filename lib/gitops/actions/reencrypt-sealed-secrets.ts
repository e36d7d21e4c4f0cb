"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { getEnv } from "@/lib/config/env";
import { reencryptSealedSecretsInputSchema } from "@/lib/validations/reencryption";

import { authorizeEachCluster } from "../authorize-each-cluster";
import { reencryptSealedSecrets as reencrypt } from "../reencrypt-sealed-secrets";

// Server action – re-encrypt SealedSecrets with the controller's newest key, one pull request per repository.
// secret:rotate in EVERY namespace touched: re-encryption rewrites those secrets' ciphertext, as a rotation does.
export const reencryptSealedSecrets = authorizedAction({
  permission: "secret:rotate",
  input: reencryptSealedSecretsInputSchema,
  resource: (input) => ({ cluster: input.cluster, namespace: input.secrets[0]?.namespace ?? "" }),
  async run(input, { principal }) {
    authorizeEachCluster(
      principal,
      "secret:rotate",
      input.secrets.map((s) => ({ cluster: input.cluster, namespace: s.namespace })),
    );
    const configured = getEnv().NEXTAUTH_URL;
    return reencrypt(input, { principal, origin: configured ? new URL(configured).origin : null });
  },
});
