import "server-only";
import type { OwningApplication } from "@/lib/validations/secret-record";
import { obj, str } from "./read-json";
import type { KubeObject } from "./strip-object";

const TRACKING_ID = "argocd.argoproj.io/tracking-id";
const INSTANCE_LABEL = "app.kubernetes.io/instance";
const IN_CLUSTER = new Set(["https://kubernetes.default.svc", "in-cluster"]);

function describe(app: KubeObject, matchedBy: OwningApplication["matchedBy"]): OwningApplication {
  const status = obj(app.status);
  return {
    name: app.metadata.name ?? "",
    namespace: app.metadata.namespace ?? "",
    sync: str(obj(status.sync).status),
    health: str(obj(status.health).status),
    matchedBy,
  };
}

/**
 * The Argo CD Application that manages a resource: Argo's own tracking annotation first (annotation
 * tracking), then its default instance label, and only then an in-cluster Application whose
 * destination is the resource's namespace (a guess, and marked as one).
 */
export function findOwningApplication(
  resource: KubeObject,
  applications: readonly KubeObject[],
): OwningApplication | null {
  if (applications.length === 0) return null;
  const tracking = resource.metadata.annotations?.[TRACKING_ID];
  if (tracking) {
    // "<app>:<group>/<kind>:<namespace>/<name>"; apps in other namespaces are "<namespace>_<app>".
    const appId = tracking.split(":")[0] ?? "";
    const [appNamespace, appName] = appId.includes("_") ? appId.split("_", 2) : [null, appId];
    const app = applications.find(
      (a) => a.metadata.name === appName && (!appNamespace || a.metadata.namespace === appNamespace),
    );
    if (app) return describe(app, "tracking-id");
  }
  const instance = resource.metadata.labels?.[INSTANCE_LABEL];
  if (instance) {
    const app = applications.find((a) => a.metadata.name === instance);
    if (app) return describe(app, "instance-label");
  }
  const namespace = resource.metadata.namespace;
  if (!namespace) return null;
  const byDestination = applications
    .filter((a) => {
      const destination = obj(obj(a.spec).destination);
      const server = str(destination.server) ?? str(destination.name);
      return str(destination.namespace) === namespace && (!server || IN_CLUSTER.has(server));
    })
    .sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  return byDestination[0] ? describe(byDestination[0], "destination-namespace") : null;
}
