"use client";

import { useId } from "react";
import { inputClassName } from "@/components/ui/text-field";

export type MetadataPair = { id: string; key: string; value: string };

type MetadataPairsFieldProps = {
  legend: string;
  help: string;
  /** "labels" or "annotations": the prefix of this field's error paths. */
  field: "labels" | "annotations";
  pairs: readonly MetadataPair[];
  onChange: (pairs: MetadataPair[]) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  newId: () => string;
};

/** Labels or annotations for the unsealed Secret (its template's metadata). */
export function MetadataPairsField({
  legend,
  help,
  field,
  pairs,
  onChange,
  errors,
  disabled,
  newId,
}: MetadataPairsFieldProps) {
  const id = useId();
  const singular = field === "labels" ? "label" : "annotation";
  const update = (pairId: string, patch: Partial<MetadataPair>) =>
    onChange(pairs.map((p) => (p.id === pairId ? { ...p, ...patch } : p)));
  return (
    <fieldset aria-describedby={`${id}-help`}>
      <legend className="text-sm font-medium">{legend}</legend>
      <p id={`${id}-help`} className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">
        {help}
      </p>
      {pairs.length > 0 && (
        <ul className="mt-2 space-y-2">
          {pairs.map((pair, index) => {
            const keyError = errors[`${field}.${index}.key`];
            const valueError = errors[`${field}.${index}.value`];
            return (
              <li key={pair.id} className="grid gap-2 sm:grid-cols-[1fr_1fr_auto]">
                <div>
                  <input
                    aria-label={`${legend}: name ${index + 1}`}
                    value={pair.key}
                    onChange={(event) => update(pair.id, { key: event.target.value.trim() })}
                    disabled={disabled}
                    aria-invalid={Boolean(keyError)}
                    placeholder="app.kubernetes.io/part-of"
                    autoComplete="off"
                    spellCheck={false}
                    className={`${inputClassName} mt-0 font-mono`}
                  />
                  <p className="mt-0.5 text-xs text-red-700 dark:text-red-400">{keyError}</p>
                </div>
                <div>
                  <input
                    aria-label={`${legend}: value ${index + 1}`}
                    value={pair.value}
                    onChange={(event) => update(pair.id, { value: event.target.value })}
                    disabled={disabled}
                    aria-invalid={Boolean(valueError)}
                    autoComplete="off"
                    spellCheck={false}
                    className={`${inputClassName} mt-0 font-mono`}
                  />
                  <p className="mt-0.5 text-xs text-red-700 dark:text-red-400">{valueError}</p>
                </div>
                <button
                  type="button"
                  disabled={disabled}
                  onClick={() => onChange(pairs.filter((p) => p.id !== pair.id))}
                  className="self-start rounded border border-zinc-300 px-2 py-2 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                >
                  Remove {singular} {index + 1}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button
        type="button"
        disabled={disabled || pairs.length >= 50}
        onClick={() => onChange([...pairs, { id: newId(), key: "", value: "" }])}
        className="mt-2 rounded border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Add {singular === "label" ? "a label" : "an annotation"}
      </button>
    </fieldset>
  );
}
