"use client";

import { useEffect, useState } from "react";
import type { ClusterStatus } from "@/lib/validations/cluster-status";
import type { SecretFilters } from "@/lib/validations/secret-list-query";
import { healthStatuses, sealingScopes, secretKinds } from "@/lib/validations/secret-record";

type SecretFiltersBarProps = {
  filters: SecretFilters;
  clusters: ClusterStatus[];
  onChange: (changes: Partial<Record<keyof SecretFilters, string | undefined>>) => void;
};

const fieldClass =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

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
    <label className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
      {label}
      <select
        className={fieldClass}
        value={filters[key] ?? ""}
        onChange={(e) => onChange({ [key]: e.target.value || undefined })}
      >
        <option value="">All</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <form role="search" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
      <label className="flex min-w-56 flex-1 flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
        Search
        <input
          type="search"
          className={fieldClass}
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
      <label className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
        Namespace
        <input
          className={`${fieldClass} w-36`}
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
