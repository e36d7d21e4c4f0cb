"use client";

import { useId, useState } from "react";
import { groupMappingSchema, type GroupMapping } from "@/lib/auth/map-groups-to-access";
import { roleLabels, roles } from "@/lib/auth/roles";
import { saveGroupMapping } from "@/lib/settings/actions/save-group-mapping";
import { buttonClass, fieldClass, mutedClass, primaryButtonClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

type Row = { key: number; group: string; role: string; grants: string };

const toRows = (mapping: GroupMapping): Row[] =>
  mapping.map((entry, key) => ({
    key,
    group: entry.group,
    role: entry.role ?? "",
    grants: entry.grants.map((g) => `${g.cluster}/${g.namespace}`).join(", "),
  }));

// "prod/payments, */staging" → grants; an entry without exactly one "/" is reported.
function parseGrants(text: string): { grants: { cluster: string; namespace: string }[]; bad: string[] } {
  const grants: { cluster: string; namespace: string }[] = [];
  const bad: string[] = [];
  for (const item of text.split(/[\s,]+/).filter(Boolean)) {
    const parts = item.split("/");
    if (parts.length === 2 && parts[0] && parts[1]) grants.push({ cluster: parts[0], namespace: parts[1] });
    else bad.push(item);
  }
  return { grants, bad };
}

// Settings → OIDC group mapping: group → role and namespace grants, as an editable table.
export function GroupMappingEditor({ mapping }: { mapping: GroupMapping }) {
  const id = useId();
  const { run, pending, error, setError, saved } = useSettingsAction();
  const [rows, setRows] = useState<Row[]>(() => toRows(mapping));
  const [nextKey, setNextKey] = useState(mapping.length);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});

  const update = (key: number, patch: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const onSave = () => {
    const errors: Record<number, string> = {};
    const candidate = rows.map((row) => {
      const { grants, bad } = parseGrants(row.grants);
      if (bad.length > 0)
        errors[row.key] = `write grants as cluster/namespace ("*" for all): ${bad.join(", ")}`;
      return { group: row.group.trim(), ...(row.role ? { role: row.role } : {}), grants };
    });
    const parsed = groupMappingSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const row = rows[Number(issue.path[0])];
        if (row) errors[row.key] ??= `${issue.path.slice(1).join(".") || "row"}: ${issue.message}`;
      }
    }
    const seen = new Map<string, number>();
    for (const [index, entry] of candidate.entries()) {
      const first = seen.get(entry.group);
      if (first !== undefined && entry.group)
        errors[rows[index]!.key] ??= `group ${entry.group} appears twice`;
      seen.set(entry.group, index);
    }
    setRowErrors(errors);
    if (Object.keys(errors).length > 0 || !parsed.success) {
      setError("Fix the marked rows; nothing was saved.");
      return;
    }
    run(() => saveGroupMapping({ mapping: parsed.data }));
  };

  return (
    <div>
      {rows.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>No groups mapped: OIDC users get no role from their groups.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className={mutedClass}>
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Group
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Role
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  Grants (cluster/namespace, comma-separated)
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
                      aria-label={`Group of row ${index + 1}`}
                      value={row.group}
                      onChange={(e) => update(row.key, { group: e.target.value })}
                      aria-invalid={Boolean(rowErrors[row.key])}
                      aria-describedby={`${id}-${row.key}-error`}
                      className={fieldClass}
                    />
                    <p id={`${id}-${row.key}-error`} className="text-xs text-red-700 dark:text-red-400">
                      {rowErrors[row.key]}
                    </p>
                  </td>
                  <td className="py-1 pr-2">
                    <select
                      aria-label={`Role of row ${index + 1}`}
                      value={row.role}
                      onChange={(e) => update(row.key, { role: e.target.value })}
                      className={fieldClass}
                    >
                      <option value="">no role (grants only)</option>
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {roleLabels[role]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="py-1 pr-2">
                    <input
                      aria-label={`Grants of row ${index + 1}`}
                      value={row.grants}
                      onChange={(e) => update(row.key, { grants: e.target.value })}
                      placeholder="prod/payments, */staging"
                      className={fieldClass}
                    />
                  </td>
                  <td className="py-1">
                    <button
                      type="button"
                      onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                      aria-label={`Remove row ${index + 1}`}
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
            setRows((current) => [...current, { key: nextKey, group: "", role: "developer", grants: "" }]);
            setNextKey((k) => k + 1);
          }}
          className={buttonClass}
        >
          Add group
        </button>
        <button type="button" onClick={onSave} disabled={pending} className={primaryButtonClass}>
          {pending ? "Saving…" : "Save group mapping"}
        </button>
      </div>
      <ActionStatus error={error} saved={saved} />
    </div>
  );
}
