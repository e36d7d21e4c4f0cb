import "server-only";
import { ApiError } from "./api-error";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./apply-patch";
import type { KubeObject } from "./kube-object";
import { isRecord } from "./kube-object";
import { negotiateMediaType } from "./negotiate-media-type";
import { prepareObject } from "./prepare-object";
import { parseBody, readRawBody } from "./read-body";
import { readDryRun } from "./read-dry-run";
import { renderObject, writeJson } from "./render-object";
import { fieldManagerOf, type RequestCall } from "./request-call";
import { notFound } from "./api-error";

function patchTypeOf(contentType: string | undefined): "merge" | "strategic" | "json" | "apply" {
  const type = (contentType ?? "").split(";")[0]!.trim();
  if (type === "application/merge-patch+json") return "merge";
  if (type === "application/strategic-merge-patch+json") return "strategic";
  if (type === "application/json-patch+json") return "json";
  if (type === "application/apply-patch+yaml" || type === "application/apply-patch+cbor") return "apply";
  throw new ApiError(
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
  );
}

// GET, PUT, PATCH and DELETE on one object (and its status subresource).
export async function handleObject(call: RequestCall) {
  const { request, response, url, kind, path, context } = call;
  const namespace = kind.kind === "Namespace" ? "" : (path.namespace ?? "");
  const name = path.name ?? "";
  const status = path.subresource === "status";
  const form = negotiateMediaType(request.headers.accept, ["json", "metadata", "table"]);
  const includeObject = url.searchParams.get("includeObject");
  const existing = context.store.get(kind, namespace, name);

  if (request.method === "GET" || request.method === "HEAD") {
    if (!existing) throw notFound(kind.plural, name, kind.group);
    return writeJson(response, 200, renderObject(kind, existing, form, includeObject), form.contentType);
  }
  if (request.method === "DELETE") {
    const dryRun = readDryRun(url, "DeleteOptions");
    if (!existing) throw notFound(kind.plural, name, kind.group);
    const deleted = context.store.delete(kind, namespace, name, { dryRun });
    return writeJson(response, 200, renderObject(kind, deleted, form, includeObject), form.contentType);
  }
  if (request.method !== "PUT" && request.method !== "PATCH") {
    throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
  const dryRun = readDryRun(url, request.method === "PUT" ? "UpdateOptions" : "PatchOptions");
  const raw = await readRawBody(request);
  let next: KubeObject;
  let creating = false;
  if (request.method === "PUT") {
    next = prepareObject(kind, parseBody(raw, request.headers["content-type"]), path.namespace);
    if (next.metadata.name !== name)
      throw new ApiError(
        "BadRequest",
        `the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`,
      );
    if (!existing) throw notFound(kind.plural, name, kind.group);
  } else {
    const patchType = patchTypeOf(request.headers["content-type"]);
    if (patchType === "strategic" && !kind.builtIn) {
      throw new ApiError(
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      );
    }
    const patch = parseBody(raw, patchType === "apply" ? "application/yaml" : "application/json");
    if (!existing) {
      // Server-side apply creates what is missing; every other patch needs an object to patch.
      if (patchType !== "apply") throw notFound(kind.plural, name, kind.group);
      creating = true;
    }
    const base = existing ?? {
      apiVersion: undefined,
      kind: kind.kind,
      metadata: { name, namespace: path.namespace },
    };
    let patched: unknown;
    if (patchType === "json") patched = applyJsonPatch(base, patch);
    else if (patchType === "strategic") patched = applyStrategicMergePatch(base, patch);
    else patched = applyMergePatch(base, patch);
    if (!isRecord(patched)) throw new ApiError("BadRequest", "the patch did not produce an object");
    // A patch that changes the name or namespace is refused, as upstream.
    const patchedMeta = isRecord(patched.metadata) ? patched.metadata : {};
    if (patchedMeta.name !== undefined && patchedMeta.name !== name)
      throw new ApiError("BadRequest", "the name of the object does not match the name on the URL");
    // Only an explicit resourceVersion in the patch is a precondition.
    const rvInPatch =
      isRecord(patch) && isRecord(patch.metadata) ? patch.metadata.resourceVersion : undefined;
    next = prepareObject(kind, { ...patched, apiVersion: undefined, kind: kind.kind }, path.namespace);
    if (typeof rvInPatch === "string") next.metadata.resourceVersion = rvInPatch;
    else delete next.metadata.resourceVersion;
  }
  const manager = fieldManagerOf(call);
  if (creating) {
    const created = context.store.create(kind, next, { manager, dryRun });
    return writeJson(response, 201, renderObject(kind, created, form, includeObject), form.contentType);
  }
  const updated = context.store.update(kind, next, { status, manager, dryRun });
  return writeJson(response, 200, renderObject(kind, updated, form, includeObject), form.contentType);
}
