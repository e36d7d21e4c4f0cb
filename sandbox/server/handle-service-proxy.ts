import "server-only";
import { ApiError, notFound } from "./api-error";
import { isRecord } from "./kube-object";
import { readRawBody } from "./read-body";
import type { RequestCall } from "./request-call";

/**
 * /api/v1/namespaces/<ns>/services/[scheme:]<name>[:port]/proxy/<path>: forwards to the in-process
 * backend registered for that service, after checking the service and port exist like the real proxy.
 */
export async function handleServiceProxy(call: RequestCall) {
  const { request, response, url, path, context, kind } = call;
  const parts = (path.name ?? "").split(":");
  const [serviceName, portName] =
    parts.length === 3
      ? [parts[1]!, parts[2]!]
      : parts.length === 2
        ? [parts[0]!, parts[1]!]
        : [parts[0]!, ""];
  const namespace = path.namespace ?? "default";
  const service = context.store.get(kind, namespace, serviceName);
  if (!service) throw notFound("services", serviceName);
  const ports =
    isRecord(service.spec) && Array.isArray(service.spec.ports) ? service.spec.ports.filter(isRecord) : [];
  const port =
    portName === "" ? ports[0] : ports.find((p) => p.name === portName || String(p.port) === portName);
  const backend = context.proxyBackends.get(`${namespace}/${serviceName}`);
  if (!port || !backend) {
    throw new ApiError(
      "ServiceUnavailable",
      `no endpoints available for service "${path.name ?? serviceName}"`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers))
    if (typeof value === "string") headers[key] = value;
  const result = await backend({
    method: request.method ?? "GET",
    path: `${path.proxyPath ?? "/"}${url.search}`,
    headers,
    body: await readRawBody(request),
  });
  response.writeHead(result.status, { "Content-Type": "text/plain; charset=utf-8", ...result.headers });
  response.end(result.body);
}
