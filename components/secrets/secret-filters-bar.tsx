"use client";

import { useEffect, useState } from "react";
import { FilterSelect, filterFieldClass, filterLabelClass } from "@/components/ui/filter-select";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import type { SecretFilters } from "@/lib/validations/secret-list-query";
import { healthStatuses, sealingScopes, secretKinds } from "@/lib/validations/secret-record";

type SecretFiltersBarProps = {
  filters: SecretFilters;
  clusters: ClusterStatus[];
  onChange: (changes: Partial<Record<keyof SecretFilters, string | undefined>>) => void;
};

/** Search and filters; typing is debounced so the URL (and the query) changes once per pause. */
export function SecretFiltersBar({ filters, clusters, onChange }: SecretFiltersBarProps) {
  const [text, setText] = useState(filters.text ?? "");
  const [namespace, setNamespace] = useState(filters.namespace ?? "");
  useEffect(() => {
    if (text === (filters.text ?? "")) return;
    const timer = setTimeout(() => onChange({ text }), 300);
    return () => clearTimeout(timer);
  }, [text, filters.text, onChange]);
  useEffect(() => {
    if (namespace === (filters.namespace ?? "")) return;
    const timer = setTimeout(() => onChange({ namespace }), 400);
    return () => clearTimeout(timer);
  }, [namespace, filters.namespace, onChange]);

  const select = (key: keyof SecretFilters, label: string, options: readonly string[]) => (
    <FilterSelect
      label={label}
      value={filters[key]}
      options={options}
      onChange={(value) => onChange({ [key]: value })}
    />
  );

  return (
    <form role="search" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <label className={`${filterLabelClass} min-w-56 flex-1`}>
        Search
        <input
          type="search"
          className={filterFieldClass}
          placeholder="Name, key, label, store…"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {select(
        "cluster",
        "Cluster",
        clusters.map((c) => c.name),
      )}
      <label className={filterLabelClass}>
        Namespace
        <input
          className={`${filterFieldClass} w-36`}
          value={namespace}
          onChange={(e) => setNamespace(e.target.value)}
          placeholder="any"
        />
      </label>
      {select("kind", "Kind", secretKinds)}
      {select("health", "Health", healthStatuses)}
      {select("scope", "Scope", sealingScopes)}
    </form>
  );
}
