import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserInfo } from "../auth/authorize";
import { authenticate, authorize, type RequestAttributes } from "../auth/authorize";
import { ApiError } from "./api-error";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  serverVersion,
} from "./build-discovery";
import type { ClusterContext } from "./cluster-context";
import { handleAccessReview } from "./handle-access-review";
import { handleCollection } from "./handle-collection";
import { handleObject } from "./handle-object";
import { handleServiceProxy } from "./handle-service-proxy";
import { handleWatch } from "./handle-watch";
import { openApiGroupVersion, openApiIndex } from "./build-openapi";
import { negotiateMediaType } from "./negotiate-media-type";
import { parseResourcePath } from "./parse-resource-path";
import { writeJson } from "./render-object";
import type { ResourcePath } from "./parse-resource-path";
import type { SandboxRequestRecord } from "./request-log";
import { findKind } from "./resource-kinds";

function sendError(response: ServerResponse, error: unknown) {
  const apiError =
    error instanceof ApiError
      ? error
      : new ApiError(
          "InternalError",
          `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        );
  if (!response.headersSent) writeJson(response, apiError.code, apiError.toStatus(), "application/json");
  else response.end();
}

function headerValues(request: IncomingMessage, name: string): string[] {
  return (request.headersDistinct[name] ?? [])
    .flatMap((value) => value.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

function forbidden(
  user: UserInfo,
  verb: string,
  resource: string,
  group: string,
  name: string | undefined,
  namespace: string | undefined,
): ApiError {
  const subject = name
    ? `${resource}${group ? `.${group}` : ""} "${name}"`
    : `${resource}${group ? `.${group}` : ""}`;
  const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  return new ApiError(
    "Forbidden",
    `${subject} is forbidden: User "${user.name}" cannot ${verb} resource "${resource}" in API group "${group}" ${scope}`,
    { name, group, kind: resource },
  );
}

/**
 * The authorizer chain: system:masters is always allowed (upstream's privileged-group authorizer,
 * ahead of RBAC); everything else is the policy's, and refused while the authorizer is "starting".
 */
function decide(context: ClusterContext, user: UserInfo, attributes: RequestAttributes): boolean {
  if (user.groups.includes("system:masters")) return authorize(context.policy, user, attributes);
  if (context.authorizer === "starting") return false;
  return authorize(context.policy, user, attributes);
}

/**
 * Impersonate-User / Impersonate-Group, allowed when the caller may `impersonate` users and groups.
 * Sandbox convenience: impersonating a policy user without groups takes that user's groups.
 */
function impersonate(
  context: ClusterContext,
  request: IncomingMessage,
  caller: UserInfo,
  record: SandboxRequestRecord,
): UserInfo {
  const [asUser] = headerValues(request, "impersonate-user");
  const asGroups = headerValues(request, "impersonate-group");
  record.impersonatedUser = asUser ?? null;
  record.impersonatedGroups = asGroups;
  if (!asUser && asGroups.length === 0) return caller;
  if (!asUser) throw new ApiError("BadRequest", "requested impersonation of groups without a user");
  if (!decide(context, caller, { verb: "impersonate", group: "", resource: "users", name: asUser })) {
    record.decision = "deny";
    throw forbidden(caller, "impersonate", "users", "", asUser, undefined);
  }
  for (const group of asGroups) {
    if (!decide(context, caller, { verb: "impersonate", group: "", resource: "groups", name: group })) {
      record.decision = "deny";
      throw forbidden(caller, "impersonate", "groups", "", group, undefined);
    }
  }
  const known = context.policy.users.find((u) => u.name === asUser);
  const groups = asGroups.length > 0 ? asGroups : (known?.groups ?? []);
  return { name: asUser, groups: [...new Set([...groups, "system:authenticated"])] };
}

function verbFor(method: string, path: ResourcePath, watch: boolean): string {
  if (path.subresource === "proxy")
    return { GET: "get", POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" }[method] ?? "get";
  switch (method) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : path.name ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return path.name ? "delete" : "deletecollection";
    default:
      throw new ApiError(
        "MethodNotAllowed",
        `the server does not allow this method on the requested resource`,
      );
  }
}

/** Discovery and the health endpoints: readable by any authenticated user, like system:discovery. */
function handleNonResource(
  context: ClusterContext,
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
): boolean {
  const accept = request.headers.accept;
  const trimmed = pathname.replace(/\/+$/, "") || "/";
  if (trimmed === "/version") return (writeJson(response, 200, serverVersion, "application/json"), true);
  if (trimmed === "/readyz" && context.terminating) {
    response.writeHead(500, { "Content-Type": "text/plain" });
    response.end("[-]shutdown failed: reason withheld\nreadyz check failed");
    return true;
  }
  if (["/healthz", "/livez", "/readyz"].includes(trimmed)) {
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end("ok");
    return true;
  }
  if (trimmed === "/api" || trimmed === "/apis") {
    const form = negotiateMediaType(accept, ["discovery", "json"]);
    if (form.form === "discovery")
      writeJson(response, 200, aggregatedDiscovery(trimmed === "/api", form.version), form.contentType);
    else
      writeJson(
        response,
        200,
        trimmed === "/api" ? apiVersions(context.serverAddress()) : apiGroupList(),
        "application/json",
      );
    return true;
  }
  if (trimmed === "/openapi/v3") return (writeJson(response, 200, openApiIndex(), "application/json"), true);
  if (trimmed.startsWith("/openapi/v3/")) {
    const doc = openApiGroupVersion(trimmed.slice("/openapi/v3/".length));
    if (!doc) throw new ApiError("NotFound", "the server could not find the requested resource");
    writeJson(response, 200, doc, "application/json");
    return true;
  }
  const groupMatch = /^\/apis\/([^/]+)$/.exec(trimmed);
  if (groupMatch) {
    const group = apiGroup(groupMatch[1]!);
    if (!group) throw new ApiError("NotFound", "the server could not find the requested resource");
    writeJson(response, 200, { kind: "APIGroup", apiVersion: "v1", ...group }, "application/json");
    return true;
  }
  const versionMatch = /^\/api\/(v1)$/.exec(trimmed) ?? /^\/apis\/([^/]+\/[^/]+)$/.exec(trimmed);
  if (versionMatch) {
    const [group, version] = trimmed.startsWith("/api/") ? ["", "v1"] : versionMatch[1]!.split("/");
    const list = apiResourceList(group ?? "", version ?? "");
    if (!list) throw new ApiError("NotFound", "the server could not find the requested resource");
    writeJson(response, 200, list, "application/json");
    return true;
  }
  return false;
}

/** The whole API server for one emulated cluster, as a node:http request listener. */
export function createRequestHandler(context: ClusterContext) {
  return (request: IncomingMessage, response: ServerResponse) => {
    handle(context, request, response).catch((error: unknown) => sendError(response, error));
  };
}

/**
 * `GET /sandbox/requests?since=N`: the request log (sandbox only, no real API server has it), for
 * callers who may `get` `requests.sandbox.sealdeck.io` (system:masters in the default policy).
 */
function handleRequestLog(
  context: ClusterContext,
  user: UserInfo,
  url: URL,
  response: ServerResponse,
  record: SandboxRequestRecord,
) {
  const attributes = { verb: "get", group: "sandbox.sealdeck.io", resource: "requests" };
  if (!decide(context, user, attributes)) {
    record.decision = "deny";
    throw forbidden(user, "get", "requests", attributes.group, undefined, undefined);
  }
  record.decision = "allow";
  const since = Number(url.searchParams.get("since") ?? "0");
  const items = context.requestLog.list(Number.isFinite(since) ? since : 0);
  writeJson(response, 200, { items }, "application/json");
}

async function handle(context: ClusterContext, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "https://sandbox.invalid");
  const record = context.requestLog.begin(
    request.method ?? "GET",
    url.pathname,
    request.headers["user-agent"] ?? null,
  );
  response.once("close", () => {
    record.status = response.statusCode;
  });
  const caller = authenticate(context.policy, request.headers.authorization);
  if (!caller) throw new ApiError("Unauthorized", "Unauthorized");
  record.user = caller.name;
  const user = impersonate(context, request, caller, record);
  if (request.method === "GET" && url.pathname === "/sandbox/requests")
    return handleRequestLog(context, user, url, response, record);
  if (request.method === "GET" && handleNonResource(context, request, response, url.pathname)) {
    record.decision = "allow";
    return;
  }
  const path = parseResourcePath(url.pathname);
  const kind = path && findKind(path.group, path.version, path.plural);
  if (!path || !kind || (path.namespace !== undefined && !kind.namespaced)) {
    throw new ApiError("NotFound", "the server could not find the requested resource");
  }
  if (path.subresource && !kind.subresources.includes(path.subresource as "status" | "proxy")) {
    throw new ApiError("NotFound", "the server could not find the requested resource");
  }
  const method = request.method ?? "GET";
  const watch = ["1", "true"].includes(url.searchParams.get("watch") ?? "");
  const verb = verbFor(method, path, watch);
  if (!(kind.verbs as string[]).includes(verb) && path.subresource === undefined) {
    throw new ApiError("MethodNotAllowed", `the server does not allow this method on the requested resource`);
  }
  const attributes = {
    verb,
    group: kind.group,
    resource: kind.plural,
    subresource: path.subresource,
    namespace: path.namespace,
    name: path.name,
  };
  // A namespace is its own namespace for authorization, as in RBAC.
  if (kind.kind === "Namespace" && path.name) attributes.namespace = path.name;
  // Every authenticated user may ask what it may do (system:basic-user in RBAC, so not while starting).
  const selfReview = kind.group === "authorization.k8s.io";
  const allowed = selfReview
    ? context.authorizer === "ready" || user.groups.includes("system:masters")
    : decide(context, user, attributes);
  if (!allowed) {
    record.decision = "deny";
    throw forbidden(
      user,
      verb,
      path.subresource ? `${kind.plural}/${path.subresource}` : kind.plural,
      kind.group,
      path.name,
      path.namespace,
    );
  }
  record.decision = "allow";
  const call = { context, request, response, url, path, kind, user, record };
  if (kind.group === "authorization.k8s.io") return handleAccessReview(call);
  if (path.subresource === "proxy") return handleServiceProxy(call);
  if (watch) return handleWatch(call);
  if (path.name) return handleObject(call);
  return handleCollection(call);
}
