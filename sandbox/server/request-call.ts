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
