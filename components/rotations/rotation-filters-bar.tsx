"use client";

import { useEffect, useState } from "react";
import { FilterSelect, filterFieldClass, filterLabelClass } from "@/components/ui/filter-select";
import type { RotationFilterKey, RotationFilters } from "@/lib/queries/rotation-urls";
import { secretKinds } from "@/lib/validations/secret-record";

type Changes = Partial<Record<RotationFilterKey, string | undefined>>;

type RotationFiltersBarProps = {
  filters: RotationFilters;
  teams: readonly string[];
  onChange: (changes: Changes) => void;
};

/** A text filter that changes the URL (and the query) once per pause in typing. */
function TypedFilter(props: {
  label: string;
  name: "text" | "cluster" | "environment" | "namespace";
  value: string | undefined;
  onChange: (changes: Changes) => void;
  placeholder: string;
  className?: string;
  type?: "search" | "text";
}) {
  const { name, value, onChange } = props;
  const [draft, setDraft] = useState(value ?? "");
  useEffect(() => {
    if (draft === (value ?? "")) return;
    const timer = setTimeout(() => onChange({ [name]: draft }), 350);
    return () => clearTimeout(timer);
  }, [draft, value, name, onChange]);
  return (
    <label className={`${filterLabelClass} ${props.className ?? ""}`}>
      {props.label}
      <input
        type={props.type ?? "text"}
        className={filterFieldClass}
        placeholder={props.placeholder}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
    </label>
  );
}

/** Search and filters of the Rotations page (the status filter is the counts above the table). */
export function RotationFiltersBar({ filters, teams, onChange }: RotationFiltersBarProps) {
  return (
    <form role="search" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <TypedFilter
        label="Search"
        name="text"
        type="search"
        value={filters.text}
        onChange={onChange}
        placeholder="Key, secret name…"
        className="min-w-56 flex-1"
      />
      <TypedFilter
        label="Cluster"
        name="cluster"
        value={filters.cluster}
        onChange={onChange}
        placeholder="any"
        className="w-32"
      />
      <TypedFilter
        label="Environment"
        name="environment"
        value={filters.environment}
        onChange={onChange}
        placeholder="any"
        className="w-32"
      />
      <TypedFilter
        label="Namespace"
        name="namespace"
        value={filters.namespace}
        onChange={onChange}
        placeholder="any"
        className="w-36"
      />
      <FilterSelect
        label="Owner team"
        value={filters.team}
        options={filters.team && !teams.includes(filters.team) ? [filters.team, ...teams] : teams}
        onChange={(team) => onChange({ team })}
      />
      <FilterSelect
        label="Kind"
        value={filters.kind}
        options={secretKinds}
        onChange={(kind) => onChange({ kind })}
      />
    </form>
  );
}
