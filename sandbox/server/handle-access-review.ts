import "server-only";
import { authorize, rulesFor } from "../auth/authorize";
import { ApiError } from "./api-error";
import { isRecord, pickString } from "./kube-object";
import { parseBody, readRawBody } from "./read-body";
import type { RequestCall } from "./request-call";
import { apiVersionOf } from "./resource-kinds";
import { writeJson } from "./render-object";

const discoveryUrls = [
  "/api",
  "/api/*",
  "/apis",
  "/apis/*",
  "/healthz",
  "/livez",
  "/readyz",
  "/version",
  "/version/",
  "/openapi",
  "/openapi/*",
];

// POST selfsubjectaccessreviews / selfsubjectrulesreviews: answered from the sandbox policy.
export async function handleAccessReview(call: RequestCall) {
  const { request, response, kind, context, user, record } = call;
  if (request.method !== "POST")
    throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  const body = parseBody(await readRawBody(request), request.headers["content-type"]);
  const spec = isRecord(body) && isRecord(body.spec) ? body.spec : {};
  let status: Record<string, unknown>;
  if (kind.kind === "SelfSubjectAccessReview") {
    const attrs = isRecord(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    if (attrs) {
      const allowed = authorize(context.policy, user, {
        verb: pickString(attrs, "verb") ?? "",
        group: pickString(attrs, "group") ?? "",
        resource: pickString(attrs, "resource") ?? "",
        subresource: pickString(attrs, "subresource") || undefined,
        namespace: pickString(attrs, "namespace") || undefined,
        name: pickString(attrs, "name") || undefined,
      });
      record.review = {
        verb: pickString(attrs, "verb") ?? "",
        resource: pickString(attrs, "resource") ?? "",
        namespace: pickString(attrs, "namespace") || null,
        allowed,
      };
      status = { allowed, ...(allowed ? { reason: "allowed by sandbox policy" } : {}) };
    } else if (isRecord(spec.nonResourceAttributes)) {
      const allowed = pickString(spec.nonResourceAttributes, "verb") === "get";
      status = { allowed };
    } else {
      throw new ApiError(
        "Invalid",
        "SelfSubjectAccessReview.authorization.k8s.io is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified",
      );
    }
  } else {
    const namespace = pickString(spec, "namespace") ?? "default";
    status = {
      resourceRules: rulesFor(context.policy, user, namespace),
      nonResourceRules: [{ verbs: ["get"], nonResourceURLs: discoveryUrls }],
      incomplete: false,
    };
  }
  writeJson(
    response,
    201,
    { kind: kind.kind, apiVersion: apiVersionOf(kind), metadata: { creationTimestamp: null }, spec, status },
    "application/json",
  );
}
