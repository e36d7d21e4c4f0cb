import "server-only";
import type { KubeObject } from "../../server/kube-object";
import { isRecord, pick } from "../../server/kube-object";

type FakeEntry = { key: string; value: string; version?: string };

export class ProviderError extends Error {}

function fakeEntries(store: KubeObject): FakeEntry[] {
  const data = pick(store, "spec", "provider", "fake", "data");
  return Array.isArray(data)
    ? data.filter(isRecord).map((d) => ({
        key: String(d.key ?? ""),
        value: typeof d.value === "string" ? d.value : JSON.stringify(d.valueMap ?? ""),
        version: typeof d.version === "string" ? d.version : undefined,
      }))
    : [];
}

function lookup(entries: FakeEntry[], key: string, version: string | undefined): string {
  const candidates = entries.filter((e) => e.key === key);
  const found = version
    ? candidates.find((e) => e.version === version)
    : (candidates.find((e) => !e.version) ?? candidates.at(-1));
  if (!found)
    throw new ProviderError(`error retrieving secret at .data[0], key: ${key}, err: Secret does not exist`);
  return found.value;
}

function property(value: string, path: string, key: string): string {
  let current: unknown;
  try {
    current = JSON.parse(value);
  } catch {
    throw new ProviderError(`key ${key} is not JSON, cannot read property ${path}`);
  }
  for (const part of path.split(".")) current = isRecord(current) ? current[part] : undefined;
  if (current === undefined) throw new ProviderError(`property ${path} does not exist in key ${key}`);
  return typeof current === "string" ? current : JSON.stringify(current);
}

/**
 * Resolves an ExternalSecret's `data` and `dataFrom` against a store with the `fake` provider, the way
 * ESO's own fake provider answers: key (+ version), `property` into JSON values, `extract` and `find`.
 */
export function fetchProviderData(store: KubeObject, externalSecret: KubeObject): Record<string, string> {
  const entries = fakeEntries(store);
  const out: Record<string, string> = {};
  const data = pick(externalSecret, "spec", "data");
  for (const item of Array.isArray(data) ? data.filter(isRecord) : []) {
    const ref = isRecord(item.remoteRef) ? item.remoteRef : {};
    const key = String(ref.key ?? "");
    const raw = lookup(entries, key, typeof ref.version === "string" ? ref.version : undefined);
    out[String(item.secretKey ?? key)] =
      typeof ref.property === "string" ? property(raw, ref.property, key) : raw;
  }
  const dataFrom = pick(externalSecret, "spec", "dataFrom");
  for (const item of Array.isArray(dataFrom) ? dataFrom.filter(isRecord) : []) {
    if (isRecord(item.extract)) {
      const key = String(item.extract.key ?? "");
      const raw = lookup(
        entries,
        key,
        typeof item.extract.version === "string" ? item.extract.version : undefined,
      );
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new ProviderError(`unable to unmarshal secret ${key}: not a JSON object`);
      }
      if (!isRecord(parsed)) throw new ProviderError(`unable to unmarshal secret ${key}: not a JSON object`);
      for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
    } else if (isRecord(item.find)) {
      const pattern = pick(item.find, "name", "regexp");
      const regexp = new RegExp(typeof pattern === "string" ? pattern : ".*");
      for (const entry of entries)
        if (regexp.test(entry.key)) out[entry.key.replace(/[^-._a-zA-Z0-9]/g, "_")] = entry.value;
    }
  }
  return out;
}

/**
 * Set to "true" on a SecretStore or ClusterSecretStore, the sandbox treats its provider as unreachable
 * (a network outage, expired auth): validation fails as upstream's does, and its ExternalSecrets stop
 * syncing until the annotation is removed.
 */
export const unreachableAnnotation = "sandbox.sealdeck.io/unreachable";

/** Whether a store can serve: only the fake provider is emulated; anything else fails validation. */
export function validateStore(store: KubeObject): { ready: boolean; reason: string; message: string } {
  // Upstream (pkg/controllers/secretstore/common.go): a failed Validate() sets Ready=False with these
  // words; the provider's own error goes only into an event.
  if (store.metadata.annotations?.[unreachableAnnotation] === "true")
    return { ready: false, reason: "InvalidProviderConfig", message: "unable to validate store" };
  const provider = pick(store, "spec", "provider");
  if (!isRecord(provider) || Object.keys(provider).length !== 1) {
    return { ready: false, reason: "InvalidProviderConfig", message: "store must have exactly one provider" };
  }
  const [name] = Object.keys(provider);
  if (name !== "fake") {
    return {
      ready: false,
      reason: "ValidationFailed",
      message: `unable to validate store: the sandbox cannot reach provider "${name}"`,
    };
  }
  return { ready: true, reason: "Valid", message: "store validated" };
}
