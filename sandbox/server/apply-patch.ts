import "server-only";
import { isDeepStrictEqual } from "node:util";
import { ApiError } from "./api-error";
import { isRecord } from "./kube-object";

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/"))
    throw new ApiError("BadRequest", `invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

function resolveParent(document: unknown, tokens: string[], op: string): { parent: Container; key: string } {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : isRecord(current)
        ? current[token]
        : undefined;
    if (current === undefined) throw new Error(`${op}: path not found`);
  }
  if (!Array.isArray(current) && !isRecord(current)) {
    throw new Error(`${op}: path not found`);
  }
  return { parent: current, key: tokens[tokens.length - 1] ?? "" };
}

function readAt(document: unknown, pointer: string): unknown {
  let current = document;
  for (const token of decodePointer(pointer)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : isRecord(current)
        ? current[token]
        : undefined;
  }
  return current;
}

/** RFC 6902 JSON patch over a deep copy; a failed `test` or missing path is a 422 as upstream. */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw new ApiError("BadRequest", "json patch must be an array of operations");
  let document = structuredClone(target);
  for (const operation of operations) {
    if (!isRecord(operation) || typeof operation.op !== "string" || typeof operation.path !== "string") {
      throw new ApiError("BadRequest", "json patch operation needs op and path");
    }
    const { op, path } = operation;
    const pathTokens = decodePointer(path);
    const fail = (why: string) =>
      new ApiError(
        "Invalid",
        `the server rejected our request due to an error in our request: ${op} operation on ${path}: ${why}`,
      );
    const write = (tokens: string[], value: unknown, replace: boolean) => {
      if (tokens.length === 0) {
        document = value;
        return;
      }
      let located: { parent: Container; key: string };
      try {
        located = resolveParent(document, tokens, op);
      } catch {
        throw fail("path does not exist");
      }
      const { parent, key } = located;
      if (Array.isArray(parent)) {
        const index = key === "-" ? parent.length : Number(key);
        if (!Number.isInteger(index) || index < 0 || index > parent.length) throw fail("index out of range");
        if (replace) parent[index] = value;
        else parent.splice(index, 0, value);
      } else {
        if (replace && !(key in parent)) throw fail("path does not exist");
        parent[key] = value;
      }
    };
    const remove = (tokens: string[]): unknown => {
      let located: { parent: Container; key: string };
      try {
        located = resolveParent(document, tokens, op);
      } catch {
        throw fail("path does not exist");
      }
      const { parent, key } = located;
      if (Array.isArray(parent)) {
        const index = Number(key);
        if (!(index >= 0 && index < parent.length)) throw fail("index out of range");
        return parent.splice(index, 1)[0];
      }
      if (!(key in parent)) throw fail("path does not exist");
      const old = parent[key];
      delete parent[key];
      return old;
    };
    switch (op) {
      case "add":
        write(pathTokens, structuredClone(operation.value), false);
        break;
      case "replace":
        write(pathTokens, structuredClone(operation.value), true);
        break;
      case "remove":
        remove(pathTokens);
        break;
      case "move": {
        if (typeof operation.from !== "string") throw fail("from is required");
        const value = remove(decodePointer(operation.from));
        write(pathTokens, value, false);
        break;
      }
      case "copy": {
        if (typeof operation.from !== "string") throw fail("from is required");
        write(pathTokens, structuredClone(readAt(document, operation.from)), false);
        break;
      }
      case "test":
        if (!isDeepStrictEqual(readAt(document, path), operation.value)) throw fail("testing value failed");
        break;
      default:
        throw new ApiError("BadRequest", `unknown json patch operation ${JSON.stringify(op)}`);
    }
  }
  return document;
}

/** Merge keys of the built-in list fields kubectl patches (from the Kubernetes API's patchMergeKey tags). */
const mergeKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  ownerReferences: "uid",
  conditions: "type",
  hostAliases: "ip",
};
/** Lists of scalars whose patch strategy is merge (a union) rather than replace. */
const mergedScalarLists = new Set(["finalizers"]);

function portKey(item: Record<string, unknown>): string {
  return "containerPort" in item ? "containerPort" : "port";
}

function mergeList(field: string, target: unknown[], patch: unknown[]): unknown[] {
  const replace = patch.find((item) => isRecord(item) && item.$patch === "replace");
  if (replace) return patch.filter((item) => item !== replace);
  const sample = patch.find(isRecord) ?? target.find(isRecord);
  const key = field === "ports" && sample ? portKey(sample) : mergeKeys[field];
  if (!key) {
    if (mergedScalarLists.has(field)) return [...target, ...patch.filter((item) => !target.includes(item))];
    return patch;
  }
  const result = target.map((item) => structuredClone(item));
  for (const item of patch) {
    if (!isRecord(item)) continue;
    const index = result.findIndex((existing) => isRecord(existing) && existing[key] === item[key]);
    if (item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = applyStrategicMergePatch(result[index], item);
    else result.push(applyStrategicMergePatch({}, item));
  }
  return result;
}

/**
 * A strategic merge patch as kubectl sends for built-in kinds: maps merge, lists with a merge key merge
 * by that key, `$patch`, `$retainKeys`, `$deleteFromPrimitiveList/` and `$setElementOrder/` directives.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  if (patch.$patch === "delete") return undefined;
  const base: Record<string, unknown> = patch.$patch === "replace" || !isRecord(target) ? {} : { ...target };
  const retain = Array.isArray(patch.$retainKeys) ? patch.$retainKeys.map(String) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder/")) continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const current = base[field];
      if (Array.isArray(current) && Array.isArray(value))
        base[field] = current.filter((item) => !value.includes(item));
      continue;
    }
    if (value === null) {
      delete base[key];
    } else if (Array.isArray(value)) {
      const current = base[key];
      base[key] = mergeList(key, Array.isArray(current) ? current : [], value);
    } else {
      const merged = applyStrategicMergePatch(base[key], value);
      if (merged === undefined) delete base[key];
      else base[key] = merged;
    }
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith("$setElementOrder/") || !Array.isArray(order)) continue;
    const field = key.slice("$setElementOrder/".length);
    const current = base[field];
    if (Array.isArray(current)) base[field] = orderList(field, current, order);
  }
  if (retain)
    for (const key of Object.keys(base)) if (!retain.includes(key) && !(key in patch)) delete base[key];
  return base;
}

/**
 * `$setElementOrder/<field>`: the list in the order the client's manifest has it (kubectl sends it with
 * every list it patches), so an element added by a patch lands where the manifest puts it rather than
 * at the end. Elements the order does not name (added by others) follow, in their current order.
 */
function orderList(field: string, list: unknown[], order: unknown[]): unknown[] {
  const sample = order.find(isRecord);
  const key = field === "ports" && sample ? portKey(sample) : mergeKeys[field];
  const identity = (item: unknown) => (key && isRecord(item) ? item[key] : item);
  const wanted = order.map(identity);
  const rank = (item: unknown) => {
    const index = wanted.findIndex((value) => isDeepStrictEqual(value, identity(item)));
    return index < 0 ? wanted.length : index;
  };
  return list
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ item }) => item);
}
