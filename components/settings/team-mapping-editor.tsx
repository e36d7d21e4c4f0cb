"use client";

import { useId, useState } from "react";
import { saveTeamMapping } from "@/lib/rotation/actions/save-team-mapping";
import { type TeamMapping, teamMappingSchema } from "@/lib/validations/rotation";
import { buttonClass, fieldClass, mutedClass, primaryButtonClass } from "./settings-classes";
import { type TeamMappingRow, teamMappingOf, toTeamMappingRows } from "./team-mapping-rows";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

// Settings → owning teams: namespace (on one cluster or all) → team, as an editable table.
export function TeamMappingEditor({ mapping }: { mapping: TeamMapping }) {
  const id = useId();
  const { run, pending, error, setError, saved } = useSettingsAction();
  const [rows, setRows] = useState<TeamMappingRow[]>(() => toTeamMappingRows(mapping));
  const [nextKey, setNextKey] = useState(mapping.length);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});

  const update = (key: number, patch: Partial<TeamMappingRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const onSave = () => {
    const { mapping: candidate, duplicates } = teamMappingOf(rows);
    const errors: Record<number, string> = {};
    const parsed = teamMappingSchema.safeParse(candidate);
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const row = rows[Number(issue.path[0])];
        if (row) errors[row.key] ??= `${issue.path.slice(1).join(".") || "row"}: ${issue.message}`;
      }
    for (const key of duplicates) errors[key] ??= "this namespace is mapped already on that cluster";
    setRowErrors(errors);
    if (Object.keys(errors).length > 0 || !parsed.success) {
      setError("Fix the marked rows; nothing was saved.");
      return;
    }
    run(() => saveTeamMapping({ mapping: parsed.data }));
  };

  return (
    <div>
      {rows.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>
          No namespaces mapped: keys are owned only through the sealdeck.io/owner label or annotation.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className={mutedClass}>
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Cluster (blank: all)
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Namespace
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Team
                </th>
                <th scope="col" className="py-1 font-medium">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={row.key} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                  <td className="py-1 pr-2">
                    <input
                      aria-label={`Cluster of team row ${index + 1}`}
                      value={row.cluster}
                      placeholder="all clusters"
                      onChange={(e) => update(row.key, { cluster: e.target.value })}
                      className={fieldClass}
                    />
                  </td>
                  <td className="py-1 pr-2">
                    <input
                      aria-label={`Namespace of team row ${index + 1}`}
                      value={row.namespace}
                      onChange={(e) => update(row.key, { namespace: e.target.value })}
                      aria-invalid={Boolean(rowErrors[row.key])}
                      aria-describedby={`${id}-${row.key}-error`}
                      className={fieldClass}
                    />
                    <p id={`${id}-${row.key}-error`} className="text-xs text-red-700 dark:text-red-400">
                      {rowErrors[row.key]}
                    </p>
                  </td>
                  <td className="py-1 pr-2">
                    <input
                      aria-label={`Team of team row ${index + 1}`}
                      value={row.team}
                      onChange={(e) => update(row.key, { team: e.target.value })}
                      className={fieldClass}
                    />
                  </td>
                  <td className="py-1">
                    <button
                      type="button"
                      onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                      aria-label={`Remove team row ${index + 1}`}
                      className={buttonClass}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="mt-2 flex flex-wrap gap-2">
        <button
          type="button"
          onClick={() => {
            setRows((current) => [...current, { key: nextKey, cluster: "", namespace: "", team: "" }]);
            setNextKey((k) => k + 1);
          }}
          className={buttonClass}
        >
          Add namespace
        </button>
        <button type="button" onClick={onSave} disabled={pending} className={primaryButtonClass}>
          {pending ? "Saving…" : "Save team mapping"}
        </button>
      </div>
      <ActionStatus error={error} saved={saved} />
    </div>
  );
}
