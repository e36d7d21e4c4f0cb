"use client";

/** The way out of a list whose filters match nothing, the same on every list page. */
export function ClearFiltersButton({ onClear }: { onClear: () => void }) {
  return (
    <button type="button" className="mt-2 font-medium underline" onClick={onClear}>
      Clear the filters
    </button>
  );
}
