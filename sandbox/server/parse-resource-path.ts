import "server-only";

export type ResourcePath = {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** Everything after `proxy/`, with a leading slash. */
  proxyPath?: string;
};

/**
 * Splits `/api/v1/namespaces/ns/secrets/name/status` and `/apis/g/v/...` into parts. `namespaces/<n>`
 * followed by `status` or `finalize` is the namespace's own subresource, not a collection inside it.
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (segments[0] === "api") {
    group = "";
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === "apis") {
    group = segments[1] ?? "";
    version = segments[2];
    rest = segments.slice(3);
  } else return undefined;
  if (!version || rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3 && rest[2] !== "status" && rest[2] !== "finalize") {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...tail] = rest;
  if (!plural) return undefined;
  const proxyPath = subresource === "proxy" ? `/${tail.join("/")}` : undefined;
  if (subresource !== "proxy" && tail.length > 0) return undefined;
  return { group, version, namespace, plural, name, subresource, proxyPath };
}
