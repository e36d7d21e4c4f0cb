import "server-only";
import { ApiError } from "./api-error";
import { convertToTable, toPartialObjectMetadata } from "./convert-to-table";
import type { KubeObject } from "./kube-object";
import { compileFieldSelector } from "./match-field-selector";
import { compileLabelSelector } from "./match-label-selector";
import { negotiateMediaType } from "./negotiate-media-type";
import { prepareObject } from "./prepare-object";
import { parseBody, readRawBody } from "./read-body";
import { readDryRun } from "./read-dry-run";
import { asVersion, renderObject, writeJson } from "./render-object";
import { fieldManagerOf, type RequestCall } from "./request-call";
import { apiVersionOf } from "./resource-kinds";

type ContinueToken = { rv: number; after: string };

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    const token = parsed as ContinueToken;
    if (typeof token.rv === "number" && typeof token.after === "string") return token;
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError(
    "BadRequest",
    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
  );
}

function objectKey(object: KubeObject): string {
  // NUL sorts before every name character, so this order matches the store's namespace-then-name order.
  return `${object.metadata.namespace ?? ""}\u0000${object.metadata.name ?? ""}`;
}

/** Objects of a list request after namespace, label and field selection. */
export function selectObjects(call: RequestCall): KubeObject[] {
  const labels = compileLabelSelector(call.url.searchParams.get("labelSelector"));
  const fields = compileFieldSelector(call.kind, call.url.searchParams.get("fieldSelector"));
  return call.context.store
    .list(call.kind, call.path.namespace)
    .filter((o) => labels(o.metadata.labels) && fields(o));
}

// GET (list), POST (create) and DELETE (deletecollection) on a collection.
export async function handleCollection(call: RequestCall) {
  const { request, response, url, kind, context } = call;
  if (request.method === "POST") {
    const body = parseBody(await readRawBody(request), request.headers["content-type"]);
    const dryRun = readDryRun(url, "CreateOptions");
    const object = prepareObject(kind, body, call.path.namespace);
    const form = negotiateMediaType(request.headers.accept, ["json", "metadata", "table"]);
    const created = context.store.create(kind, object, { manager: fieldManagerOf(call), dryRun });
    return writeJson(
      response,
      201,
      renderObject(kind, created, form, url.searchParams.get("includeObject")),
      form.contentType,
    );
  }
  if (request.method === "DELETE") {
    const dryRun = readDryRun(url, "DeleteOptions");
    const deleted = selectObjects(call).map((o) =>
      context.store.delete(kind, o.metadata.namespace ?? "", o.metadata.name ?? "", { dryRun }),
    );
    return writeJson(
      response,
      200,
      {
        kind: `${kind.kind}List`,
        apiVersion: apiVersionOf(kind),
        metadata: { resourceVersion: String(context.store.currentRv()) },
        items: deleted.map((o) => asVersion(kind, o)),
      },
      "application/json",
    );
  }
  if (request.method !== "GET" && request.method !== "HEAD")
    throw new ApiError("MethodNotAllowed", "the server does not allow this method on the requested resource");

  const form = negotiateMediaType(request.headers.accept, ["json", "metadata", "table"]);
  const continueParam = url.searchParams.get("continue");
  const limit = Number(url.searchParams.get("limit") ?? "0");
  let snapshotRv = context.store.currentRv();
  let items = selectObjects(call);
  if (continueParam) {
    const token = decodeContinue(continueParam);
    if (token.rv < context.store.oldestWatchableRv()) {
      throw new ApiError(
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
      );
    }
    snapshotRv = token.rv;
    items = items.filter((o) => objectKey(o) > token.after);
  }
  let continueToken: string | undefined;
  let remaining: number | undefined;
  if (limit > 0 && items.length > limit) {
    remaining = items.length - limit;
    items = items.slice(0, limit);
    continueToken = encodeContinue({ rv: snapshotRv, after: objectKey(items[items.length - 1]!) });
  }
  const listMeta = {
    resourceVersion: String(snapshotRv),
    ...(continueToken ? { continue: continueToken, remainingItemCount: remaining } : {}),
  };
  if (form.form === "table") {
    const table = convertToTable(kind, items, {
      version: form.version,
      includeObject: url.searchParams.get("includeObject"),
      resourceVersion: String(snapshotRv),
      continueToken,
    });
    return writeJson(response, 200, table, form.contentType);
  }
  if (form.form === "metadata") {
    const list = {
      kind: "PartialObjectMetadataList",
      apiVersion: `meta.k8s.io/${form.version}`,
      metadata: listMeta,
      items: items.map((o) => toPartialObjectMetadata(o, form.version)),
    };
    return writeJson(response, 200, list, form.contentType);
  }
  const list = {
    kind: `${kind.kind}List`,
    apiVersion: apiVersionOf(kind),
    metadata: listMeta,
    items: items.map((o) => asVersion(kind, o)),
  };
  return writeJson(response, 200, list, form.contentType);
}
