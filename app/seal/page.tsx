import type { Metadata } from "next";
import { connection } from "next/server";
import { SealSecretForm } from "@/components/seal/seal-secret-form";
import { SealTabs } from "@/components/seal/seal-tabs";
import { SealValueForm } from "@/components/seal/seal-value-form";
import { PageHeader } from "@/components/ui/page-header";
import { authorize } from "@/lib/auth/authorize";
import { guardPage, type SearchParams } from "@/lib/auth/guard-page";
import { permissionScope } from "@/lib/auth/permissions";
import { filterVisibleRecords } from "@/lib/kube/filter-visible-records";
import { getInventory } from "@/lib/kube/inventory";
import { parseRotateRequest } from "@/lib/validations/seal-form";

export const metadata: Metadata = { title: "Seal" };

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SealPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const access = await guardPage("/seal", await searchParams);
  const params = await searchParams;
  if (!access.allowed) return access.page;
  const { principal } = access;

  if (one(params.tool) === "value") {
    return (
      <>
        <PageHeader
          title="Seal"
          description="Encrypt one value in your browser with a controller certificate you paste, like kubeseal --raw."
        />
        <SealTabs current="value" />
        <SealValueForm />
      </>
    );
  }

  await connection();
  const inventory = getInventory();
  await inventory.ready();
  const clusters = inventory.clusterStatuses().map((c) => ({
    name: c.name,
    displayName: c.displayName ?? null,
    sandbox: c.sandbox,
    state: c.state,
  }));
  const known = new Map<string, { cluster: string; namespace: string }>();
  for (const record of filterVisibleRecords(inventory.list(), principal)) {
    if (record.namespace && record.namespace !== "-")
      known.set(`${record.cluster}/${record.namespace}`, {
        cluster: record.cluster,
        namespace: record.namespace,
      });
  }
  // Where this user may seal: everywhere with an "all" permission, else the namespaces granted.
  const grants =
    permissionScope(principal.role, "secret:seal") === "all"
      ? [{ cluster: "*", namespace: "*" }]
      : principal.grants.map(({ cluster, namespace }) => ({ cluster, namespace }));

  const rotate = parseRotateRequest(params);
  const deniedClusters = rotate
    ? rotate.clusters.filter(
        (cluster) => !authorize(principal, "secret:rotate", { cluster, namespace: rotate.namespace }).allowed,
      )
    : [];
  const unknownClusters = rotate ? rotate.clusters.filter((c) => !clusters.some((k) => k.name === c)) : [];
  const requested = [params.cluster ?? []].flat().filter((c) => clusters.some((k) => k.name === c));
  const initialClusters = requested.length > 0 ? requested : clusters.length === 1 ? [clusters[0]!.name] : [];

  return (
    <>
      <PageHeader
        title="Seal"
        description={
          rotate
            ? "Rotate chosen keys of a SealedSecret: new values are sealed in your browser and proposed as a pull request."
            : "Seal a Secret in your browser with each cluster's certificate and propose it as a pull request."
        }
      />
      <SealTabs current="cluster" />
      {params.rotate !== undefined && !rotate ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          This rotation link is incomplete: it needs a cluster, a namespace, a name and the keys to rotate.
        </p>
      ) : deniedClusters.length > 0 || unknownClusters.length > 0 ? (
        <p role="alert" className="text-sm text-red-800 dark:text-red-300">
          {unknownClusters.length > 0
            ? `Sealdeck does not know the cluster ${unknownClusters.join(", ")}.`
            : `Your role may not rotate secrets in ${rotate?.namespace} on ${deniedClusters.join(", ")}.`}
        </p>
      ) : (
        <SealSecretForm
          key={rotate ? `rotate:${rotate.clusters.join(",")}:${rotate.namespace}:${rotate.name}` : "new"}
          clusters={clusters}
          grants={grants}
          knownNamespaces={[...known.values()]}
          rotate={rotate}
          initialClusters={rotate ? rotate.clusters : initialClusters}
          initialNamespace={rotate ? rotate.namespace : (one(params.namespace) ?? "")}
        />
      )}
    </>
  );
}
