"use client";

import { useEffect, useId, useState } from "react";
import { FilterSelect, filterFieldClass, filterLabelClass } from "@/components/ui/filter-select";
import { clearedFilters } from "@/components/ui/use-url-filters";
import { AUDIT_OUTCOMES } from "@/lib/audit/audit-event-input";
import type { AuditFilters } from "@/lib/audit/audit-filters";
import { auditFilterKeys } from "@/lib/validations/audit-query";
import { secretKinds } from "@/lib/validations/secret-record";
import type { AuditFilterChanges, AuditFilterKey } from "./use-audit-filters";

/** Action families recorded today, offered as suggestions (any action or prefix may be typed). */
const actionSuggestions = [
  "secret.viewed",
  "secret.force_sync",
  "secret.restart_consumers",
  "secret.validate",
  "secret.fix",
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

type TextFilterOptions = {
  placeholder?: string;
  list?: string;
  type?: "text" | "search";
  className?: string;
};
type TextFilterProps = TextFilterOptions & {
  label: string;
  name: AuditFilterKey;
  value: string | undefined;
  onChange: (changes: AuditFilterChanges) => void;
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
    <label className={filterLabelClass}>
      {label}
      <input
        type={type}
        className={`${filterFieldClass} ${className}`}
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

const kindOptions = [...secretKinds, "User"];

type AuditFiltersBarProps = {
  filters: AuditFilters;
  onChange: (changes: AuditFilterChanges) => void;
  filtered: boolean;
};

/** Every filter of the audit log; the values live in the page's URL. */
export function AuditFiltersBar({ filters, onChange, filtered }: AuditFiltersBarProps) {
  const actionsId = useId();
  const text = (name: AuditFilterKey, label: string, options: TextFilterOptions = {}) => (
    <TextFilter label={label} name={name} value={filters[name]} onChange={onChange} {...options} />
  );
  const range = (key: "from" | "to", label: string) => (
    <label className={filterLabelClass}>
      {label}
      <input
        type="datetime-local"
        className={filterFieldClass}
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
      {text("text", "Search", {
        type: "search",
        className: "w-56",
        placeholder: "Action, actor, secret, details…",
      })}
      {range("from", "From")}
      {range("to", "Until")}
      {text("actor", "Actor", { placeholder: "username" })}
      {text("action", "Action", { placeholder: "e.g. auth", list: actionsId })}
      <datalist id={actionsId}>
        {actionSuggestions.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <FilterSelect
        label="Outcome"
        value={filters.outcome}
        options={AUDIT_OUTCOMES}
        onChange={(outcome) => onChange({ outcome })}
      />
      {text("cluster", "Cluster", { placeholder: "any", className: "w-28" })}
      {text("namespace", "Namespace", { placeholder: "any", className: "w-32" })}
      <FilterSelect
        label="Kind"
        value={filters.kind}
        options={kindOptions}
        onChange={(kind) => onChange({ kind })}
      />
      {text("name", "Secret name", { placeholder: "any" })}
      {filtered && (
        <button
          type="button"
          className="rounded-md px-2 py-1.5 text-sm font-medium text-sky-700 underline hover:text-sky-900 dark:text-sky-400"
          onClick={() => onChange(clearedFilters(auditFilterKeys))}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
