import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { useAuditFilters } from "@/components/audit/use-audit-filters";
import { useSecretFilters } from "@/components/secrets/use-secret-filters";
import { auditFilterKeys } from "@/lib/validations/audit-query";
import { clearedFilters, useUrlFilters } from "./use-url-filters";

// The filters the Secrets, Audit and Changes pages keep in their URL: what is read from the query string,
// and the exact URL an update replaces it with (links and e2e specs depend on that format).

const navigation = vi.hoisted(() => ({ search: "", replace: vi.fn() }));
vi.mock("next/navigation", () => ({
  useSearchParams: () => new URLSearchParams(navigation.search),
  usePathname: () => "/page",
  useRouter: () => ({ replace: navigation.replace }),
}));

/** Runs a hook once, as a component rendering at `search` would. */
function runHook<T>(search: string, hook: () => T): T {
  navigation.search = search;
  const result: { current?: T } = {};
  function Probe() {
    result.current = hook();
    return null;
  }
  renderToString(<Probe />);
  if (result.current === undefined) throw new Error("the hook did not run");
  return result.current;
}

beforeEach(() => {
  navigation.replace.mockClear();
});

describe("useUrlFilters", () => {
  const keys = ["state"] as const;
  const parse = (raw: { state?: string }) => ({ state: raw.state });

  it("reads only its keys and treats an empty value as absent", () => {
    expect(runHook("?state=open&other=1", () => useUrlFilters(keys, parse))[0]).toEqual({ state: "open" });
    expect(runHook("?state=", () => useUrlFilters(keys, parse))[0]).toEqual({ state: undefined });
  });

  it("sets and removes keys, keeps the others, and replaces the URL without scrolling", () => {
    const [, update] = runHook("?state=open&tab=2", () => useUrlFilters(keys, parse));
    update({ state: "merged" });
    expect(navigation.replace).toHaveBeenLastCalledWith("/page?state=merged&tab=2", { scroll: false });
    update({ state: undefined });
    expect(navigation.replace).toHaveBeenLastCalledWith("/page?tab=2", { scroll: false });
  });

  it("goes back to the bare path when nothing is left", () => {
    const [, update] = runHook("?state=open", () => useUrlFilters(keys, parse));
    update({ state: "" });
    expect(navigation.replace).toHaveBeenLastCalledWith("/page", { scroll: false });
  });
});

describe("useAuditFilters", () => {
  it("drops an invalid value without losing the others", () => {
    const [filters] = runHook("?actor=alice&outcome=bogus&from=yesterday&text=seal", useAuditFilters);
    expect(filters).toEqual({ actor: "alice", text: "seal" });
  });

  it("clears every filter with one change", () => {
    const [, update] = runHook("?actor=alice&kind=User&text=seal", useAuditFilters);
    update(clearedFilters(auditFilterKeys));
    expect(navigation.replace).toHaveBeenLastCalledWith("/page", { scroll: false });
  });
});

describe("useSecretFilters", () => {
  it("reads valid filters with the default order", () => {
    const [filters] = runHook("?cluster=prod&kind=SealedSecret&text=db", useSecretFilters);
    expect(filters).toEqual({
      cluster: "prod",
      namespace: undefined,
      kind: "SealedSecret",
      health: undefined,
      scope: undefined,
      text: "db",
      sort: "health",
      order: "asc",
    });
  });

  it("falls back to the defaults when any value is invalid", () => {
    const [filters] = runHook("?cluster=prod&kind=Nonsense", useSecretFilters);
    expect(filters.cluster).toBeUndefined();
    expect(filters.kind).toBeUndefined();
    expect(filters.sort).toBe("health");
  });

  it("changes the sort in the URL", () => {
    const [, update] = runHook("?cluster=prod", useSecretFilters);
    update({ sort: "name", order: "desc" });
    expect(navigation.replace).toHaveBeenLastCalledWith("/page?cluster=prod&sort=name&order=desc", {
      scroll: false,
    });
  });
});
