import "server-only";

/** One path segment of a template as a regex; `{cluster}` captures, the other placeholders match any name. */
function segmentPattern(segment: string): string {
  return segment
    .split(/(\{\w+\})/)
    .map((part) => {
      if (part === "{cluster}") return "([\\w.-]+)";
      if (/^\{\w+\}$/.test(part)) return "[\\w.-]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
}

/**
 * The cluster a manifest in a GitOps repository belongs to, read from the repository's path templates:
 * the first template with a `{cluster}` placeholder whose folders up to that placeholder match the
 * file's folders names the cluster (`{cluster}/{namespace}/{name}.sealedsecret.yaml` → any file below
 * `<cluster>/`, whatever its own name, e.g. a multi-document `sandbox/payments/secrets.yaml`).
 *
 * Null when no template has `{cluster}` or none matches: the file applies to whichever cluster holds that
 * namespace/name (one repository per cluster, or a layout Sealdeck cannot read).
 */
export function clusterFromGitPath(path: string, pathTemplates: readonly string[]): string | null {
  return compileClusterFromGitPath(pathTemplates)(path);
}

/** clusterFromGitPath with the templates compiled once, for many paths of one repository. */
export function compileClusterFromGitPath(pathTemplates: readonly string[]): (path: string) => string | null {
  const matchers = pathTemplates.flatMap((template) => {
    const parts = template.split("/");
    const at = parts.findIndex((part) => part.includes("{cluster}"));
    // The cluster must be a folder, not the file name itself.
    if (at < 0 || at >= parts.length - 1) return [];
    return [
      {
        depth: at + 1,
        prefix: new RegExp(
          `^${parts
            .slice(0, at + 1)
            .map(segmentPattern)
            .join("/")}$`,
        ),
      },
    ];
  });
  return (path) => {
    const segments = path.split("/");
    for (const { depth, prefix } of matchers) {
      if (segments.length <= depth) continue;
      const match = prefix.exec(segments.slice(0, depth).join("/"));
      if (match?.[1]) return match[1];
    }
    return null;
  };
}
