import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UserInfo } from "../auth/authorize";
import type { ClusterContext } from "./cluster-context";
import type { ResourcePath } from "./parse-resource-path";
import type { RequestLog } from "./request-log";
import type { ResourceKind } from "./resource-kinds";

/** One authorized API request, as the per-verb handlers receive it. */
export type RequestCall = {
  context: ClusterContext;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  path: ResourcePath;
  kind: ResourceKind;
  user: UserInfo;
  /** This request's entry in the request log (handlers add what they decide). */
  record: ReturnType<RequestLog["begin"]>;
};

/**
 * The field manager of a write, as the API server derives it: `?fieldManager=`, else the User-Agent
 * up to its first slash (`kubectl-client-side-apply/v1.32.0 …` → `kubectl-client-side-apply`).
 */
export function fieldManagerOf(call: Pick<RequestCall, "url" | "request">): string {
  const explicit = call.url.searchParams.get("fieldManager");
  if (explicit) return explicit;
  const agent = call.request.headers["user-agent"] ?? "";
  return agent.split("/")[0]?.trim() || "unknown";
}
