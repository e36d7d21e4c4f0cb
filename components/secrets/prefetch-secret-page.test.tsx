import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SecretHistory } from "@/components/audit/secret-history";
import { SecretPullRequests } from "@/components/changes/secret-pull-requests";
import type { AuditEventView } from "@/lib/validations/audit-query";
import { prefetchSecretPage } from "./prefetch-secret-page";

// The reads started at the click must land under the keys the page's own sections read: rendered
// from that cache (no network after the prefetch), each section shows its data, not its loading line.

const rotated: AuditEventView = {
  seq: "41",
  time: "2026-12-06T01:00:00.000Z",
  actor: { userId: "u1", name: "dana", role: "developer", ip: null, userAgent: null },
  action: "secret.force-sync",
  target: { cluster: "prod", namespace: "payments", kind: "SealedSecret", name: "db", keys: [] },
  outcome: "success",
  details: {},
  pullRequestUrl: null,
  requestId: null,
  prevHash: "0".repeat(64),
  hash: "1".repeat(64),
};

const bodies: Record<string, unknown> = {
  "/api/secrets/prod/payments/SealedSecret/db/events": { events: [], eventsError: null },
  "/api/secrets/prod/payments/SealedSecret/db/history?limit=20": { events: [rotated], nextCursor: null },
  "/api/secrets/prod/payments/SealedSecret/db/fixes": { fixes: [] },
  "/api/proposals?cluster=prod&namespace=payments&name=db": {
    proposals: [],
    counts: { open: 0, merged: 0, closed: 0 },
  },
};

function stubFetch(): string[] {
  const asked: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    asked.push(url);
    const body = bodies[url];
    return body ? Response.json(body) : new Response("{}", { status: 404 });
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

const render = (client: QueryClient, element: ReactElement) =>
  renderToString(<QueryClientProvider client={client}>{element}</QueryClientProvider>);

describe("prefetchSecretPage", () => {
  it("asks for every section of the page at once, under the keys its sections read", async () => {
    const asked = stubFetch();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 10_000 } } });
    prefetchSecretPage(client, { cluster: "prod", namespace: "payments", kind: "SealedSecret", name: "db" });
    // All four requests leave together, none waits for another.
    expect([...asked].sort()).toEqual(Object.keys(bodies).sort());
    await vi.waitFor(() => expect(client.isFetching()).toBe(0));

    const pullRequests = render(client, <SecretPullRequests cluster="prod" namespace="payments" name="db" />);
    expect(pullRequests).toContain("Sealdeck has opened no pull request for this secret.");
    expect(pullRequests).not.toContain("Loading pull requests");
    const history = render(
      client,
      <SecretHistory cluster="prod" namespace="payments" kind="SealedSecret" name="db" />,
    );
    expect(history).toContain("Secret force sync");
    expect(history).not.toContain("Loading the history");
    expect(asked).toHaveLength(4);
  });

  it("reads no pull requests for an ExternalSecret, and uses the page's address of a cluster-scoped one", () => {
    const asked = stubFetch();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    prefetchSecretPage(client, {
      cluster: "prod",
      namespace: null,
      kind: "ClusterExternalSecret",
      name: "x",
    });
    expect(asked.sort()).toEqual([
      "/api/secrets/prod/-/ClusterExternalSecret/x/events",
      "/api/secrets/prod/-/ClusterExternalSecret/x/fixes",
      "/api/secrets/prod/-/ClusterExternalSecret/x/history?limit=20",
    ]);
  });
});
