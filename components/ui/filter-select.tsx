/** The look of a field in a list page's filter bar (Audit, Secrets). */
export const filterFieldClass =
  "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
export const filterLabelClass = "flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400";

type FilterSelectProps = {
  label: string;
  value: string | undefined;
  options: readonly string[];
  /** undefined when "All" is chosen: the filter is then removed. */
  onChange: (value: string | undefined) => void;
};

/** A filter bar's choice among known values, with "All" (no filter) first. */
export function FilterSelect({ label, value, options, onChange }: FilterSelectProps) {
  return (
    <label className={filterLabelClass}>
      {label}
      <select
        className={filterFieldClass}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
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
}
