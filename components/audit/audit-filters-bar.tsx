"use client";

import { useEffect, useId, useState } from "react";
import { AUDIT_OUTCOMES } from "@/lib/audit/audit-event-input";
import type { AuditFilters } from "@/lib/audit/audit-filters";
import { secretKinds } from "@/lib/validations/secret-record";
import type { AuditFilterChanges, AuditFilterKey } from "./use-audit-filters";

const fieldClass =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const labelClass = "flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400";

/** Action families recorded today, offered as suggestions (any action or prefix may be typed). */
const actionSuggestions = [
  "secret.viewed",
  "secret.force_sync",
  "secret.restart_consumers",
  "secret.validate",
  "seal",
  "pull_request",
  "rotation",
  "auth",
  "audit.exported",
  "settings",
];

const pad = (n: number) => String(n).padStart(2, "0");
/** ISO (UTC) → the local `YYYY-MM-DDTHH:mm` a datetime-local input shows. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

type TextFilterProps = {
  label: string;
  name: AuditFilterKey;
  value: string | undefined;
  onChange: (changes: AuditFilterChanges) => void;
  placeholder?: string;
  list?: string;
  type?: "text" | "search";
  className?: string;
};

/** A text filter that applies once typing pauses, and follows the URL when it changes elsewhere. */
function TextFilter({
  label,
  name,
  value = "",
  onChange,
  placeholder,
  list,
  type = "text",
  className = "w-36",
}: TextFilterProps) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setDraft(value);
  }
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => onChange({ [name]: draft.trim() || undefined }), 400);
    return () => clearTimeout(timer);
  }, [draft, value, name, onChange]);
  return (
    <label className={labelClass}>
      {label}
      <input
        type={type}
        className={`${fieldClass} ${className}`}
        value={draft}
        placeholder={placeholder}
        list={list}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onChange({ [name]: draft.trim() || undefined });
        }}
      />
    </label>
  );
}

type AuditFiltersBarProps = {
  filters: AuditFilters;
  onChange: (changes: AuditFilterChanges) => void;
  filtered: boolean;
};

/** Every filter of the audit log; the values live in the page's URL. */
export function AuditFiltersBar({ filters, onChange, filtered }: AuditFiltersBarProps) {
  const actionsId = useId();
  const range = (key: "from" | "to", label: string) => (
    <label className={labelClass}>
      {label}
      <input
        type="datetime-local"
        className={fieldClass}
        value={toLocalInput(filters[key])}
        onChange={(e) => onChange({ [key]: fromLocalInput(e.target.value) })}
      />
    </label>
  );
  return (
    <form
      role="search"
      aria-label="Filter audit events"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => e.preventDefault()}
    >
      <TextFilter
        label="Search"
        type="search"
        className="w-56"
        name="text"
        value={filters.text}
        onChange={onChange}
        placeholder="Action, actor, secret, details…"
      />
      {range("from", "From")}
      {range("to", "Until")}
      <TextFilter
        label="Actor"
        name="actor"
        value={filters.actor}
        onChange={onChange}
        placeholder="username"
      />
      <TextFilter
        label="Action"
        name="action"
        value={filters.action}
        onChange={onChange}
        placeholder="e.g. auth"
        list={actionsId}
      />
      <datalist id={actionsId}>
        {actionSuggestions.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <label className={labelClass}>
        Outcome
        <select
          className={fieldClass}
          value={filters.outcome ?? ""}
          onChange={(e) => onChange({ outcome: e.target.value || undefined })}
        >
          <option value="">All</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
      </label>
      <TextFilter
        label="Cluster"
        name="cluster"
        value={filters.cluster}
        onChange={onChange}
        placeholder="any"
        className="w-28"
      />
      <TextFilter
        label="Namespace"
        name="namespace"
        value={filters.namespace}
        onChange={onChange}
        placeholder="any"
        className="w-32"
      />
      <label className={labelClass}>
        Kind
        <select
          className={fieldClass}
          value={filters.kind ?? ""}
          onChange={(e) => onChange({ kind: e.target.value || undefined })}
        >
          <option value="">All</option>
          {[...secretKinds, "User"].map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
      </label>
      <TextFilter
        label="Secret name"
        name="name"
        value={filters.name}
        onChange={onChange}
        placeholder="any"
      />
      {filtered && (
        <button
          type="button"
          className="rounded-md px-2 py-1.5 text-sm font-medium text-sky-700 underline hover:text-sky-900 dark:text-sky-400"
          onClick={() =>
            onChange({
              from: undefined,
              to: undefined,
              actor: undefined,
              action: undefined,
              outcome: undefined,
              cluster: undefined,
              namespace: undefined,
              kind: undefined,
              name: undefined,
              text: undefined,
            })
          }
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
