import "server-only";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether the repository's own path templates place `path` in ANOTHER known cluster's folder: for each
 * template with `{cluster}`, its segments up to that one (`clusters/{cluster}/`) are matched against the
 * path, and the folder must name one of `clusters` (a folder such as `misc/` is no cluster's). A search
 * over the whole repository finds a same-named secret of every cluster; only this cluster's may be
 * proposed to.
 */
export function isOtherClusterPath(
  path: string,
  templates: readonly string[],
  cluster: string,
  clusters: readonly string[],
): boolean {
  return templates.some((template) => {
    const segments = template.split("/");
    const at = segments.findIndex((segment) => segment.includes("{cluster}"));
    if (at < 0) return false;
    // A file name with {cluster} in it is the file, not a folder: compared whole.
    const prefix = at === segments.length - 1 ? template : `${segments.slice(0, at + 1).join("/")}/`;
    let clusterGroup = 0;
    let groups = 0;
    const pattern = prefix
      .split(/(\{\w+\})/)
      .map((part) => {
        const placeholder = /^\{(\w+)\}$/.exec(part);
        if (!placeholder) return escape(part);
        groups++;
        if (placeholder[1] === "cluster" && clusterGroup === 0) clusterGroup = groups;
        return "([\\w.-]+)";
      })
      .join("");
    const match = new RegExp(`^${pattern}${at === segments.length - 1 ? "$" : ""}`).exec(path);
    const folder = match?.[clusterGroup];
    return folder !== undefined && folder !== cluster && clusters.includes(folder);
  });
}
