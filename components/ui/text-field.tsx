"use client";

import { useId, type ReactNode } from "react";

export const inputClassName =
  "mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm aria-invalid:border-red-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950";

type TextFieldProps = {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the field, announced with it, and marks it invalid. */
  error?: string;
  disabled?: boolean;
  placeholder?: string;
};

/** A labelled single-line input with its validation message; identifiers, so no autocomplete or spelling. */
export function TextField({ label, value, onChange, error, disabled, placeholder }: TextFieldProps) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value.trim())}
        disabled={disabled}
        placeholder={placeholder}
        aria-invalid={Boolean(error)}
        aria-describedby={`${id}-error`}
        autoComplete="off"
        spellCheck={false}
        className={inputClassName}
      />
      <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">
        {error}
      </p>
    </div>
  );
}
