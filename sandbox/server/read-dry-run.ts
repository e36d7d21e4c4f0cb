import "server-only";
import { ApiError } from "./api-error";

type WriteOptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions" | "DeleteOptions";

/**
 * The `dryRun` query parameter of a write: true for `dryRun=All`, false when absent. Any other value is
 * refused with 422 before anything runs, as the API server's ValidateDryRun does (`All` is the only
 * supported value; a dry run never half-happens).
 */
export function readDryRun(url: URL, options: WriteOptionsKind): boolean {
  const values = url.searchParams.getAll("dryRun");
  if (values.length === 0) return false;
  const unsupported = values.filter((value) => value !== "All");
  if (unsupported.length > 0) {
    const message = `Unsupported value: ${JSON.stringify(values)}: supported values: "All"`;
    throw new ApiError("Invalid", `${options}.meta.k8s.io "" is invalid: dryRun: ${message}`, {
      group: "meta.k8s.io",
      kind: options,
      causes: [{ reason: "FieldValueNotSupported", message, field: "dryRun" }],
    });
  }
  return true;
}
