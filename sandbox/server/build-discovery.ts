import "server-only";
import type { ResourceKind } from "./resource-kinds";
import { apiVersionOf, resourceKinds } from "./resource-kinds";

export const serverVersion = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-sealdeck-sandbox",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

function groups(): { name: string; versions: string[]; preferred: string }[] {
  const out: { name: string; versions: string[]; preferred: string }[] = [];
  for (const k of resourceKinds) {
    if (k.group === "") continue;
    let entry = out.find((g) => g.name === k.group);
    if (!entry) out.push((entry = { name: k.group, versions: [], preferred: k.version }));
    if (!entry.versions.includes(k.version)) entry.versions.push(k.version);
    if (k.preferred) entry.preferred = k.version;
  }
  // Preferred version first, as the API server orders them.
  for (const g of out) g.versions.sort((a, b) => Number(b === g.preferred) - Number(a === g.preferred));
  return out;
}

function subresourceVerbs(sub: "status" | "proxy"): string[] {
  return sub === "status" ? ["get", "patch", "update"] : ["create", "delete", "get", "patch", "update"];
}

function subresourceKind(k: ResourceKind, sub: "status" | "proxy"): string {
  return sub === "proxy" ? "ServiceProxyOptions" : k.kind;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupList() {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: groups().map((g) => ({
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
    })),
  };
}

export function apiGroup(name: string) {
  return apiGroupList().groups.find((g) => g.name === name);
}

/** The legacy per-group-version document (`/api/v1`, `/apis/<group>/<version>`). */
export function apiResourceList(group: string, version: string) {
  const kinds = resourceKinds.filter((k) => k.group === group && k.version === version);
  if (kinds.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group, version }),
    resources: kinds.flatMap((k) => [
      {
        name: k.plural,
        singularName: k.singular,
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: k.verbs,
        ...(k.shortNames ? { shortNames: k.shortNames } : {}),
        ...(k.categories ? { categories: k.categories } : {}),
      },
      ...k.subresources.map((sub) => ({
        name: `${k.plural}/${sub}`,
        singularName: "",
        namespaced: k.namespaced,
        kind: subresourceKind(k, sub),
        verbs: subresourceVerbs(sub),
      })),
    ]),
  };
}

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2): kubectl 1.30+ asks for it on /api and /apis and, when
 * served, skips the per-group-version requests.
 */
export function aggregatedDiscovery(legacy: boolean, version: string) {
  const groupNames = legacy ? [""] : groups().map((g) => g.name);
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groupNames.map((groupName) => {
      const versions = legacy ? ["v1"] : (groups().find((g) => g.name === groupName)?.versions ?? []);
      return {
        metadata: { name: groupName, creationTimestamp: null },
        versions: versions.map((v) => ({
          version: v,
          freshness: "Current",
          resources: resourceKinds
            .filter((k) => k.group === groupName && k.version === v)
            .map((k) => ({
              resource: k.plural,
              responseKind: { group: k.group, version: k.version, kind: k.kind },
              scope: k.namespaced ? "Namespaced" : "Cluster",
              singularResource: k.singular,
              verbs: k.verbs,
              ...(k.shortNames ? { shortNames: k.shortNames } : {}),
              ...(k.categories ? { categories: k.categories } : {}),
              ...(k.subresources.length
                ? {
                    subresources: k.subresources.map((sub) => ({
                      subresource: sub,
                      responseKind: { group: k.group, version: k.version, kind: subresourceKind(k, sub) },
                      verbs: subresourceVerbs(sub),
                    })),
                  }
                : {}),
            })),
        })),
      };
    }),
  };
}
