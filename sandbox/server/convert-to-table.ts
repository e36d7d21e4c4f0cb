import "server-only";
import type { KubeObject } from "./kube-object";
import { isRecord, pick, pickString } from "./kube-object";
import type { ResourceKind } from "./resource-kinds";

type Column = {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description?: string;
  cell: (object: KubeObject) => string | number;
};

/** Ages the way kubectl prints them: 45s, 12m, 5h, 3d, 2y. */
export function humanAge(timestamp: string | undefined): string {
  if (!timestamp) return "<unknown>";
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

const name: Column = { name: "Name", type: "string", format: "name", cell: (o) => o.metadata.name ?? "" };
const age: Column = { name: "Age", type: "string", cell: (o) => humanAge(o.metadata.creationTimestamp) };

function condition(object: KubeObject, type: string): Record<string, unknown> | undefined {
  const conditions = pick(object, "status", "conditions");
  return Array.isArray(conditions) ? conditions.filter(isRecord).find((c) => c.type === type) : undefined;
}

function countKeys(value: unknown): number {
  return isRecord(value) ? Object.keys(value).length : 0;
}

function replicas(object: KubeObject, field: string): number {
  const value = pick(object, "status", field);
  return typeof value === "number" ? value : 0;
}

function servicePorts(object: KubeObject): string {
  const ports = pick(object, "spec", "ports");
  if (!Array.isArray(ports) || ports.length === 0) return "<none>";
  return ports
    .filter(isRecord)
    .map((p) => `${String(p.port)}/${String(p.protocol ?? "TCP")}`)
    .join(",");
}

const columnsByKind: Record<string, Column[]> = {
  Namespace: [
    name,
    { name: "Status", type: "string", cell: (o) => pickString(o, "status", "phase") ?? "Active" },
    age,
  ],
  Secret: [
    name,
    { name: "Type", type: "string", cell: (o) => pickString(o, "type") ?? "Opaque" },
    { name: "Data", type: "integer", cell: (o) => countKeys(o.data) },
    age,
  ],
  ConfigMap: [
    name,
    { name: "Data", type: "integer", cell: (o) => countKeys(o.data) + countKeys(o.binaryData) },
    age,
  ],
  Service: [
    name,
    { name: "Type", type: "string", cell: (o) => pickString(o, "spec", "type") ?? "ClusterIP" },
    { name: "Cluster-IP", type: "string", cell: (o) => pickString(o, "spec", "clusterIP") ?? "<none>" },
    { name: "External-IP", type: "string", cell: () => "<none>" },
    { name: "Port(s)", type: "string", cell: servicePorts },
    age,
  ],
  Event: [
    {
      name: "Last Seen",
      type: "string",
      cell: (o) => humanAge(pickString(o, "lastTimestamp") ?? o.metadata.creationTimestamp),
    },
    { name: "Type", type: "string", cell: (o) => pickString(o, "type") ?? "" },
    { name: "Reason", type: "string", cell: (o) => pickString(o, "reason") ?? "" },
    {
      name: "Object",
      type: "string",
      cell: (o) =>
        `${(pickString(o, "involvedObject", "kind") ?? "").toLowerCase()}/${pickString(o, "involvedObject", "name") ?? ""}`,
    },
    { name: "Message", type: "string", cell: (o) => pickString(o, "message") ?? "" },
  ],
  Deployment: [
    name,
    {
      name: "Ready",
      type: "string",
      cell: (o) => `${replicas(o, "readyReplicas")}/${String(pick(o, "spec", "replicas") ?? 1)}`,
    },
    { name: "Up-to-date", type: "integer", cell: (o) => replicas(o, "updatedReplicas") },
    { name: "Available", type: "integer", cell: (o) => replicas(o, "availableReplicas") },
    age,
  ],
  StatefulSet: [
    name,
    {
      name: "Ready",
      type: "string",
      cell: (o) => `${replicas(o, "readyReplicas")}/${String(pick(o, "spec", "replicas") ?? 1)}`,
    },
    age,
  ],
  DaemonSet: [
    name,
    { name: "Desired", type: "integer", cell: (o) => replicas(o, "desiredNumberScheduled") },
    { name: "Ready", type: "integer", cell: (o) => replicas(o, "numberReady") },
    age,
  ],
  CronJob: [
    name,
    { name: "Schedule", type: "string", cell: (o) => pickString(o, "spec", "schedule") ?? "" },
    { name: "Suspend", type: "boolean", cell: (o) => String(pick(o, "spec", "suspend") ?? false) },
    age,
  ],
  // Custom resources: the additionalPrinterColumns of the upstream CRDs.
  SealedSecret: [
    name,
    { name: "Status", type: "string", cell: (o) => String(condition(o, "Synced")?.message ?? "") },
    { name: "Synced", type: "string", cell: (o) => String(condition(o, "Synced")?.status ?? "") },
    age,
  ],
  ExternalSecret: [
    name,
    {
      name: "StoreType",
      type: "string",
      priority: 1,
      cell: (o) => pickString(o, "spec", "secretStoreRef", "kind") ?? "SecretStore",
    },
    { name: "Store", type: "string", cell: (o) => pickString(o, "spec", "secretStoreRef", "name") ?? "" },
    {
      name: "Refresh Interval",
      type: "string",
      cell: (o) => pickString(o, "spec", "refreshInterval") ?? "1h",
    },
    { name: "Status", type: "string", cell: (o) => String(condition(o, "Ready")?.reason ?? "") },
    { name: "Ready", type: "string", cell: (o) => String(condition(o, "Ready")?.status ?? "") },
    {
      name: "Last Sync",
      type: "date",
      priority: 1,
      cell: (o) => humanAge(pickString(o, "status", "refreshTime")),
    },
  ],
  ClusterExternalSecret: [
    name,
    {
      name: "Store",
      type: "string",
      cell: (o) => pickString(o, "spec", "externalSecretSpec", "secretStoreRef", "name") ?? "",
    },
    {
      name: "Refresh Interval",
      type: "string",
      cell: (o) =>
        pickString(o, "spec", "refreshTime") ??
        pickString(o, "spec", "externalSecretSpec", "refreshInterval") ??
        "",
    },
    { name: "Ready", type: "string", cell: (o) => String(condition(o, "Ready")?.status ?? "") },
  ],
  SecretStore: [
    name,
    age,
    { name: "Status", type: "string", cell: (o) => String(condition(o, "Ready")?.reason ?? "") },
    { name: "Capabilities", type: "string", cell: (o) => pickString(o, "status", "capabilities") ?? "" },
    { name: "Ready", type: "string", cell: (o) => String(condition(o, "Ready")?.status ?? "") },
  ],
  Application: [
    name,
    { name: "Sync Status", type: "string", cell: (o) => pickString(o, "status", "sync", "status") ?? "" },
    { name: "Health Status", type: "string", cell: (o) => pickString(o, "status", "health", "status") ?? "" },
    {
      name: "Revision",
      type: "string",
      priority: 10,
      cell: (o) => pickString(o, "status", "sync", "revision") ?? "",
    },
    { name: "Project", type: "string", priority: 10, cell: (o) => pickString(o, "spec", "project") ?? "" },
  ],
};
columnsByKind.ClusterSecretStore = columnsByKind.SecretStore!;

// Whole metadata, managedFields and annotations such as kubectl's last-applied-configuration included:
// a real API server sends them in PartialObjectMetadata, and clients must cope.
function partialMetadata(object: KubeObject, version: string) {
  return { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata };
}

/** Renders objects as a meta.k8s.io Table, the form kubectl asks for when it prints columns. */
export function convertToTable(
  kind: ResourceKind,
  objects: KubeObject[],
  options: {
    version: string;
    includeObject: string | null;
    resourceVersion?: string;
    continueToken?: string;
    withHeaders?: boolean;
  },
) {
  const columns = columnsByKind[kind.kind] ?? [name, age];
  const includeObject = options.includeObject ?? "Metadata";
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: {
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continueToken ? { continue: options.continueToken } : {}),
    },
    columnDefinitions:
      options.withHeaders === false
        ? []
        : columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? "",
            description: c.description ?? c.name,
            priority: c.priority ?? 0,
          })),
    rows: objects.map((object) => ({
      cells: columns.map((c) => c.cell(object)),
      ...(includeObject === "None"
        ? {}
        : { object: includeObject === "Object" ? object : partialMetadata(object, options.version) }),
    })),
  };
}

export function toPartialObjectMetadata(object: KubeObject, version: string) {
  return partialMetadata(object, version);
}
