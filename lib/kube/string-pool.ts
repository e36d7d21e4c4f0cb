import "server-only";

/**
 * One copy of each repeated string. JSON.parse gives every object its own copy of its namespace, API
 * version, label values and condition texts; across 100,000 cached objects those copies add up to tens
 * of MB. Bounded, so a cluster full of unique values cannot grow it without limit: past `limit`
 * strings, new ones are simply not pooled. Owned by one inventory (no module-level state).
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly limit = 50_000) {}

  intern<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const kept = this.pool.get(value);
    if (kept !== undefined) return kept as T;
    if (this.pool.size < this.limit) this.pool.set(value, value);
    return value;
  }

  /** A string map with pooled keys and values (labels, annotations). */
  internMap(map: Record<string, string> | undefined): Record<string, string> | undefined {
    if (!map) return map;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(map))
      out[this.intern(key)] = typeof value === "string" ? this.intern(value) : value;
    return out;
  }

  get size(): number {
    return this.pool.size;
  }
}

type Internable = {
  apiVersion?: string;
  kind?: string;
  metadata: {
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion?: string; kind?: string }[];
  };
  status?: unknown;
};

/**
 * Pools the low-cardinality strings of an object the cache owns (a fresh copy from the border), in
 * place: namespace, API version and kind, label keys and values, annotation keys, owner kinds and
 * condition texts. Names, uids, resourceVersions and timestamps are left alone: mostly unique, they
 * would only fill the pool.
 */
export function internObject<T extends Internable>(pool: StringPool, object: T): T {
  if (object.apiVersion !== undefined) object.apiVersion = pool.intern(object.apiVersion);
  if (object.kind !== undefined) object.kind = pool.intern(object.kind);
  const metadata = object.metadata;
  if (metadata.namespace !== undefined) metadata.namespace = pool.intern(metadata.namespace);
  if (metadata.labels) metadata.labels = pool.internMap(metadata.labels);
  if (metadata.annotations) {
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(metadata.annotations)) annotations[pool.intern(key)] = value;
    metadata.annotations = annotations;
  }
  for (const owner of metadata.ownerReferences ?? []) {
    if (owner.apiVersion !== undefined) owner.apiVersion = pool.intern(owner.apiVersion);
    if (owner.kind !== undefined) owner.kind = pool.intern(owner.kind);
  }
  const conditions = (object.status as { conditions?: unknown } | undefined)?.conditions;
  if (Array.isArray(conditions))
    for (const condition of conditions as Record<string, unknown>[]) {
      if (condition === null || typeof condition !== "object") continue;
      for (const field of ["type", "status", "reason", "message"])
        if (typeof condition[field] === "string") condition[field] = pool.intern(condition[field]);
    }
  return object;
}
