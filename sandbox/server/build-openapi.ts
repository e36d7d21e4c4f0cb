import "server-only";
import { createHash } from "node:crypto";
import type { ResourceKind } from "./resource-kinds";
import { apiVersionOf, resourceKinds } from "./resource-kinds";

function groupVersions(): string[] {
  return [...new Set(resourceKinds.map((k) => (k.group === "" ? "api/v1" : `apis/${k.group}/${k.version}`)))];
}

function gvDoc(gvPath: string) {
  const kinds = resourceKinds.filter(
    (k) => (k.group === "" ? "api/v1" : `apis/${k.group}/${k.version}`) === gvPath,
  );
  return {
    kinds,
    hash: createHash("sha256").update(JSON.stringify(kinds)).digest("hex").slice(0, 32).toUpperCase(),
  };
}

/** `/openapi/v3`: the index kubectl reads before deciding how to validate and patch. */
export function openApiIndex() {
  return {
    paths: Object.fromEntries(
      groupVersions().map((gv) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=${gvDoc(gv).hash}` }]),
    ),
  };
}

const fieldValidation = {
  name: "fieldValidation",
  in: "query",
  description: "Ignore, Warn or Strict unknown-field handling",
  schema: { type: "string", uniqueItems: true },
};
const dryRun = { name: "dryRun", in: "query", schema: { type: "string", uniqueItems: true } };
const fieldManager = { name: "fieldManager", in: "query", schema: { type: "string", uniqueItems: true } };

function operation(k: ResourceKind, action: string, extraParameters: object[]) {
  return {
    operationId: `${action}${k.kind}`,
    parameters: extraParameters,
    responses: { "200": { description: "OK" } },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: k.group, version: k.version, kind: k.kind },
  };
}

/**
 * One group-version's OpenAPI v3 document. It has no schemas (kubectl then uses its built-in types
 * for strategic merge patches and JSON merge patches for custom resources), but its write operations
 * declare `fieldValidation`, which tells kubectl the server validates fields itself.
 */
export function openApiGroupVersion(gvPath: string) {
  const { kinds } = gvDoc(gvPath);
  if (kinds.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const k of kinds) {
    const prefix = `/${gvPath}${k.namespaced ? "/namespaces/{namespace}" : ""}/${k.plural}`;
    if (!k.verbs.includes("get")) {
      paths[prefix] = { post: operation(k, "post", [fieldValidation, dryRun, fieldManager]) };
      continue;
    }
    paths[prefix] = {
      get: operation(k, "list", []),
      post: operation(k, "post", [fieldValidation, dryRun, fieldManager]),
      delete: operation(k, "deletecollection", []),
    };
    const item = {
      get: operation(k, "get", []),
      put: operation(k, "put", [fieldValidation, dryRun, fieldManager]),
      patch: operation(k, "patch", [fieldValidation, dryRun, fieldManager]),
      delete: operation(k, "delete", [dryRun]),
    };
    paths[`${prefix}/{name}`] = item;
    if (k.subresources.includes("status"))
      paths[`${prefix}/{name}/status`] = {
        get: operation(k, "get", []),
        put: operation(k, "put", [fieldValidation]),
        patch: operation(k, "patch", [fieldValidation]),
      };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: `sealdeck-sandbox ${apiVersionOf(kinds[0]!)}` },
    paths,
    components: { schemas: {} },
  };
}
