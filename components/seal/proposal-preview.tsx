"use client";

import { useId } from "react";
import { foldUnchanged, lineDiff } from "./line-diff";
import type { PreviewState, SealedFile } from "./use-propose-flow";

type ProposalPreviewProps = { preview: PreviewState; sealed: readonly SealedFile[] };

const sourceText = {
  git: "changes to the file in Git",
  cluster: "the SealedSecret as it is in the cluster, adopted into Git, with the new values",
  none: "a new file",
} as const;

const lineClass = {
  same: "text-zinc-700 dark:text-zinc-300",
  added: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200",
  removed: "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-200",
} as const;
const marks = { same: " ", added: "+", removed: "-" } as const;

/**
 * What will be committed, per file: the diff against the branch it lands on (the base branch, or the
 * campaign's pull request when adding to it), or the adopted manifest, or the new file.
 */
export function ProposalPreview({ preview, sealed }: ProposalPreviewProps) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} aria-busy={preview.status === "loading"} className="mt-3">
      <h3 id={`${id}-title`} className="text-xs font-semibold">
        What will be committed
      </h3>
      {preview.status === "loading" && (
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Building the preview…</p>
      )}
      {preview.status === "error" && (
        <p role="alert" className="mt-1 text-xs text-red-800 dark:text-red-300">
          No preview: {preview.message}
        </p>
      )}
      {preview.status === "ready" && (
        <p data-testid="preview-compared-with" className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          Compared with{" "}
          <span className="font-mono break-all">
            {preview.base.branch} at {preview.base.commit.slice(0, 7)}
          </span>
          {preview.base.shared ? ", the campaign's pull request" : ""}.
        </p>
      )}
      {preview.status === "ready" &&
        preview.files.map((file) => {
          const fingerprint = sealed.find((f) => f.cluster === file.cluster)?.certificateFingerprint;
          const lines = foldUnchanged(lineDiff(file.before ?? "", file.after));
          return (
            <figure
              key={file.path}
              aria-label={`Preview of ${file.path}`}
              data-testid={`preview-${file.cluster}`}
              className="mt-2 rounded-md border border-zinc-200 dark:border-zinc-800"
            >
              <figcaption className="border-b border-zinc-200 px-2 py-1 text-xs dark:border-zinc-800">
                <span className="font-mono font-medium break-all">{file.path}</span> ({file.cluster}):{" "}
                {sourceText[file.beforeSource]}.
                {fingerprint && (
                  <span className="block break-all text-zinc-600 dark:text-zinc-400">
                    Sealed with the certificate{" "}
                    <span data-testid={`preview-fingerprint-${file.cluster}`} className="font-mono">
                      SHA-256 {fingerprint}
                    </span>
                  </span>
                )}
              </figcaption>
              <pre aria-label={`Changes to ${file.path}`} className="text-[11px] leading-4">
                {lines.map((line, index) =>
                  line.type === "skipped" ? (
                    <div key={index} className="px-2 text-zinc-500 italic dark:text-zinc-400">
                      … {line.count} unchanged line{line.count === 1 ? "" : "s"}
                    </div>
                  ) : (
                    <div
                      key={index}
                      data-diff={line.type}
                      className={`px-2 break-all whitespace-pre-wrap ${lineClass[line.type]}`}
                    >
                      <span aria-hidden className="select-none">
                        {marks[line.type]}{" "}
                      </span>
                      {line.type !== "same" && (
                        <span className="sr-only">{line.type === "added" ? "Added: " : "Removed: "}</span>
                      )}
                      {line.text}
                    </div>
                  ),
                )}
              </pre>
            </figure>
          );
        })}
    </section>
  );
}
