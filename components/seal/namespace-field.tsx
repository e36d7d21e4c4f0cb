"use client";

import { useId } from "react";
import { inputClassName } from "@/components/ui/text-field";

type NamespaceFieldProps = {
  value: string;
  onChange: (namespace: string) => void;
  allowed: { any: boolean; names: string[] };
  error?: string;
  disabled?: boolean;
};

/** A list of the granted namespaces, or free text with suggestions when any namespace is allowed. */
export function NamespaceField({ value, onChange, allowed, error, disabled }: NamespaceFieldProps) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        Namespace
      </label>
      {allowed.any ? (
        <>
          <input
            id={id}
            list={`${id}-list`}
            value={value}
            onChange={(event) => onChange(event.target.value.trim())}
            disabled={disabled}
            aria-invalid={Boolean(error)}
            aria-describedby={`${id}-error`}
            autoComplete="off"
            spellCheck={false}
            className={inputClassName}
          />
          <datalist id={`${id}-list`}>
            {allowed.names.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </>
      ) : (
        <select
          id={id}
          value={allowed.names.includes(value) ? value : ""}
          onChange={(event) => onChange(event.target.value)}
          disabled={disabled || allowed.names.length === 0}
          aria-invalid={Boolean(error)}
          aria-describedby={`${id}-error`}
          className={inputClassName}
        >
          <option value="">
            {allowed.names.length === 0
              ? "No namespace granted on every chosen cluster"
              : "Choose a namespace"}
          </option>
          {allowed.names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      )}
      <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
        {error}
      </p>
    </div>
  );
}
