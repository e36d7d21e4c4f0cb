import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ProposalSummary } from "@/lib/validations/proposal-list";
import { MergeProposalControl } from "./merge-proposal-control";

const proposal: ProposalSummary = {
  id: "6f1d2c3b-0000-4000-8000-000000000001",
  repository: "local",
  provider: "plain-git",
  number: 0,
  webUrl: null,
  branch: "sealdeck/development/api-keys",
  baseBranch: "main",
  state: "open",
  title: "Rotate sealed secret development/api-keys (MAPS_API_KEY) on sandbox",
  namespace: "development",
  name: "api-keys",
  clusters: ["sandbox"],
  keys: ["MAPS_API_KEY"],
  requestedBy: "Dana Developer",
  createdAt: "2026-12-06T08:26:57.000Z",
  updatedAt: "2026-12-06T08:26:57.000Z",
  stateCheckedAt: null,
  sharedBy: 1,
  merge: null,
};

const render = (p: ProposalSummary) =>
  renderToString(
    <QueryClientProvider client={new QueryClient()}>
      <MergeProposalControl proposal={p} onMerged={() => undefined} />
    </QueryClientProvider>,
  ).replaceAll("<!-- -->", "");

describe("MergeProposalControl", () => {
  it("tells a user who may not merge an open plain-git branch who moves it on", () => {
    const html = render(proposal);
    expect(html).toContain("Waiting for someone allowed to merge into main: they merge it here.");
    expect(html).not.toContain("<button");
  });

  it("offers Merge to a user who may, and says nothing once the branch is merged or has a web page", () => {
    expect(render({ ...proposal, merge: { how: "button" } })).toContain("Merge into main");
    expect(render({ ...proposal, state: "merged" })).toBe("");
    expect(render({ ...proposal, provider: "github", webUrl: "https://github.com/o/r/pull/7" })).toBe("");
  });
});
