import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { K8sAccessEventView, K8sAccessPage } from "@/lib/audit/k8s-access/k8s-access-query";
import { AppError } from "@/lib/errors/app-error";
import { K8sAccessHistory, type K8sAccessFilters } from "./k8s-access-history";

// The history's states, rendered on the server from a seeded query cache (no network): loading,
// a list, empty, denied and failed.

const event = (id: number, overrides: Partial<K8sAccessEventView> = {}): K8sAccessEventView => ({
  id: String(id),
  cluster: "prod",
  auditId: `audit-${id}`,
  time: "2026-11-23T15:10:00.123456Z",
  username: "system:serviceaccount:ci:deployer",
  groups: ["system:serviceaccounts"],
  impersonatedUser: null,
  verb: "get",
  resource: "secrets",
  subresource: null,
  apiGroup: "",
  namespace: "payments",
  name: "db",
  sourceIps: ["10.0.0.7"],
  userAgent: "kubectl/v1.32.0",
  responseCode: 200,
  ...overrides,
});

function render(filters: K8sAccessFilters, seed?: (client: QueryClient, key: readonly unknown[]) => void) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, retryOnMount: false } } });
  const key = ["k8s-access", filters, 50] as const;
  seed?.(client, key);
  return renderToString(
    <QueryClientProvider client={client}>
      <K8sAccessHistory filters={filters} />
    </QueryClientProvider>,
  );
}

const withPages = (pages: K8sAccessPage[]) => (client: QueryClient, key: readonly unknown[]) =>
  client.setQueryData(key, { pages, pageParams: pages.map((_, i) => (i === 0 ? undefined : String(i))) });

const withError = (error: Error) => (client: QueryClient, key: readonly unknown[]) => {
  const query = client.getQueryCache().build(client, { queryKey: key });
  query.setState({ status: "error", error, fetchStatus: "idle", errorUpdateCount: 1 });
};

describe("K8sAccessHistory", () => {
  it("shows a loading state first", () => {
    expect(render({})).toContain("Loading the Kubernetes access history");
  });

  it("lists who did what, newest first, with the response code and where from", () => {
    const html = render(
      { cluster: "prod", namespace: "payments", name: "db" },
      withPages([
        {
          events: [
            event(2, { verb: "delete", responseCode: 403, impersonatedUser: "alice@example.com" }),
            event(1, { resource: "sealedsecrets", apiGroup: "bitnami.com" }),
          ],
          nextCursor: "1",
        },
      ]),
    );
    expect(html).toContain("Kubernetes access, newest first");
    expect(html.indexOf("delete")).toBeLessThan(html.indexOf("SealedSecret"));
    expect(html).toContain("as <!-- -->alice@example.com");
    expect(html).toContain("403");
    expect(html).toContain("from 10.0.0.7");
    expect(html).toContain("kubectl/v1.32.0");
    expect(html).toContain("Show older access");
    // On a secret's page the cluster is known: not repeated on every line.
    expect(html).not.toContain("prod: ");
  });

  it("names the cluster when the list spans clusters, and has no 'older' button on the last page", () => {
    const html = render({}, withPages([{ events: [event(1)], nextCursor: null }]));
    expect(html).toContain("prod: <!-- -->payments/db");
    expect(html).not.toContain("Show older access");
  });

  it("says so when nothing was recorded, and how to turn it on", () => {
    const html = render({ name: "db" }, withPages([{ events: [], nextCursor: null }]));
    expect(html).toContain("No Kubernetes API access recorded");
    expect(html).toContain("for this secret");
    expect(html).toContain("audit webhook");
  });

  it("tells a user without audit:read who may see it, and shows other failures with a retry", () => {
    expect(render({}, withError(new AppError("forbidden", "forbidden")))).toContain(
      "shown to security leads and auditors",
    );
    const failed = render({}, withError(new AppError("unavailable", "the database is not reachable")));
    expect(failed).toContain('role="alert"');
    expect(failed).toContain("the database is not reachable");
    expect(failed).toContain("Try again");
  });
});
