import "server-only";

import { AppError } from "@/lib/errors/app-error";

import type { FindManifestFilesInput } from "./provider";
import { rankCandidates } from "./rank-candidates";

/**
 * `findManifestFiles` for the forges: the host's code search first (cheap and independent of the
 * repository's size, but it may be disabled or cover the default branch only), else a listing of the tree
 * at `ref`, ranked so the likeliest files are read first. A rate limit is reported rather than spent on
 * the listing too. `search` and `listFiles` return raw paths; only YAML/JSON files below `under` are kept.
 */
export async function findManifestCandidates(
  input: FindManifestFilesInput,
  host: { search?: () => Promise<string[]>; listFiles: () => Promise<string[]> },
): Promise<string[]> {
  const under = input.under ? `${input.under.replace(/\/$/, "")}/` : undefined;
  const wanted = (path: string) => /\.(ya?ml|json)$/.test(path) && (!under || path.startsWith(under));
  if (host.search) {
    try {
      // A search may name one file several times (GitLab answers per matching chunk).
      const found = [...new Set((await host.search()).filter(wanted))];
      if (found.length > 0) return found.slice(0, input.limit);
    } catch (error) {
      if (error instanceof AppError && error.code === "rate_limited") throw error;
    }
  }
  return rankCandidates((await host.listFiles()).filter(wanted), input);
}
