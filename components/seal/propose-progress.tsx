"use client";

import Link from "next/link";
import { useEffect, useId, useRef } from "react";
import { inputClassName } from "@/components/ui/text-field";
import { CampaignPullRequestChoice } from "./campaign-pull-request-choice";
import { ProposalPreview } from "./proposal-preview";
import { pathErrors, type FlowState, type FlowStep } from "./use-propose-flow";

const steps: { step: FlowStep; label: string }[] = [
  { step: "sealing", label: "Sealing in this browser" },
  { step: "validating", label: "Validating with each cluster's controller" },
  { step: "review", label: "Where it goes" },
  { step: "proposing", label: "Committing and opening the pull request" },
  { step: "done", label: "Pull request ready" },
];

const order: (FlowStep | "idle")[] = [
  "idle",
  "sealing",
  "validating",
  "locating",
  "review",
  "proposing",
  "done",
];

const viaText = {
  argocd: "found under the Argo CD Application's path",
  template: "found at the repository's path template",
  search: "found by searching the repository",
  new: "a new file at the repository's path template",
} as const;

type ProposeProgressProps = {
  state: FlowState;
  onPathChange: (cluster: string, path: string) => void;
  onPropose: () => void;
  onRetry: () => void;
  /** Sealing failed and the values are still in the form: seal again. */
  onRetrySealing: () => void;
  canRetrySealing: boolean;
  onStartOver: () => void;
  /** Add to the re-seal campaign's pull request (true) or open the secret's own. */
  onJoinCampaign?: (join: boolean) => void;
  /** A rotation: the rotated secret's page, where the result leads back to. */
  rotatedSecret?: { href: string; name: string };
};

function stepStatus(state: FlowState, step: FlowStep): "done" | "current" | "failed" | "pending" {
  const at = state.step === "locating" ? "review" : state.step;
  const index = order.indexOf(step);
  const atIndex = order.indexOf(at);
  if (
    state.failure &&
    (state.failure.step === step || (state.failure.step === "locating" && step === "review"))
  )
    return "failed";
  if (state.step === "done" || index < atIndex) return "done";
  return index === atIndex ? "current" : "pending";
}

const marks = { done: "✓", current: "…", failed: "✕", pending: "○" } as const;
const markClass = {
  done: "text-emerald-700 dark:text-emerald-400",
  current: "text-sky-700 dark:text-sky-400",
  failed: "text-red-700 dark:text-red-400",
  pending: "text-zinc-400 dark:text-zinc-600",
} as const;

