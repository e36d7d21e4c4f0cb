import { stringify } from "yaml";

import type { SealedSecretManifest } from "./sealed-secret-manifest";

export type ManifestFormat = "yaml" | "json";

/**
 * Serializes SealedSecrets for a file or a pull request. YAML: 2-space indent, no line folding (a
 * folded base64 value is valid YAML but breaks line-based diffs and grep), several objects separated by
 * `---`. JSON: 2-space indent like kubeseal's `--format json`, several objects one after the other as
 * kubeseal prints them. Always ends with a newline.
 */
export function formatManifest(
  manifests: SealedSecretManifest | readonly SealedSecretManifest[],
  format: ManifestFormat,
): string {
  const list: readonly SealedSecretManifest[] = Array.isArray(manifests)
    ? manifests
    : [manifests as SealedSecretManifest];
  if (format === "json") return list.map((m) => `${JSON.stringify(m, null, 2)}\n`).join("");
  return list.map((m) => stringify(m, { lineWidth: 0, indent: 2 })).join("---\n");
}
