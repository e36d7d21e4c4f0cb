import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { findMergeTarget, type MergeTarget } from "@/lib/sealing";

import { isOtherClusterPath } from "./is-other-cluster-path";
import type { GitProvider, RepoFile } from "./provider";

/** The Argo CD Application that syncs the secret, as read from the cluster (spec.source). */
export type ApplicationSource = { repoURL: string; path?: string; targetRevision?: string };

export type LocateManifestInput = {
  provider: GitProvider;
  repository: {
    baseBranch: string;
    pathTemplates: readonly string[];
    /** URLs this repository is known by, to recognise an Application's `repoURL`. */
    urls: readonly string[];
  };
  secret: { cluster: string; namespace: string; name: string; app?: string };
  /** Every cluster Sealdeck knows: a search skips files the templates place in another one's folder. */
  clusters?: readonly string[];
  application?: ApplicationSource | null;
  /** At most this many candidate files are read when searching; default 25. */
  searchLimit?: number;
};

export type LocatedManifest = {
  path: string;
  /** The branch or revision it was found at. */
  ref: string;
  via: "argocd" | "template" | "search" | "new";
  /** The file as it is now (also for a new secret whose template file holds others), else null. */
  file: RepoFile | null;
  /** The SealedSecret to merge into; null for a new secret. */
  target: MergeTarget | null;
  /** Every path the repository's templates give this secret: the others a proposal may choose. */
  templatePaths: string[];
};

/** `https://user@Host/acme/deploy.git/` and `git@host:acme/deploy` → `host/acme/deploy`. */
export function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .replace(/^[a-z+]+:\/\//i, "")
    .replace(/^[^@/]+@/, "")
    .replace(/^([^/:]+):(?!\d+\/)/, "$1/")
    .replace(/:\d+\//, "/")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .replace(/^[^/]+/, (host) => host.toLowerCase());
}

/** Fills `{cluster}` `{namespace}` `{name}` `{app}`; null when a placeholder has no value. */
export function expandPathTemplate(
  template: string,
  values: Record<string, string | undefined>,
): string | null {
  let missing = false;
  const path = template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (!value || !/^[\w.-]+$/.test(value) || value === "." || value === "..") missing = true;
    return value ?? "";
  });
  return missing ? null : path;
}

function matchIn(file: RepoFile, secret: LocateManifestInput["secret"]): MergeTarget | null {
  try {
    const target = findMergeTarget(file.content, { name: secret.name, namespace: secret.namespace });
    return target.namespace === secret.namespace ? target : null;
  } catch {
    return null;
  }
}

/**
 * Finds the file that holds (or should hold) a SealedSecret: under the owning Argo CD Application's
 * path when it syncs from this repository, else at the configured path templates, else by searching the
 * repository (candidates parsed, multi-document, with findMergeTarget, skipping files the templates
 * place in another known cluster's folder); a new secret goes to the first template that can be filled.
 */
export async function locateManifest(input: LocateManifestInput): Promise<LocatedManifest> {
  const { provider, repository, secret } = input;
  const limit = input.searchLimit ?? 25;
  const base = repository.baseBranch;

  const searchUnder = async (ref: string, under: string | undefined) => {
    const candidates = await provider.findManifestFiles({
      name: secret.name,
      namespace: secret.namespace,
      ref,
      under,
      limit,
    });
    for (const path of candidates.slice(0, limit)) {
      if (isOtherClusterPath(path, repository.pathTemplates, secret.cluster, input.clusters ?? [])) continue;
      const file = await provider.readFile(path, ref);
      const target = file ? matchIn(file, secret) : null;
      if (file && target) return { path, file, target };
    }
    return null;
  };

  const values = { cluster: secret.cluster, namespace: secret.namespace, name: secret.name, app: secret.app };
  const paths = [
    ...new Set(
      repository.pathTemplates.flatMap((t) => {
        const path = expandPathTemplate(t, values);
        return path ? [path] : [];
      }),
    ),
  ];

  const app = input.application;
  const known = new Set(repository.urls.map(normalizeRepoUrl));
  if (app && known.has(normalizeRepoUrl(app.repoURL))) {
    const revision = app.targetRevision && app.targetRevision !== "HEAD" ? app.targetRevision : base;
    const under = app.path && app.path !== "." ? app.path.replace(/^\.?\/+|\/+$/g, "") : undefined;
    const found = await searchUnder(revision, under);
    if (found) return { ...found, ref: revision, via: "argocd", templatePaths: paths };
  }

  let firstFile: RepoFile | null | undefined;
  for (const path of paths) {
    const file = await provider.readFile(path, base);
    if (firstFile === undefined) firstFile = file;
    const target = file ? matchIn(file, secret) : null;
    if (file && target) return { path, ref: base, via: "template", file, target, templatePaths: paths };
  }

  const found = await searchUnder(base, undefined);
  if (found) return { ...found, ref: base, via: "search", templatePaths: paths };

  const [newPath] = paths;
  if (!newPath)
    throw new AppError(
      "unprocessable",
      `No path template fits ${secret.namespace}/${secret.name} on ${secret.cluster}; configure one in Settings.`,
    );
  return {
    path: newPath,
    ref: base,
    via: "new",
    file: firstFile ?? null,
    target: null,
    templatePaths: paths,
  };
}
