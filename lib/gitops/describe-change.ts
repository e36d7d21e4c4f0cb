import "server-only";

import type { SealingScope } from "@/lib/validations/secret-record";

import {
  formatMarkerComment,
  formatMarkerTrailer,
  type BatchEntry,
  type ProposalMarker,
} from "./proposal-marker";

/** What a proposal is about: names and metadata only, never a value (the server never sees one). */
export type ChangeDescription = {
  secret: { namespace: string; name: string };
  action: "create" | "rotate" | "update";
  /** Key names changed by this request. */
  keys: readonly string[];
  clusters: readonly string[];
  scope: SealingScope;
  /** SHA-256 fingerprint of the certificate each cluster's values were sealed with. */
  certificates: readonly { cluster: string; fingerprint: string }[];
  reason?: string;
  ticket?: string;
  requestedBy: { name: string; email: string; login?: string };
  /** Link back to the secret in the dashboard. */
  dashboardUrl?: string;
  /** Clusters whose live SealedSecret was in no file and is written into Git by this change. */
  adopted?: readonly string[];
};

export type DescribedFile = { path: string; cluster: string; keys: readonly string[] };

export type ChangeText = { branch: string; commitMessage: string; title: string; body: string };

const VERBS = { create: "Add", rotate: "Rotate", update: "Update" } as const;

/** One branch per secret, so a second change to it finds and updates the same pull request. */
export function proposalBranch(prefix: string, secret: { namespace: string; name: string }): string {
  const part = (value: string) =>
    value
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/\.{2,}/g, ".")
      .replace(/^[.-]+|[.-]+$/g, "") || "_";
  return `${prefix}/${secret.namespace ? part(secret.namespace) : "_cluster-wide"}/${part(secret.name)}`;
}

/** User-typed text on one line, bounded, unable to open markup or close our hidden marker. */
function oneLine(value: string, max: number): string {
  const flat = value
    .replace(/[\r\n\t]+/g, " ")
    .replace(/<!--|-->/g, "")
    .replace(/[<>]/g, "")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const code = (value: string) => `\`${value.replace(/`/g, "'")}\``;

function listKeys(keys: readonly string[], max = 4): string {
  const shown = keys.slice(0, max).join(", ");
  return keys.length > max ? `${shown} +${keys.length - max} more` : shown;
}

const BATCH_HEADING = "Also in this pull request (added by a re-seal campaign):";

/** The batch's part of a body: each added secret with its file and key names. */
function batchLines(batch: readonly BatchEntry[]): string[] {
  if (batch.length === 0) return [];
  return [
    "",
    BATCH_HEADING,
    ...batch.map(
      (b) =>
        `- ${code(b.secret)}: ${code(oneLine(b.path, 300))} (${oneLine(b.cluster, 60)}): ${b.keys.map(code).join(", ") || "new"}`,
    ),
  ];
}

/** The title of a pull request several campaign secrets share: every secret in it, bounded. */
export function batchTitle(secrets: readonly string[], clusters: readonly string[]): string {
  return oneLine(
    `Re-seal ${secrets.length} sealed secrets ${secrets.join(", ")}` +
      (clusters.length > 0 ? ` on ${[...new Set(clusters)].sort().join(", ")}` : ""),
    120,
  );
}

/**
 * Title, body and commit message after one more campaign secret was added to an open pull request:
 * the body Sealdeck wrote is kept up to its batch section (or marker), which is written anew with the
 * whole batch; the commit's trailer carries the full marker (plain git's description is the head commit).
 */
export function describeBatchAddition(
  existingBody: string,
  marker: Omit<ProposalMarker, "head">,
  added: {
    secret: string;
    keys: readonly string[];
    clusters: readonly string[];
    requestedBy: ChangeDescription["requestedBy"];
  },
  head?: string,
): { title: string; body: string; commitMessage: string } {
  const batch = marker.batch ?? [];
  const clusters = [...Object.values(marker.files).map((f) => f.cluster), ...batch.map((b) => b.cluster)];
  const title = batchTitle([marker.secret, ...batch.map((b) => b.secret)], clusters);
  const lines = existingBody.split("\n");
  const cut = lines.findIndex((line) => line === BATCH_HEADING || line.includes("Sealdeck-Proposal:"));
  const kept = (cut === -1 ? lines : lines.slice(0, cut)).join("\n").trimEnd();
  const body = [
    kept,
    ...batchLines(batch),
    "",
    formatMarkerComment({ ...marker, ...(head ? { head } : {}) }),
    "",
  ].join("\n");
  const who = oneLine(
    added.requestedBy.login
      ? `${added.requestedBy.name} (@${added.requestedBy.login})`
      : `${added.requestedBy.name} <${added.requestedBy.email}>`,
    120,
  );
  const commitMessage = [
    title,
    "",
    `Added: ${added.secret} (${added.keys.join(", ")}) on ${[...added.clusters].sort().join(", ")}`,
    `Requested by: ${who}`,
    ...batch.map((b) => `In this pull request: ${b.secret} (${b.path})`),
    "",
    formatMarkerTrailer(marker),
    "",
  ].join("\n");
  return { title, body, commitMessage };
}

