"use server";

import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { canSeeRecord } from "@/lib/kube/filter-visible-records";
import { locateProposalFilesInputSchema, type LocateProposalFilesResult } from "@/lib/validations/proposal";

import { authorizeEachCluster } from "../authorize-each-cluster";
import { createProvider } from "../create-provider";
import { findCampaignPullRequest } from "../find-campaign-pull-request";
import { locateProposalFile } from "../locate-proposal-file";
import { selectRepository } from "../select-repository";

// Server action – where each cluster's SealedSecret would be written, shown before proposing.
export const locateProposalFiles = authorizedAction({
  permission: "secret:propose",
  input: locateProposalFilesInputSchema,
  resource: (input) => ({ cluster: input.clusters[0] ?? "", namespace: input.namespace }),
  async run(input, { principal }): Promise<LocateProposalFilesResult> {
    const clusters = [...new Set(input.clusters)];
    authorizeEachCluster(
      principal,
      "secret:propose",
      clusters.map((cluster) => ({ cluster, namespace: input.namespace })),
    );
    const repository = await selectRepository(input.repository);
    const provider = createProvider(repository);
    const files: LocateProposalFilesResult["files"] = [];
    for (const cluster of clusters) {
      const located = await locateProposalFile(provider, repository, {
        cluster,
        namespace: input.namespace,
        name: input.name,
      });
      files.push({
        cluster,
        path: located.path,
        via: located.via,
        exists: located.file !== null,
        found: located.target !== null,
      });
    }
    if (!input.campaign) return { repository: repository.id, files };
    const campaignPullRequest = await findCampaignPullRequest(
      getPrismaOrThrow(),
      {
        campaignId: input.campaign,
        repository: repository.id,
        namespace: input.namespace,
        name: input.name,
        clusters,
      },
      (cluster, namespace) => canSeeRecord(principal, cluster, namespace),
    );
    return { repository: repository.id, files, campaignPullRequest };
  },
});
