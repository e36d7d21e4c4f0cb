import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeGetJson, kubeRequest } from "./kube-request";
import { type WatchedKind, watchedKinds } from "./resource-kinds";

type GroupList = { groups?: { name: string; versions?: { version: string }[] }[] };
type ResourceList = { resources?: { name: string }[] };

/**
 * Which version of each watched kind the cluster serves, from discovery: ESO's v1 when served, else
 * v1beta1 (older releases); kinds whose CRD is not installed are left out rather than failing.
 */
export async function discoverServedKinds(
  kc: KubeConfig,
  cluster: string,
): Promise<{ kind: WatchedKind; version: string }[]> {
  const groups = await kubeGetJson<GroupList>(kc, "/apis", { cluster });
  const versionsByGroup = new Map(
    (groups.groups ?? []).map((g) => [g.name, new Set((g.versions ?? []).map((v) => v.version))]),
  );
  versionsByGroup.set("", new Set(["v1"]));
  const resourceCache = new Map<string, Set<string> | null>();
  const resourcesOf = async (group: string, version: string) => {
    const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
    if (!resourceCache.has(path)) {
      const response = await kubeRequest(kc, path, { cluster });
      if (!response.ok) {
        response.discard();
        resourceCache.set(path, null);
      } else {
        const list = await response.json<ResourceList>();
        resourceCache.set(path, new Set((list.resources ?? []).map((r) => r.name)));
      }
    }
    return resourceCache.get(path) ?? null;
  };
  const served: { kind: WatchedKind; version: string }[] = [];
  for (const kind of watchedKinds) {
    const versions = versionsByGroup.get(kind.group);
    if (!versions) continue;
    for (const version of kind.versions) {
      if (!versions.has(version)) continue;
      if ((await resourcesOf(kind.group, version))?.has(kind.plural)) {
        served.push({ kind, version });
        break;
      }
    }
  }
  return served;
}
