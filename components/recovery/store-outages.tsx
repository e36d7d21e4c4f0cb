"use client";

import Link from "next/link";
import { secretHref } from "@/components/secrets/secret-href";
import { formatTimestamp } from "@/components/ui/format-timestamp";
import { LoadingRows } from "@/components/ui/loading-rows";
import { Notice } from "@/components/ui/notice";
import { AppError } from "@/lib/errors/app-error";
import { useStoreIncidents } from "@/lib/queries/use-store-incidents";
import {
  CREDENTIAL_EXPIRES_AT_ANNOTATION,
  CREDENTIAL_LEASE_ANNOTATION,
  type StoreDependant,
  type StoreIncident,
} from "@/lib/validations/store-incidents";

const th = "px-3 py-2 text-left text-xs font-medium tracking-wide text-zinc-600 uppercase dark:text-zinc-400";
const td = "px-3 py-2 align-top";

/** "3 h", "2 days": how far `iso` is from now, in the unit a person would say. */
function distance(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

function Relative({ iso, now }: { iso: string; now: number }) {
  const ms = Date.parse(iso) - now;
  return <>{ms >= 0 ? `in ${distance(ms)}` : `${distance(ms)} ago`}</>;
}

function Deadline({ dependant, now }: { dependant: StoreDependant; now: number }) {
  if (!dependant.deadline)
    return (
      <span className="text-zinc-600 dark:text-zinc-400">
        unknown
        {dependant.deadlineProblem && (
          <span className="mt-0.5 block text-xs text-amber-800 dark:text-amber-300">
            {dependant.deadlineProblem}
          </span>
        )}
      </span>
    );
  const expired = Date.parse(dependant.deadline) <= now;
  return (
    <span>
      <span className={expired ? "font-medium text-red-800 dark:text-red-300" : "font-medium"}>
        {expired ? "expired " : ""}
        <Relative iso={dependant.deadline} now={now} />
      </span>
      <span className="block text-xs text-zinc-600 dark:text-zinc-400">
        {formatTimestamp(dependant.deadline)} ·{" "}
        {dependant.deadlineSource === "lease"
          ? `lease from the last sync (${CREDENTIAL_LEASE_ANNOTATION})`
          : CREDENTIAL_EXPIRES_AT_ANNOTATION}
      </span>
    </span>
  );
}

function IncidentBlock({ incident, now }: { incident: StoreIncident; now: number }) {
  const { store } = incident;
  const where = store.namespace ? `${store.namespace}/${store.name}` : store.name;
  const headingId = `store-${incident.id}-title`;
  return (
    <section
      id={`store-${incident.id}`}
      aria-labelledby={headingId}
      className="rounded-lg border border-red-200 bg-white dark:border-red-900/60 dark:bg-zinc-900"
    >
      <div className="border-b border-red-100 p-4 dark:border-red-900/40">
        <h3 id={headingId} className="font-semibold">
          {store.kind} {where}{" "}
          <span className="font-normal text-zinc-600 dark:text-zinc-400">on {incident.cluster}</span>
        </h3>
        <p className="mt-1 text-sm">
          <span className="font-medium text-red-800 dark:text-red-300">Not Ready: {incident.reason}</span>
          {incident.message && <span> – {incident.message}</span>}
        </p>
        <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">
          {incident.since ? (
            <>
              Since {formatTimestamp(incident.since)} (<Relative iso={incident.since} now={now} />)
            </>
          ) : (
            "Since an unknown time"
          )}
          {incident.provider && <> · provider {incident.provider}</>} · {incident.dependants.length} dependent
          ExternalSecret{incident.dependants.length === 1 ? "" : "s"}
        </p>
      </div>
      {incident.dependants.length === 0 ? (
        <p className="p-4 text-sm text-zinc-600 dark:text-zinc-400">
          No ExternalSecret you may see reads from this store.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">
              ExternalSecrets depending on {store.kind} {where}, soonest credential expiry first
            </caption>
            <thead className="border-b border-zinc-200 dark:border-zinc-800">
              <tr>
                <th scope="col" className={th}>
                  ExternalSecret
                </th>
                <th scope="col" className={th}>
                  Credential expires
                </th>
                <th scope="col" className={th}>
                  Last synced
                </th>
                <th scope="col" className={th}>
                  Refresh
                </th>
                <th scope="col" className={th}>
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {incident.dependants.map((d) => (
                <tr key={d.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                  <td className={td}>
                    <Link
                      href={secretHref({ ...d, kind: "ExternalSecret" })}
                      className="font-medium underline-offset-2 hover:underline focus-visible:underline"
                    >
                      {d.namespace}/{d.name}
                    </Link>
                  </td>
                  <td className={td}>
                    <Deadline dependant={d} now={now} />
                  </td>
                  <td className={td}>
                    {d.lastSyncedAt ? (
                      <>
                        <Relative iso={d.lastSyncedAt} now={now} />
                        <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                          {formatTimestamp(d.lastSyncedAt)}
                        </span>
                      </>
                    ) : (
                      <span className="text-zinc-600 dark:text-zinc-400">never</span>
                    )}
                  </td>
                  <td className={`${td} font-mono text-xs`}>{d.refreshInterval ?? "—"}</td>
                  <td className={td}>
                    {d.ready ? (
                      <span title={d.ready.message ?? undefined}>
                        {d.ready.status === "True" ? "Ready" : "Not ready"}
                        {d.ready.reason && (
                          <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                            {d.ready.reason}
                          </span>
                        )}
                      </span>
                    ) : (
                      <span className="text-zinc-600 dark:text-zinc-400">not reported</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Recovery → unreachable secret stores: one block per store that is not Ready, polled. */
export function StoreOutages() {
  const query = useStoreIncidents();
  const now = query.data ? Date.parse(query.data.generatedAt) : 0;
  return (
    <section aria-labelledby="store-outages-title" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="store-outages-title" className="text-lg font-semibold">
          Unreachable secret stores
        </h2>
        <span aria-live="polite" className="text-sm text-zinc-600 dark:text-zinc-400">
          {query.isFetching && !query.isPending ? "refreshing…" : "updates every 15 s"}
        </span>
      </div>
      {query.isPending ? (
        <LoadingRows label="Loading secret stores…" rows={3} rowClassName="h-12" />
      ) : query.isError ? (
        <Notice
          tone="error"
          title={
            query.error instanceof AppError && query.error.status === 403
              ? "You may not view secret stores"
              : "The secret stores could not be loaded"
          }
        >
          <p>{query.error instanceof Error ? query.error.message : "Unknown error."}</p>
          <button type="button" className="mt-2 font-medium underline" onClick={() => void query.refetch()}>
            Try again
          </button>
        </Notice>
      ) : query.data.incidents.length === 0 ? (
        <Notice title="Every secret store is Ready">
          <p>
            When a SecretStore or ClusterSecretStore stops being Ready, its ExternalSecrets are listed here.
          </p>
        </Notice>
      ) : (
        query.data.incidents.map((incident) => (
          <IncidentBlock key={incident.id} incident={incident} now={now} />
        ))
      )}
    </section>
  );
}
