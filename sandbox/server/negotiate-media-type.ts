import "server-only";
import { ApiError } from "./api-error";

export type ResponseForm =
  | { form: "json"; contentType: string }
  | { form: "table"; version: "v1" | "v1beta1"; contentType: string }
  | { form: "metadata"; version: "v1" | "v1beta1"; contentType: string }
  | { form: "discovery"; version: "v2" | "v2beta1"; contentType: string };

/**
 * A real API server answers a Table or PartialObjectMetadata(List) request with plain
 * `Content-Type: application/json` (the serializer's type, without the `as=` parameters); clients
 * must tell the form from the body's kind. Aggregated discovery alone names its type in full.
 *
 * Picks the first representation of an Accept header the sandbox can produce. Clients list
 * alternatives (kubectl: Table then plain JSON), so unknown ones are skipped rather than refused.
 */
export function negotiateMediaType(
  accept: string | undefined,
  allowed: ResponseForm["form"][],
): ResponseForm {
  const candidates = (accept ?? "application/json").split(",").map((entry) => {
    const [type = "", ...rest] = entry.trim().split(";");
    const params = Object.fromEntries(
      rest.map((p) =>
        p
          .trim()
          .split("=")
          .map((s) => s.trim()),
      ),
    );
    return { type: type.trim(), params: params as Record<string, string | undefined>, raw: entry.trim() };
  });
  for (const { type, params } of candidates) {
    if (!["application/json", "application/*", "*/*", ""].includes(type)) continue;
    const as = params.as;
    if (!as) {
      if (allowed.includes("json")) return { form: "json", contentType: "application/json" };
      continue;
    }
    const version = params.v;
    if (
      as === "Table" &&
      params.g === "meta.k8s.io" &&
      (version === "v1" || version === "v1beta1") &&
      allowed.includes("table")
    ) {
      return { form: "table", version, contentType: "application/json" };
    }
    if (
      (as === "PartialObjectMetadataList" || as === "PartialObjectMetadata") &&
      params.g === "meta.k8s.io" &&
      (version === "v1" || version === "v1beta1") &&
      allowed.includes("metadata")
    ) {
      return { form: "metadata", version, contentType: "application/json" };
    }
    if (
      as === "APIGroupDiscoveryList" &&
      params.g === "apidiscovery.k8s.io" &&
      (version === "v2" || version === "v2beta1") &&
      allowed.includes("discovery")
    ) {
      return {
        form: "discovery",
        version,
        contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
      };
    }
  }
  throw new ApiError("NotAcceptable", `only the following media types are accepted: application/json`);
}
