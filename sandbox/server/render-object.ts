import "server-only";
import type { ServerResponse } from "node:http";
import { convertToTable, toPartialObjectMetadata } from "./convert-to-table";
import type { KubeObject } from "./kube-object";
import type { ResponseForm } from "./negotiate-media-type";
import type { ResourceKind } from "./resource-kinds";
import { apiVersionOf } from "./resource-kinds";

/** The stored object as the requested version of its kind (v1 and v1beta1 share one store). */
export function asVersion(kind: ResourceKind, object: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(kind);
  if (object.apiVersion === apiVersion) return object;
  return { ...object, apiVersion, kind: kind.kind };
}

export function renderObject(
  kind: ResourceKind,
  object: KubeObject,
  form: ResponseForm,
  includeObject: string | null,
): unknown {
  if (form.form === "metadata") return toPartialObjectMetadata(object, form.version);
  if (form.form === "table")
    return convertToTable(kind, [asVersion(kind, object)], {
      version: form.version,
      includeObject,
      resourceVersion: object.metadata.resourceVersion,
    });
  return asVersion(kind, object);
}

export function writeJson(response: ServerResponse, status: number, body: unknown, contentType: string) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-cache, private",
  });
  response.end(text);
}
