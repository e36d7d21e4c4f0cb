import type { DeliveryLogEntry } from "@/lib/validations/notifications";
import { mutedClass } from "./settings-classes";

const statusClass: Record<DeliveryLogEntry["status"], string> = {
  delivered: "text-emerald-700 dark:text-emerald-400",
  pending: "text-amber-700 dark:text-amber-400",
  sending: "text-amber-700 dark:text-amber-400",
  failed: "text-red-700 dark:text-red-400",
};

// The newest deliveries: what was sent where, and for failures the attempts, the error and the next retry.
export function NotificationDeliveryLog({ entries }: { entries: DeliveryLogEntry[] }) {
  if (entries.length === 0) return <p className={`text-sm ${mutedClass}`}>Nothing sent yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs" aria-label="Notification deliveries">
        <thead className={mutedClass}>
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Queued (UTC)
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Channel
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Notice
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Status
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              Attempts
            </th>
            <th scope="col" className="py-1 font-medium">
              Last error / next attempt
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} className="border-t border-zinc-200 align-top dark:border-zinc-800">
              <td className="py-1 pr-3 whitespace-nowrap">
                {entry.createdAt.slice(0, 16).replace("T", " ")}
              </td>
              <td className="py-1 pr-3">
                {entry.channelName ?? <span className={mutedClass}>(removed)</span>}
              </td>
              <td className="py-1 pr-3">{entry.subject}</td>
              <td className={`py-1 pr-3 font-medium ${statusClass[entry.status]}`}>{entry.status}</td>
              <td className="py-1 pr-3">{entry.attempts}</td>
              <td className="py-1">
                {entry.lastError}
                {entry.nextAttemptAt && (
                  <span className={`block ${mutedClass}`}>
                    next attempt {entry.nextAttemptAt.slice(0, 16).replace("T", " ")}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
