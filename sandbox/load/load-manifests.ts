import "server-only";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../server/kube-object";
import { isRecord } from "../server/kube-object";
import type { ObjectStore } from "../server/object-store";
import { prepareObject } from "../server/prepare-object";
import { findKindByApiVersion } from "../server/resource-kinds";

/** Namespaces first, then keys and stores, so everything else finds what it refers to. */
const order = ["Namespace", "Secret", "ConfigMap", "SecretStore", "ClusterSecretStore"];
const rank = (object: KubeObject) => {
  const index = order.indexOf(object.kind ?? "");
  return index === -1 ? order.length : index;
};

/** Every object in the YAML/JSON files of a directory (multi-document; `kind: List` is expanded). */
export async function readManifests(dir: string): Promise<KubeObject[]> {
  const files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const objects: KubeObject[] = [];
  const add = (value: unknown) => {
    if (!isRecord(value)) return;
    if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items))
      value.items.forEach(add);
    else if (typeof value.kind === "string" && isRecord(value.metadata)) objects.push(value as KubeObject);
  };
  for (const file of files) {
    for (const document of parseAllDocuments(await readFile(join(dir, file), "utf8"))) {
      if (document.errors.length > 0) throw new Error(`${join(dir, file)}: ${document.errors[0]!.message}`);
      add(document.toJS());
    }
  }
  return objects;
}

/**
 * Creates (or replaces) objects as a client would, keeping a `status` given in the file so the demo
 * can show states no controller would reach by itself (a stale ExternalSecret, a degraded Application).
 */
export function applyManifests(store: ObjectStore, objects: KubeObject[]): void {
  for (const input of [...objects].sort((a, b) => rank(a) - rank(b))) {
    const kind = findKindByApiVersion(String(input.apiVersion ?? ""), String(input.kind ?? ""));
    if (!kind || !kind.verbs.includes("get"))
      throw new Error(`the sandbox does not serve ${String(input.apiVersion)} ${String(input.kind)}`);
    const { uid: _uid, resourceVersion: _rv, creationTimestamp: _created, ...metadata } = input.metadata;
    const object = prepareObject(
      kind,
      { ...input, metadata },
      kind.namespaced ? (input.metadata.namespace ?? "default") : undefined,
    );
    const existing = store.get(kind, object.metadata.namespace ?? "", object.metadata.name ?? "");
    const written = existing
      ? store.update(kind, { ...object, metadata: { ...object.metadata, resourceVersion: undefined } })
      : store.create(kind, object);
    if (input.status !== undefined && kind.subresources.includes("status"))
      store.update(kind, { ...written, status: input.status }, { status: true });
  }
}
