"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, useTransition } from "react";

import { InlineQueryError } from "@/components/ui/inline-query-error";
import { reencryptSealedSecrets } from "@/lib/gitops/actions/reencrypt-sealed-secrets";
import { reencryptionKeys, useReencryptionCandidates } from "@/lib/queries/use-reencryption-candidates";
import type { ReencryptSealedSecretsResult } from "@/lib/validations/reencryption";

import { mutedClass, primaryButtonClass } from "./settings-classes";

const short = (fingerprint: string | null) => (fingerprint ? `${fingerprint.slice(0, 12)}…` : "unknown");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const webUrl = (url: string) => (/^https?:\/\//.test(url) ? url : null);

/** Settings → Clusters: SealedSecrets sealed with older keys, and one pull request per repository to fix them. */
export function ReencryptionPanel({ cluster }: { cluster: string }) {
  const query = useReencryptionCandidates(cluster);
  const queryClient = useQueryClient();
  const [includeUnknown, setIncludeUnknown] = useState(false);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ReencryptSealedSecretsResult | null>(null);
  const headingId = useId();
  const unknownId = useId();

  if (query.isPending)
    return (
      <p role="status" className={`mt-3 text-sm ${mutedClass}`}>
        Checking which SealedSecrets are sealed with older keys…
      </p>
    );
  if (query.isError)
    return (
      <div className="mt-3">
        <InlineQueryError
          message="The SealedSecrets to re-encrypt could not be listed:"
          error={query.error}
          onRetry={() => void query.refetch()}
          focusRing
        />
      </div>
    );
  const data = query.data;
  if (data.error)
    return (
      <p role="note" className={`mt-3 text-sm ${mutedClass}`}>
        Re-encryption: {data.error}
      </p>
    );
  const older = data.candidates.filter((c) => c.status === "older");
  const unknown = data.candidates.filter((c) => c.status === "unknown");
  const chosen = includeUnknown ? data.candidates : older;

  const run = () =>
    startTransition(async () => {
      setError(null);
      setResult(null);
      try {
        const answer = await reencryptSealedSecrets({
          cluster,
          includeUnknown,
          secrets: chosen.map((c) => ({ namespace: c.namespace, name: c.name })),
        });
        if (!answer.ok) setError(answer.error);
        else setResult(answer.data);
      } catch {
        setError("Sealdeck could not be reached; nothing was re-encrypted. Retry.");
      }
      await queryClient.invalidateQueries({ queryKey: reencryptionKeys.cluster(cluster) });
    });

  return (
    <section className="mt-3" aria-labelledby={headingId} data-testid={`reencryption-${cluster}`}>
      <h4 id={headingId} className="text-sm font-semibold">
        {older.length === 0
          ? "No SealedSecret is sealed with an older key"
          : `${plural(older.length, "SealedSecret")} sealed with older keys`}
        {unknown.length > 0 && (
          <span className={`font-normal ${mutedClass}`}>, {unknown.length} with an unknown key</span>
        )}
      </h4>
      <p className={`text-xs ${mutedClass}`}>
        Newest key {short(data.newestKey)} · {plural(data.current, "SealedSecret")} already sealed with it.
        The controller re-encrypts each one (<code>/v1/rotate</code>); Sealdeck only moves ciphertext.
      </p>
      {data.candidates.length > 0 && (
        <div className="mt-2">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">SealedSecrets of {cluster} not sealed with the newest key</caption>
            <thead className={`text-xs ${mutedClass}`}>
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  SealedSecret
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  Repository
                </th>
                <th scope="col" className="py-1 font-medium">
                  Sealed with
                </th>
              </tr>
            </thead>
            <tbody>
              {data.candidates.map((c) => (
                <tr
                  key={`${c.namespace}/${c.name}`}
                  className="border-t border-zinc-200 dark:border-zinc-800"
                >
                  <td className="py-1 pr-3 font-mono text-xs">
                    {c.namespace}/{c.name}
                  </td>
                  <td className="py-1 pr-3 text-xs">
                    {c.repository ?? <span className={mutedClass}>found when proposing</span>}
                  </td>
                  <td className="py-1 font-mono text-xs" title={c.sealedWith ?? undefined}>
                    {c.status === "unknown" ? (
                      <span className={mutedClass}>unknown</span>
                    ) : (
                      short(c.sealedWith)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.candidates.length > 0 && (
        <div className="mt-2 flex flex-wrap items-center gap-3">
          {unknown.length > 0 && (
            <label htmlFor={unknownId} className="flex items-center gap-1.5 text-sm">
              <input
                id={unknownId}
                type="checkbox"
                checked={includeUnknown}
                disabled={pending}
                onChange={(event) => setIncludeUnknown(event.target.checked)}
              />
              Include the {unknown.length} with an unknown key
            </label>
          )}
          <button
            type="button"
            className={primaryButtonClass}
            disabled={pending || chosen.length === 0}
            onClick={run}
          >
            {pending
              ? "Re-encrypting…"
              : `Re-encrypt ${plural(chosen.length, "SealedSecret")} with the newest key`}
          </button>
        </div>
      )}
      <div aria-live="polite">
        {pending && (
          <p role="status" className={`mt-2 text-sm ${mutedClass}`}>
            Reading each manifest from Git, asking the controller to re-encrypt it, opening one pull request
            per repository…
          </p>
        )}
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        {result && <ReencryptionOutcome result={result} />}
      </div>
    </section>
  );
}

export function ReencryptionOutcome({ result }: { result: ReencryptSealedSecretsResult }) {
  return (
    <div className="mt-2 space-y-1 text-sm">
      {result.proposals.length === 0 && <p className={mutedClass}>No pull request was opened.</p>}
      <ul className="space-y-1">
        {result.proposals.map((p) => (
          <li key={p.repository}>
            {p.pullRequest ? (
              <span className="text-emerald-700 dark:text-emerald-400">
                {p.repository}: {plural(p.secrets.length, "SealedSecret")} in{" "}
                {webUrl(p.pullRequest.url) ? (
                  <a href={p.pullRequest.url} className="underline" target="_blank" rel="noreferrer">
                    pull request #{p.pullRequest.number}
                  </a>
                ) : (
                  <>
                    branch <code>{p.branch}</code>
                  </>
                )}
              </span>
            ) : (
              <span role="alert" className="text-red-700 dark:text-red-400">
                {p.error}
              </span>
            )}
          </li>
        ))}
      </ul>
      {result.skipped.length > 0 && (
        <details>
          <summary className={`cursor-pointer ${mutedClass}`}>{result.skipped.length} skipped</summary>
          <ul className="mt-1 space-y-0.5 text-xs">
            {result.skipped.map((s) => (
              <li key={`${s.namespace}/${s.name}`}>
                <code>
                  {s.namespace}/{s.name}
                </code>
                : {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
