"use server";

import { headers } from "next/headers";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { getEnv } from "@/lib/config/env";
import { proposeSealedSecretInputSchema } from "@/lib/validations/proposal";

import { authorizeEachCluster } from "../authorize-each-cluster";
import { proposeSealedSecret as propose } from "../propose-sealed-secret";

/** The dashboard's public origin: NEXTAUTH_URL when set, else the origin the request came from. */
async function dashboardOrigin(): Promise<string | null> {
  const configured = getEnv().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const origin = (await headers()).get("origin");
  return origin && origin !== "null" ? origin : null;
}

// Server action – propose sealed manifests as a pull request (audited first; every cluster authorized).
export const proposeSealedSecret = authorizedAction({
  permission: "secret:propose",
  input: proposeSealedSecretInputSchema,
  resource: (input) => ({ cluster: input.files[0]?.cluster ?? "", namespace: input.namespace }),
  async run(input, { principal }) {
    authorizeEachCluster(
      principal,
      "secret:propose",
      input.files.map((f) => ({ cluster: f.cluster, namespace: input.namespace })),
    );
    return propose(input, { principal, origin: await dashboardOrigin() });
  },
});
