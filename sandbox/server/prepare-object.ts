import "server-only";
import { ApiError, invalid } from "./api-error";
import type { KubeObject } from "./kube-object";
import { isRecord } from "./kube-object";
import type { ResourceKind } from "./resource-kinds";

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks and defaults a written object the way the API server's decoding and validation would:
 * 400 for a body that is not this kind or namespace, 422 for invalid names and Secret data.
 */
export function prepareObject(
  kind: ResourceKind,
  body: unknown,
  urlNamespace: string | undefined,
): KubeObject {
  if (!isRecord(body)) throw new ApiError("BadRequest", "the body of the request must be a JSON object");
  const apiGroup =
    typeof body.apiVersion === "string" && body.apiVersion.includes("/") ? body.apiVersion.split("/")[0] : "";
  if (body.kind !== undefined && body.kind !== kind.kind) {
    throw new ApiError(
      "BadRequest",
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.group ? `${kind.group}/` : ""}${kind.version}) or kind ${String(body.kind)} is not ${kind.kind}`,
    );
  }
  if (body.apiVersion !== undefined && apiGroup !== kind.group) {
    throw new ApiError(
      "BadRequest",
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.group}/${kind.version})`,
    );
  }
  const metadata = isRecord(body.metadata) ? { ...body.metadata } : {};
  const object = structuredClone({ ...body, metadata }) as KubeObject;
  if (kind.namespaced) {
    if (object.metadata.namespace && urlNamespace && object.metadata.namespace !== urlNamespace) {
      throw new ApiError(
        "BadRequest",
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    object.metadata.namespace = urlNamespace ?? object.metadata.namespace ?? "default";
  } else {
    delete object.metadata.namespace;
  }
  const name = object.metadata.name;
  const pattern = kind.kind === "Namespace" || kind.kind === "Service" ? dnsLabel : dnsSubdomain;
  if (name !== undefined && (typeof name !== "string" || name.length > 253 || !pattern.test(name))) {
    throw invalid(
      kind.kind,
      String(name),
      "metadata.name",
      `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 ${pattern === dnsLabel ? "label" : "subdomain"} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      kind.group,
    );
  }
  for (const field of ["labels", "annotations"] as const) {
    const map = object.metadata[field];
    if (map !== undefined && (!isRecord(map) || Object.values(map).some((v) => typeof v !== "string"))) {
      throw new ApiError("BadRequest", `metadata.${field} must map strings to strings`);
    }
  }
  if (kind.kind === "Secret" && kind.group === "") prepareSecret(object);
  if (kind.kind === "Service" && kind.group === "") prepareService(object);
  if (kind.kind === "Namespace" && kind.group === "") object.status = { phase: "Active" };
  return object;
}

/** `stringData` is write-only: merged into base64 `data`, as the API server does. */
function prepareSecret(secret: KubeObject) {
  const data: Record<string, string> = isRecord(secret.data)
    ? { ...(secret.data as Record<string, string>) }
    : {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string" || !base64.test(value)) {
      throw invalid(
        "Secret",
        secret.metadata.name ?? "",
        `data[${key}]`,
        "Invalid value: illegal base64 data",
      );
    }
  }
  if (isRecord(secret.stringData)) {
    for (const [key, value] of Object.entries(secret.stringData))
      data[key] = Buffer.from(String(value), "utf8").toString("base64");
  }
  delete secret.stringData;
  if (Object.keys(data).length > 0 || secret.data !== undefined) secret.data = data;
  secret.type ??= "Opaque";
}

let nextIp = 10;
/** A stable-looking ClusterIP, so `kubectl get svc` reads like a real cluster. */
function prepareService(service: KubeObject) {
  const spec = isRecord(service.spec) ? service.spec : {};
  if (typeof spec.clusterIP !== "string" || spec.clusterIP === "") {
    nextIp = (nextIp + 1) % 65_000;
    spec.clusterIP = `10.96.${Math.floor(nextIp / 250) % 250}.${(nextIp % 250) + 2}`;
  }
  spec.type ??= "ClusterIP";
  service.spec = spec;
}
