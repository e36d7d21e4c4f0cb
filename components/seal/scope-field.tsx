"use client";

import { useId } from "react";
import type { SealingScope } from "@/lib/sealing";

const scopes: { value: SealingScope; label: string; explanation: string }[] = [
  {
    value: "strict",
    label: "Strict",
    explanation:
      "Only a Secret with exactly this name in this namespace can be unsealed. Renaming or moving it breaks it.",
  },
  {
    value: "namespace-wide",
    label: "Namespace-wide",
    explanation: "Any Secret name in this namespace can unseal it; it cannot move to another namespace.",
  },
  {
    value: "cluster-wide",
    label: "Cluster-wide",
    explanation:
      "Any name in any namespace of this cluster can unseal it. Convenient, and the least contained.",
  },
];

type ScopeFieldProps = {
  value: SealingScope;
  onChange: (scope: SealingScope) => void;
  /** Shown but fixed, e.g. when rotating: new values must match the existing SealedSecret's scope. */
  disabled?: boolean;
};

export function ScopeField({ value, onChange, disabled }: ScopeFieldProps) {
  const id = useId();
  return (
    <fieldset>
      <legend className="text-sm font-medium">Scope</legend>
      <div className="mt-1 space-y-2">
        {scopes.map((scope) => (
          <div
            key={scope.value}
            className="flex gap-3 rounded-md border border-zinc-300 p-2 has-checked:border-emerald-600 has-checked:bg-emerald-50 dark:border-zinc-700 dark:has-checked:border-emerald-500 dark:has-checked:bg-emerald-950/30"
          >
            <input
              id={`${id}-${scope.value}`}
              type="radio"
              name={`${id}-scope`}
              value={scope.value}
              checked={value === scope.value}
              onChange={() => onChange(scope.value)}
              disabled={disabled}
              aria-describedby={`${id}-${scope.value}-help`}
              className="mt-1"
            />
            <div>
              <label htmlFor={`${id}-${scope.value}`} className="block cursor-pointer text-sm font-medium">
                {scope.label}
              </label>
              <p id={`${id}-${scope.value}-help`} className="text-xs text-zinc-600 dark:text-zinc-400">
                {scope.explanation}
              </p>
            </div>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
