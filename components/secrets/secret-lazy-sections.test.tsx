import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { SecretHistory, SecretPullRequests } from "./secret-lazy-sections";

// The sections whose code loads on demand each wait behind their own boundary: the rest of the secret
// page (its record) renders while their chunks are still on the way, instead of suspending with them.

describe("the secret page's on-demand sections", () => {
  it("render their loading state beside the record while their code is not loaded yet", () => {
    const html = renderToString(
      <QueryClientProvider client={new QueryClient()}>
        <p>the record</p>
        <SecretPullRequests cluster="prod" namespace="payments" name="db" />
        <SecretHistory cluster="prod" namespace="payments" kind="SealedSecret" name="db" />
      </QueryClientProvider>,
    );
    expect(html).toContain("the record");
    expect(html).toContain("Loading pull requests…");
    expect(html).toContain("Loading the history…");
  });
});
