"use server";

import { headers } from "next/headers";

import { requestClient } from "@/lib/audit/request-client";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { mergeProposalInputSchema } from "@/lib/validations/proposal-list";

import { mergeProposal as merge } from "../merge-proposal";

// Server action – merge a plain-git proposal in the server's own repository (audited first).
export const mergeProposal = authorizedAction({
  permission: "proposal:merge",
  input: mergeProposalInputSchema,
  async run(input, { principal }) {
    return merge(input.proposalId, { principal, client: requestClient(await headers()) });
  },
});
