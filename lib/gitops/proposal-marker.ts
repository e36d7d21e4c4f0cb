import "server-only";

import { z } from "zod";

// A proposal's own record of what it changed, kept where the proposal lives: a hidden line in the PR
// body (and a trailer in the commit message, which is all plain git has). A later change to the same
// secret reads it to carry the pending values forward, and to notice commits Sealdeck did not make.

const MARKER = "Sealdeck-Proposal:";

const batchEntrySchema = z.object({
  secret: z.string(),
  path: z.string(),
  cluster: z.string(),
  keys: z.array(z.string()),
});
/** A secret a re-seal campaign added to this pull request besides `secret`: its file and key names. */
export type BatchEntry = z.infer<typeof batchEntrySchema>;

const markerSchema = z.object({
  v: z.literal(1),
  /** `namespace/name` of the secret. */
  secret: z.string(),
  /** Per file path: its cluster and the key names changed there (names only). */
  files: z.record(z.string(), z.object({ cluster: z.string(), keys: z.array(z.string()) })),
  /** The branch head Sealdeck last wrote; absent in commit trailers (a commit cannot name itself). */
  head: z.string().optional(),
  /** Other secrets added to this pull request (a re-seal campaign's batch); their files are not in `files`. */
  batch: z.array(batchEntrySchema).optional(),
});

export type ProposalMarker = z.infer<typeof markerSchema>;

export function formatMarkerTrailer(marker: Omit<ProposalMarker, "head">): string {
  return `${MARKER} ${JSON.stringify({
    v: 1,
    secret: marker.secret,
    files: marker.files,
    ...(marker.batch?.length ? { batch: marker.batch } : {}),
  })}`;
}

export function formatMarkerComment(marker: ProposalMarker): string {
  // `--` cannot occur in JSON of these values except inside strings; escape it so the comment stays closed.
  return `<!-- ${MARKER} ${JSON.stringify(marker).replace(/--/g, "\\u002d\\u002d")} -->`;
}

/** The last marker in a PR body or commit message, or null when there is none or it is malformed. */
export function readMarker(text: string): ProposalMarker | null {
  const lines = text.split("\n").filter((line) => line.includes(MARKER));
  const line = lines.at(-1);
  if (!line) return null;
  const json = line
    .slice(line.indexOf(MARKER) + MARKER.length)
    .replace(/-->\s*$/, "")
    .trim();
  try {
    const parsed = markerSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
