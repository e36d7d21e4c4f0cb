import type { SealingKeysView } from "@/lib/kube/describe-sealing-keys";
import { mutedClass } from "./settings-classes";

const DAY_MS = 24 * 3600_000;

function age(createdAt: string | null, now: string): string {
  if (!createdAt) return "unknown";
  const days = Math.floor((Date.parse(now) - Date.parse(createdAt)) / DAY_MS);
  return days < 1 ? "less than a day" : days === 1 ? "1 day" : `${days} days`;
}

// Settings → Clusters: the controller's sealing keys (metadata only) and when the next one is due.
export function SealingKeysTable({ cluster, view }: { cluster: string; view: SealingKeysView }) {
  const renewal =
    view.renewalDays === null
      ? "Key renewal is disabled for this cluster (its setting is 0)."
      : `The controller renews its key every ${view.renewalDays} days${view.renewalIsDefault ? " (upstream default)" : ""}; ${
          view.nextRenewalAt
            ? `next renewal ${view.overdue ? "was expected" : "expected"} ${view.nextRenewalAt.slice(0, 10)}.`
            : "the newest key's date is unknown."
        }`;
  return (
    <div className="mt-3">
      <table className="w-full text-left text-sm" aria-label={`Sealing keys of ${cluster}`}>
        <thead className={`text-xs ${mutedClass}`}>
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Sealing key
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Created
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Age
            </th>
            <th scope="col" className="py-1 font-medium">
              State
            </th>
          </tr>
        </thead>
        <tbody>
          {view.keys.length === 0 ? (
            <tr>
              <td colSpan={4} className={`py-1 ${mutedClass}`}>
                No sealing key found in the controller&apos;s namespace.
              </td>
            </tr>
          ) : (
            [...view.keys].reverse().map((key) => (
              <tr key={key.name} className="border-t border-zinc-200 dark:border-zinc-800">
                <td className="py-1 pr-3 font-mono text-xs break-all">{key.name}</td>
                <td className="py-1 pr-3">{key.createdAt?.slice(0, 10) ?? "unknown"}</td>
                <td className="py-1 pr-3">{age(key.createdAt, view.now)}</td>
                <td className="py-1">
                  {key.active ? "active" : "not active (compromised)"}
                  {key.name === view.newest && ", newest: seals new secrets"}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      <p className={`mt-1 text-xs ${mutedClass}`}>{renewal}</p>
    </div>
  );
}