/** The submit flow, step by step, with the results of each and a retry that keeps what is sealed. */
export function ProposeProgress({
  state,
  onPathChange,
  onPropose,
  onRetry,
  onRetrySealing,
  canRetrySealing,
  onStartOver,
  onJoinCampaign,
  rotatedSecret,
}: ProposeProgressProps) {
  const id = useId();
  const resultRef = useRef<HTMLDivElement>(null);
  const done = state.step === "done" && state.result !== null;
  // The form is locked once proposed: the result is where the user continues from.
  useEffect(() => {
    if (done) resultRef.current?.focus();
  }, [done]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const working = ["sealing", "validating", "locating", "proposing"].includes(state.step) && !state.failure;
  // Sealing locks the form and proposing replaces the Commit button: the control that had focus is
  // disabled or gone, and focus would fall to the page. Keep it on the progress being watched.
  useEffect(() => {
    if (!working) return;
    const active = document.activeElement;
    if (!active || active === document.body || active.tagName === "MAIN" || active.matches(":disabled"))
      headingRef.current?.focus();
  }, [working, state.step]);
  if (state.step === "idle") return null;
  const errors = pathErrors(state.paths);
  return (
    <section
      aria-labelledby={`${id}-title`}
      aria-busy={working}
      className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2
        id={`${id}-title`}
        ref={headingRef}
        tabIndex={-1}
        className="rounded-sm text-sm font-semibold focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
      >
        Proposing {state.request ? `${state.request.namespace}/${state.request.name}` : "the secret"}
      </h2>
      <ol aria-label="Progress" className="mt-3 space-y-3 text-sm">
        {steps.map(({ step, label }) => {
          const status = stepStatus(state, step);
          return (
            <li key={step} aria-current={status === "current" ? "step" : undefined} data-status={status}>
              <p className="flex items-center gap-2">
                <span aria-hidden className={`w-4 text-center font-bold ${markClass[status]}`}>
                  {marks[status]}
                </span>
                <span className={status === "pending" ? "text-zinc-500 dark:text-zinc-400" : "font-medium"}>
                  {label}
                </span>
                <span className="sr-only">({status})</span>
              </p>
              <div className="ml-6">
                {step === "sealing" && state.sealed && (
                  <p className="text-xs text-zinc-600 dark:text-zinc-400">
                    Sealed for {state.sealed.map((f) => f.cluster).join(", ")}; the values were cleared from
                    the form.
                  </p>
                )}
                {step === "validating" && state.verification && (
                  <ul aria-label="Validation results" className="mt-1 space-y-1 text-xs">
                    {state.verification.map((r) => (
                      <li key={r.cluster}>
                        <span className="font-medium">{r.cluster}</span>:{" "}
                        {r.outcome === "valid" && (
                          <span className="text-emerald-800 dark:text-emerald-300">
                            the controller can decrypt it
                          </span>
                        )}
                        {r.outcome === "invalid" && (
                          <span className="text-red-800 dark:text-red-300">
                            the controller cannot decrypt it{r.message ? ` (${r.message})` : ""}
                          </span>
                        )}
                        {r.outcome === "unreachable" && (
                          <span className="text-amber-800 dark:text-amber-300">
                            not checked: the controller could not be reached
                            {r.message ? ` (${r.message})` : ""}. Continuing; the pull request&apos;s
                            reviewers should know it was not validated.
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
                {step === "review" && state.located && (
                  <div className="mt-1 space-y-2">
                    <p className="text-xs text-zinc-600 dark:text-zinc-400">
                      Repository <span className="font-medium">{state.located.repository}</span>. Check each
                      file&apos;s path; you may change it to another of the repository&apos;s path templates
                      for the same cluster and namespace before committing.
                    </p>
                    {state.located.files.map((file) => (
                      <div key={file.cluster}>
                        <label htmlFor={`${id}-path-${file.cluster}`} className="block text-xs font-medium">
                          File for {file.cluster}
                        </label>
                        <input
                          id={`${id}-path-${file.cluster}`}
                          value={state.paths[file.cluster] ?? ""}
                          onChange={(event) => onPathChange(file.cluster, event.target.value)}
                          disabled={state.step !== "review"}
                          aria-invalid={Boolean(errors[file.cluster])}
                          aria-describedby={`${id}-path-${file.cluster}-help`}
                          spellCheck={false}
                          autoComplete="off"
                          className={`${inputClassName} font-mono`}
                        />
                        <p id={`${id}-path-${file.cluster}-help`} className="mt-0.5 text-xs">
                          {errors[file.cluster] ? (
                            <span className="text-red-700 dark:text-red-400">{errors[file.cluster]}</span>
                          ) : (
                            <span className="text-zinc-600 dark:text-zinc-400">
                              {viaText[file.via]}
                              {file.exists ? "; the file exists and will be merged into" : ""}.
                            </span>
                          )}
                        </p>
                      </div>
                    ))}
                    {state.located.campaignPullRequest && onJoinCampaign && (
                      <CampaignPullRequestChoice
                        pullRequest={state.located.campaignPullRequest}
                        join={state.joinCampaign}
                        onChange={onJoinCampaign}
                        // Also after a failed add: switch to the secret's own, then try again.
                        disabled={!(state.step === "review" || state.failure?.step === "proposing")}
                      />
                    )}
                    {state.sealed && state.step !== "done" && (
                      <ProposalPreview preview={state.preview} sealed={state.sealed} />
                    )}
                    {state.step === "review" && !state.failure && (
                      <button
                        type="button"
                        onClick={onPropose}
                        disabled={Object.keys(errors).length > 0}
                        className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-800 disabled:cursor-not-allowed disabled:opacity-50"
                      >
                        Commit and open the pull request
                      </button>
                    )}
                  </div>
                )}
                {step === "done" && state.result && (
                  <div
                    ref={resultRef}
                    tabIndex={-1}
                    role="status"
                    aria-label="Pull request ready"
                    data-testid="proposal-result"
                    className="mt-1 space-y-1 rounded-md outline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600"
                  >
                    {/^https?:\/\//.test(state.result.pullRequest.url) ? (
                      <p>
                        {state.result.created ? "Opened" : "Updated"} pull request{" "}
                        <a
                          href={state.result.pullRequest.url}
                          target="_blank"
                          rel="noreferrer"
                          className="font-medium text-sky-700 underline dark:text-sky-400"
                        >
                          #{state.result.pullRequest.number}
                        </a>{" "}
                        on branch <code data-testid="pull-request-branch">{state.result.branch}</code>.
                      </p>
                    ) : (
                      <p>
                        {state.result.created ? "Pushed" : "Updated"} branch{" "}
                        <code data-testid="pull-request-branch">{state.result.branch}</code> for review (plain
                        git has no pull requests: merge the branch to apply it).
                      </p>
                    )}
                    {state.result.sharedSecrets !== undefined && (
                      <p data-testid="shared-pull-request">
                        Added to the re-seal campaign&apos;s pull request, which now holds{" "}
                        {state.result.sharedSecrets} secrets.
                      </p>
                    )}
                    <p className="text-xs break-all text-zinc-600 dark:text-zinc-400">
                      <span className="sr-only">Link: </span>
                      <span data-testid="pull-request-url">{state.result.pullRequest.url}</span>
                    </p>
                    <ul className="text-xs text-zinc-600 dark:text-zinc-400">
                      {state.result.files.map((f) => (
                        <li key={f.cluster}>
                          {f.cluster}: <code>{f.path}</code>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      {state.failure && (
        <div
          role="alert"
          className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
        >
          <p>{state.failure.message}</p>
          <div className="mt-2 flex flex-wrap gap-3">
            {state.failure.step === "sealing" ? (
              canRetrySealing && (
                <button type="button" onClick={onRetrySealing} className="font-medium underline">
                  Try sealing again
                </button>
              )
            ) : (
              <button type="button" onClick={onRetry} className="font-medium underline">
                Try again (your sealed values are kept)
              </button>
            )}
            <button type="button" onClick={onStartOver} className="font-medium underline">
              Start over
            </button>
          </div>
        </div>
      )}
      {state.step === "done" && (
        <div className="mt-4 flex flex-wrap gap-x-4 gap-y-2 text-sm font-medium">
          {/* Where the journey goes on: the pull request's state, and Merge for a role that may merge
              (a plain-git branch has no other page to follow it on). */}
          <Link href="/changes?state=open" className="text-sky-700 underline dark:text-sky-400">
            Follow it on the Changes page
          </Link>
          {/* After a rotation, starting over would only offer the same rotation again: lead back to the
              secret, or on to a new one. */}
          {rotatedSecret ? (
            <>
              <Link href={rotatedSecret.href} className="text-sky-700 underline dark:text-sky-400">
                Back to {rotatedSecret.name}
              </Link>
              <Link href="/seal" className="text-sky-700 underline dark:text-sky-400">
                Seal a new secret
              </Link>
            </>
          ) : (
            <button type="button" onClick={onStartOver} className="text-sky-700 underline dark:text-sky-400">
              Seal another secret
            </button>
          )}
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {state.failure
          ? `Failed: ${state.failure.message}`
          : state.step === "done"
            ? "Pull request ready."
            : ""}
      </p>
    </section>
  );
}
