import { z } from "zod";

// The Changes page's read model: the pull requests Sealdeck opened (names, keys and states only).

export const proposalStates = ["open", "merged", "closed"] as const;
export type ProposalState = (typeof proposalStates)[number];

export const proposalListQuerySchema = z.object({
  state: z.enum(proposalStates).optional(),
  /** One secret's proposals (its page): all three are given together. */
  cluster: z.string().min(1).max(253).optional(),
  namespace: z.string().min(1).max(63).optional(),
  name: z.string().min(1).max(253).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ProposalListQuery = z.infer<typeof proposalListQuerySchema>;

export type ProposalSummary = {
  id: string;
  repository: string;
  provider: string;
  /** PR / MR number; 0 for plain git, whose proposals are branches. */
  number: number;
  /** The pull request's web page, or null when it has none (plain git: see `branch`). */
  webUrl: string | null;
  branch: string;
  baseBranch: string;
  state: ProposalState;
  title: string;
  namespace: string;
  name: string;
  clusters: string[];
  keys: string[];
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  /** When the state was last confirmed with the Git host (poll or webhook). */
  stateCheckedAt: string | null;
  /**
   * How many secrets' proposals this pull request holds: 1 for a secret's own, more when re-seal
   * campaign owners added theirs to it (a row each; merging one merges them all).
   */
  sharedBy: number;
  /**
   * How an open plain-git proposal gets merged: "button" when it lives in a repository on the server
   * and this user may merge it there; "commands" (the git commands to run) for a remote without pull
   * requests; null otherwise (a forge's pull request is merged on the forge).
   */
  merge: { how: "button" } | { how: "commands"; remote: string; commands: string[] } | null;
};

export type ProposalListResponse = {
  proposals: ProposalSummary[];
  /** Per state, over everything the user may see (the state filter aside). */
  counts: Record<ProposalState, number>;
};

/** Merging a plain-git proposal in the local repository from the Changes page. */
export const mergeProposalInputSchema = z.object({ proposalId: z.uuid() });
export type MergeProposalInput = z.infer<typeof mergeProposalInputSchema>;

export type MergeProposalResult = { commit: string; mergedBy: string; mergedAt: string; base: string };
