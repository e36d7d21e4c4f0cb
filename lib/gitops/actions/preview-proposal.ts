"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { previewProposalInputSchema } from "@/lib/validations/proposal";

import { authorizeEachCluster } from "../authorize-each-cluster";
import { previewProposal as preview } from "../preview-proposal";

// Server action – what a proposal would commit (each file before and after), shown before committing.
export const previewProposal = authorizedAction({
  permission: "secret:propose",
  input: previewProposalInputSchema,
  resource: (input) => ({ cluster: input.files[0]?.cluster ?? "", namespace: input.namespace }),
  async run(input, { principal }) {
    authorizeEachCluster(
      principal,
      "secret:propose",
      input.files.map((f) => ({ cluster: f.cluster, namespace: input.namespace })),
    );
    return preview(input, { principal });
  },
});
