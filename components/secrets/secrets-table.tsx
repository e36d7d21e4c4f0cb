"use client";

import { useTable } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useVirtualGrid } from "@/components/ui/use-virtual-grid";
import type { SecretFilters } from "@/lib/validations/secret-list-query";
import type { SecretRecord } from "@/lib/validations/secret-record";
import { columnLayout, gridTemplate, secretColumns, secretTableFeatures } from "./secret-columns";
import { secretHref } from "./secret-href";

const ROW_HEIGHT = 40;

type SecretsTableProps = {
  records: SecretRecord[];
  sort: SecretFilters["sort"];
  order: SecretFilters["order"];
  onSort: (field: NonNullable<SecretFilters["sort"]>) => void;
  hasMore: boolean;
  onNearEnd: () => void;
};

/**
 * The virtualized inventory table. Only the visible rows are in the DOM, so 30,000 rows scroll like
 * 30. Keyboard: focus the table, arrows (and Home/End/PageUp/PageDown) move, Enter opens.
 */
export function SecretsTable({ records, sort, order, onSort, hasMore, onNearEnd }: SecretsTableProps) {
  const router = useRouter();
  const [focused, setFocused] = useState(false);
  const table = useTable({
    features: secretTableFeatures,
    columns: secretColumns,
    data: records,
    getRowId: (row) => row.id,
  });
  const rows = table.getRowModel().rows;
  const open = (index: number) => {
    const record = rows[index]?.original;
    if (!record) return;
    // The page's server render reads its sections too and streams them with the record.
    router.push(secretHref(record));
  };
  const { scrollRef, virtualizer, items, activeIndex, setActive, onKeyDown } = useVirtualGrid({
    count: rows.length,
    rowHeight: ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 10,
    hasMore,
    nearEnd: 50,
    onNearEnd,
    onActivate: (index) => open(index),
  });
  const rowId = (index: number) => `secret-row-${index}`;

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Secrets"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={rows.length > 0 ? rowId(activeIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(event) => setFocused(event.target === event.currentTarget)}
      onBlur={() => setFocused(false)}
      className="h-[calc(100vh-22rem)] min-h-80 overflow-auto rounded-lg border border-zinc-200 bg-white text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {table.getHeaderGroups().map((group) => (
        <div
          role="row"
          aria-rowindex={1}
          key={group.id}
          className="sticky top-0 z-10 grid border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
          style={{ gridTemplateColumns: gridTemplate }}
        >
          {group.headers.map((header) => {
            const field = columnLayout[header.id]?.sort;
            const sorted = field && sort === field;
            return (
              <div
                role="columnheader"
                key={header.id}
                aria-sort={sorted ? (order === "desc" ? "descending" : "ascending") : undefined}
                className="px-3 py-2 text-left text-xs font-semibold text-zinc-600 dark:text-zinc-300"
              >
                {field ? (
                  // A Tab stop of its own: sorting works from the keyboard (Enter or Space on the header).
                  <button
                    type="button"
                    onClick={() => onSort(field)}
                    onKeyDown={(event) => event.stopPropagation()}
                    className="inline-flex items-center gap-1 rounded hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
                  >
                    <table.FlexRender header={header} />
                    {sorted && <span aria-hidden>{order === "desc" ? "↓" : "↑"}</span>}
                  </button>
                ) : (
                  <table.FlexRender header={header} />
                )}
              </div>
            );
          })}
        </div>
      ))}
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const isActive = item.index === activeIndex;
          return (
            <div
              role="row"
              key={row.id}
              id={rowId(item.index)}
              aria-rowindex={item.index + 2}
              aria-selected={isActive}
              tabIndex={-1}
              data-testid="secret-row"
              data-show-full={isActive && focused}
              onClick={() => {
                setActive(item.index);
                open(item.index);
              }}
              onKeyDown={onKeyDown}
              className={`group/row absolute left-0 grid w-full cursor-pointer items-center border-b border-zinc-100 dark:border-zinc-800/60 ${isActive ? "bg-sky-50 shadow-[inset_3px_0_0_0] shadow-sky-600 dark:bg-sky-950/40 dark:shadow-sky-400" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40"}`}
              style={{
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
                gridTemplateColumns: gridTemplate,
              }}
            >
              {row.getAllCells().map((cell) => (
                <div role="gridcell" key={cell.id} className="flex min-w-0 items-center px-3">
                  <table.FlexRender cell={cell} />
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