/**
 * Branch, commit message, PR title and body for a change. `files` lists every file the proposal touches
 * with the keys it changes there (for an updated PR, the pending keys too); `head` is the commit the
 * body describes, recorded so a later update can tell whether someone else pushed to the branch.
 */
export function describeChange(
  change: ChangeDescription,
  options: {
    branchPrefix: string;
    files: readonly DescribedFile[];
    head?: string;
    /** Secrets a re-seal campaign added to this pull request: kept in the title, body and marker. */
    batch?: readonly BatchEntry[];
  },
): ChangeText {
  const batch = options.batch ?? [];
  const secret = change.secret.namespace
    ? `${change.secret.namespace}/${change.secret.name}`
    : change.secret.name;
  const allKeys = [...new Set(options.files.flatMap((f) => f.keys))].sort();
  const clusters = [...new Set(change.clusters)].sort();
  const title =
    batch.length > 0
      ? batchTitle([secret, ...batch.map((b) => b.secret)], [...clusters, ...batch.map((b) => b.cluster)])
      : oneLine(
          `${VERBS[change.action]} sealed secret ${secret}` +
            (change.action === "create" ? "" : ` (${listKeys(allKeys)})`) +
            (clusters.length > 0 ? ` on ${clusters.join(", ")}` : ""),
          120,
        );
  const who = oneLine(
    change.requestedBy.login
      ? `${change.requestedBy.name} (@${change.requestedBy.login})`
      : `${change.requestedBy.name} <${change.requestedBy.email}>`,
    120,
  );
  const marker = {
    v: 1 as const,
    secret,
    files: Object.fromEntries(
      options.files.map((f) => [f.path, { cluster: f.cluster, keys: [...f.keys].sort() }]),
    ),
    ...(batch.length > 0 ? { batch: [...batch] } : {}),
  };

  const details = [
    `Secret: ${secret}`,
    `Keys: ${allKeys.join(", ") || "(none)"}`,
    `Clusters: ${clusters.join(", ") || "(none)"}`,
    `Scope: ${change.scope}`,
    ...change.certificates.map((c) => `Certificate (${c.cluster}): ${c.fingerprint}`),
    ...(change.reason ? [`Reason: ${oneLine(change.reason, 300)}`] : []),
    ...(change.ticket ? [`Ticket: ${oneLine(change.ticket, 100)}`] : []),
    `Requested by: ${who}`,
    ...(change.adopted?.length ? [`Adopted from the cluster: ${change.adopted.join(", ")}`] : []),
    ...(change.dashboardUrl ? [`Dashboard: ${change.dashboardUrl}`] : []),
    ...batch.map((b) => `In this pull request: ${b.secret} (${b.path})`),
  ];
  const commitMessage = [title, "", ...details, "", formatMarkerTrailer(marker), ""].join("\n");

  const body = [
    `Sealdeck proposes to ${VERBS[change.action].toLowerCase()} the sealed secret ${code(secret)}.`,
    "Only ciphertext is committed: the values were sealed in the requester's browser.",
    ...(change.adopted?.length
      ? [
          "",
          `No file held it on ${change.adopted.map(code).join(", ")}: its SealedSecret there (metadata and ` +
            "ciphertext only) is adopted into Git by this change, with the new values merged in.",
        ]
      : []),
    "",
    "| | |",
    "|---|---|",
    `| Keys | ${allKeys.map(code).join(", ") || "(none)"} |`,
    `| Clusters | ${clusters.map(code).join(", ") || "(none)"} |`,
    `| Scope | ${change.scope} |`,
    ...change.certificates.map((c) => `| Certificate (${oneLine(c.cluster, 60)}) | ${code(c.fingerprint)} |`),
    ...(change.reason ? [`| Reason | ${oneLine(change.reason, 300).replace(/\|/g, "\\|")} |`] : []),
    ...(change.ticket ? [`| Ticket | ${oneLine(change.ticket, 100).replace(/\|/g, "\\|")} |`] : []),
    `| Requested by | ${who.replace(/\|/g, "\\|")} |`,
    "",
    "Files:",
    ...options.files.map((f) => `- ${code(f.path)} (${f.cluster}): ${f.keys.map(code).join(", ") || "new"}`),
    ...(change.dashboardUrl ? ["", `[Open in Sealdeck](${change.dashboardUrl})`] : []),
    ...batchLines(batch),
    "",
    formatMarkerComment({ ...marker, ...(options.head ? { head: options.head } : {}) }),
    "",
  ].join("\n");

  return { branch: proposalBranch(options.branchPrefix, change.secret), commitMessage, title, body };
}
