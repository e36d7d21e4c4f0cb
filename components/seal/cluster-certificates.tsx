"use client";

import { useQueryClient } from "@tanstack/react-query";
import { sealingCertificateKeys, type ClusterCertificateState } from "@/lib/queries/use-sealing-certificates";
import { controllerLabel } from "@/lib/validations/cluster-status";
import { useLastFingerprint } from "./last-fingerprints";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

type ClusterCertificatesProps = { states: readonly ClusterCertificateState[] };

/** Each chosen cluster's certificate: fingerprint, expiry, and a warning when it changed since last time. */
export function ClusterCertificates({ states }: ClusterCertificatesProps) {
  const queryClient = useQueryClient();

  if (states.length === 0)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Choose a cluster to fetch its sealing certificate.
      </p>
    );
  return (
    <ul aria-label="Sealing certificates" className="space-y-2">
      {states.map((state) => (
        <li
          key={state.cluster}
          aria-label={`Certificate of ${state.cluster}`}
          className="rounded-md border border-zinc-200 p-3 text-xs dark:border-zinc-800"
        >
          <p className="text-sm font-medium">{state.cluster}</p>
          {state.status === "loading" && (
            <p role="status" className="mt-1 text-zinc-600 dark:text-zinc-400">
              Fetching the controller&apos;s certificate…
            </p>
          )}
          {state.status === "error" && (
            <div role="alert" className="mt-1 text-red-800 dark:text-red-300">
              <p>Its certificate could not be fetched: {state.message}</p>
              <button
                type="button"
                onClick={() =>
                  void queryClient.refetchQueries({ queryKey: sealingCertificateKeys.cluster(state.cluster) })
                }
                className="mt-1 font-medium text-sky-700 underline dark:text-sky-400"
              >
                Try again
              </button>
            </div>
          )}
          {state.status === "ready" && <CertificateFacts state={state} />}
        </li>
      ))}
    </ul>
  );
}

function CertificateFacts({ state }: { state: Extract<ClusterCertificateState, { status: "ready" }> }) {
  const lastFingerprint = useLastFingerprint(state.cluster);
  const { key, response, daysLeft } = state.certificate;
  const fingerprint = key.certificate.fingerprintSha256;
  const notAfter = key.certificate.notAfter;
  const changed = lastFingerprint !== null && lastFingerprint !== fingerprint;
  return (
    <>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
        <dt className="text-zinc-600 dark:text-zinc-400">Fingerprint</dt>
        <dd className="font-mono break-all" data-testid={`certificate-fingerprint-${state.cluster}`}>
          SHA-256 {fingerprint}
        </dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Expires</dt>
        <dd>
          {dateFormat.format(notAfter)} (UTC)
          {daysLeft >= 0 ? `, in ${daysLeft} day${daysLeft === 1 ? "" : "s"}` : ""}
        </dd>
        <dt className="text-zinc-600 dark:text-zinc-400">Controller</dt>
        <dd className="break-all">{controllerLabel(response.controller)}</dd>
      </dl>
      {response.expired && (
        <p role="note" className="mt-2 text-amber-800 dark:text-amber-300">
          This certificate has expired. The controller keeps every key, so values sealed with it still unseal,
          but the controller should have renewed it: tell whoever runs the cluster.
        </p>
      )}
      {changed && (
        <p
          role="note"
          data-testid={`certificate-changed-${state.cluster}`}
          className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          This cluster&apos;s certificate changed since you last sealed for it (then SHA-256{" "}
          {lastFingerprint.slice(0, 16)}…). That is expected after the controller renews its key; if you did
          not expect it, check with whoever runs the cluster before sealing.
        </p>
      )}
    </>
  );
}
