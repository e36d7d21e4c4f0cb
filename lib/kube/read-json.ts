import "server-only";

// Raw Kubernetes JSON is untrusted shape-wise (CRDs differ across versions); these readers narrow it
// without casts scattered through the normalizers.
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function strMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(obj(value))) if (typeof entry === "string") out[key] = entry;
  return out;
}
