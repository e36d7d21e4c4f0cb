import {
  InfiniteQueryObserver,
  QueryClient,
  QueryClientProvider,
  QueryObserver,
} from "@tanstack/react-query";
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SecretHistory } from "@/components/audit/secret-history";
import { SecretPullRequests } from "@/components/changes/secret-pull-requests";
import { inventoryKeys } from "@/lib/queries/keys";
import { auditKeys } from "@/lib/queries/use-audit-events";
import { proposalKeys } from "@/lib/queries/use-proposals";
import { valueFixKeys } from "@/lib/queries/use-value-fixes";
import type { AuditEventView, SecretHistoryResponse } from "@/lib/validations/audit-query";
import type { ProposalListResponse } from "@/lib/validations/proposal-list";
import type { SecretEventsResponse } from "@/lib/validations/secret-list-query";
import type { ValueFixesResponse } from "@/lib/validations/value-fix";
import { type SecretSections, seedSecretSections } from "./seed-secret-sections";

// The sections streamed with the page's server render must land under the keys the page's own sections
// read, in flight before those hooks subscribe: the hooks then show them and ask the API for nothing.

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

const address = { cluster: "prod", namespace: "payments", kind: "SealedSecret", name: "db" } as const;
const bodies = {
  events: { events: [], eventsError: null } satisfies SecretEventsResponse,
  history: { events: [rotated], nextCursor: null } satisfies SecretHistoryResponse,
  fixes: { fixes: [] } satisfies ValueFixesResponse,
  proposals: { proposals: [], counts: { open: 0, merged: 0, closed: 0 } } as unknown as ProposalListResponse,
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function streamed() {
  const events = deferred<SecretEventsResponse>();
  const history = deferred<SecretHistoryResponse>();
  const fixes = deferred<ValueFixesResponse>();
  const proposals = deferred<ProposalListResponse>();
  const sections: SecretSections = {
    events: events.promise,
    history: history.promise,
    fixes: fixes.promise,
    proposals: proposals.promise,
  };
  const resolveAll = () => {
    events.resolve(bodies.events);
    history.resolve(bodies.history);
    fixes.resolve(bodies.fixes);
    proposals.resolve(bodies.proposals);
  };
  return { sections, resolveAll, events };
}

/** What the sections' hooks do when they mount: an observer with their own fetcher, subscribed. */
function mountHooks(client: QueryClient, apiFetch: () => Promise<never>) {
  const observers = [
    new QueryObserver(client, {
      queryKey: inventoryKeys.events("prod", "payments", "SealedSecret", "db"),
      queryFn: apiFetch,
    }),
    new QueryObserver(client, {
      queryKey: valueFixKeys.secret("prod", "payments", "SealedSecret", "db"),
      queryFn: apiFetch,
    }),
    new QueryObserver(client, {
      queryKey: proposalKeys.list({ cluster: "prod", namespace: "payments", name: "db" }),
      queryFn: apiFetch,
    }),
    new InfiniteQueryObserver(client, {
      queryKey: auditKeys.secretHistory("prod", "payments", "SealedSecret", "db"),
      queryFn: apiFetch,
      initialPageParam: undefined as string | undefined,
      getNextPageParam: () => undefined,
    }),
  ];
  const unsubscribe = observers.map((observer) => observer.subscribe(() => undefined));
  return () => unsubscribe.forEach((stop) => stop());
}

const newClient = () => new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 10_000 } } });

const render = (client: QueryClient, element: ReactElement) =>
  renderToString(<QueryClientProvider client={client}>{element}</QueryClientProvider>);

afterEach(() => vi.unstubAllGlobals());

describe("seedSecretSections", () => {
  it("puts every streamed section in flight under its hook's key: the hooks wait for it and ask the API nothing", async () => {
    const apiFetch = vi.fn(() => Promise.reject(new Error("the API was asked")));
    const client = newClient();
    const { sections, resolveAll } = streamed();
    seedSecretSections(client, address, sections);
    const unmount = mountHooks(client, apiFetch);
    expect(client.isFetching()).toBe(4);
    resolveAll();
    await vi.waitFor(() => expect(client.isFetching()).toBe(0));
    unmount();
    expect(apiFetch).not.toHaveBeenCalled();

    const pullRequests = render(client, <SecretPullRequests cluster="prod" namespace="payments" name="db" />);
    expect(pullRequests).toContain("Sealdeck has opened no pull request for this secret.");
    const history = render(
      client,
      <SecretHistory cluster="prod" namespace="payments" kind="SealedSecret" name="db" />,
    );
    expect(history).toContain("Secret force sync");
    expect(history).not.toContain("Loading the history");
  });

  it("leaves a section this tab has already read to its own freshness rules", async () => {
    const client = newClient();
    const cached: SecretEventsResponse = { events: [], eventsError: "read earlier" };
    client.setQueryData(inventoryKeys.events("prod", "payments", "SealedSecret", "db"), cached);
    const { sections, resolveAll } = streamed();
    seedSecretSections(client, address, sections);
    resolveAll();
    await vi.waitFor(() => expect(client.isFetching()).toBe(0));
    expect(client.getQueryData(inventoryKeys.events("prod", "payments", "SealedSecret", "db"))).toBe(cached);
    expect(client.getQueryData(valueFixKeys.secret("prod", "payments", "SealedSecret", "db"))).toEqual(
      bodies.fixes,
    );
  });

  it("lets a hook ask the API when its streamed section failed", async () => {
    const client = newClient();
    const { sections, resolveAll, events } = streamed();
    seedSecretSections(client, address, sections);
    events.reject(new Error("stream failed"));
    resolveAll();
    await vi.waitFor(() => expect(client.isFetching()).toBe(0));
    const apiFetch = vi.fn(async () => bodies.events);
    const observer = new QueryObserver(client, {
      queryKey: inventoryKeys.events("prod", "payments", "SealedSecret", "db"),
      queryFn: apiFetch,
    });
    const stop = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(observer.getCurrentResult().data).toEqual(bodies.events));
    stop();
    expect(apiFetch).toHaveBeenCalledTimes(1);
  });

  it("seeds no pull requests where there are none to read", () => {
    const client = newClient();
    const { sections } = streamed();
    seedSecretSections(client, { ...address, kind: "ExternalSecret" }, { ...sections, proposals: null });
    expect(
      client.getQueryState(proposalKeys.list({ cluster: "prod", namespace: "payments", name: "db" })),
    ).toBeUndefined();
    expect(client.isFetching()).toBe(3);
  });
});
