"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { KeyboardEvent } from "react";
import { secretHref } from "@/components/secrets/secret-href";
import { useVirtualGrid } from "@/components/ui/use-virtual-grid";
import type { RotationFilters } from "@/lib/queries/rotation-urls";
import type { RotationRow, RotationSortField } from "@/lib/validations/rotation";
import { ForceSyncButton } from "./force-sync-button";
import { keyText, secretPath } from "./format-rotation";
import { type RotationListItem, UNOWNED } from "./group-rotation-rows";
import { rotateTargetOf } from "./rotate-selection";
import { rowButtonClass } from "./rotation-classes";
import { rotationColumns } from "./rotation-columns";

const ROW_HEIGHT = 52;

export type RotationPermissions = {
  /** `secret:rotate`: "Rotate now" opens the seal form (the proposal is authorized again there). */
  rotate: boolean;
  /** `secret:force-sync`: an ExternalSecret's "Rotate now". */
  forceSync: boolean;
  /** `rotation-policy:write`: policies and waivers. */
  editPolicies: boolean;
};

type RotationsTableProps = {
  items: RotationListItem[];
  generatedAt: string;
  sort: RotationFilters["sort"];
  order: RotationFilters["order"];
  onSort: (field: RotationSortField) => void;
  hasMore: boolean;
  onNearEnd: () => void;
  allowed: RotationPermissions;
  selected: ReadonlySet<string>;
  onToggle: (row: RotationRow) => void;
  onWaive: (row: RotationRow) => void;
  onOutcome: (outcome: { ok: boolean; text: string }) => void;
};

const gridTemplate = ["2.25rem", ...rotationColumns.map((c) => c.width), "10.5rem"].join(" ");

/**
 * The virtualized Rotations table: one row per key. Keyboard: focus the table, arrows (Home/End,
 * PageUp/PageDown) move, Space selects the key, R rotates it now, Enter opens its secret.
 */
export function RotationsTable(props: RotationsTableProps) {
  const { items, generatedAt, sort, order, onSort, allowed, selected, onToggle } = props;
  const router = useRouter();
  const rowAt = (index: number) => {
    const item = items[index];
    return item?.type === "row" ? item.row : null;
  };
  const rotateNow = (row: RotationRow) => {
    const target = rotateTargetOf([row]);
    if (target.ok) router.push(target.href);
  };
  const grid = useVirtualGrid({
    count: items.length,
    rowHeight: ROW_HEIGHT,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
    hasMore: props.hasMore,
    nearEnd: 50,
    onNearEnd: props.onNearEnd,
    onActivate: (index) => {
      const row = rowAt(index);
      if (row) router.push(secretHref(row));
    },
  });
  const { scrollRef, virtualizer, activeIndex, setActive } = grid;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const row = rowAt(activeIndex);
    if (row && event.key === " " && canSelect(row)) {
      event.preventDefault();
      onToggle(row);
    } else if (
      row &&
      (event.key === "r" || event.key === "R") &&
      allowed.rotate &&
      row.kind === "SealedSecret"
    ) {
      event.preventDefault();
      rotateNow(row);
    } else grid.onKeyDown(event);
  };
  const canSelect = (row: RotationRow) => allowed.rotate && row.kind === "SealedSecret";
  const rowId = (index: number) => `rotation-row-${index}`;

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Keys and their rotation schedule"
      aria-rowcount={items.length + 1}
      aria-activedescendant={items.length > 0 ? rowId(activeIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      // Its content must not widen the page: the table scrolls sideways inside itself on narrow screens.
      style={{ contain: "inline-size" }}
      className="h-[calc(100vh-18rem)] min-h-96 overflow-auto rounded-lg border border-zinc-200 bg-white text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div
        role="row"
        aria-rowindex={1}
        className="sticky top-0 z-10 grid min-w-[68rem] border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
        style={{ gridTemplateColumns: gridTemplate }}
      >
        <div role="columnheader" className="px-3 py-2">
          <span className="sr-only">Selected</span>
        </div>
        {rotationColumns.map((column) => {
          const sorted = column.sort && sort === column.sort;
          return (
            <div
              role="columnheader"
              key={column.id}
              aria-sort={sorted ? (order === "desc" ? "descending" : "ascending") : undefined}
              className="px-3 py-2 text-left text-xs font-semibold text-zinc-600 dark:text-zinc-300"
            >
              {column.sort ? (
                // A Tab stop of its own: Enter or Space sorts. The keys stop here, or the grid would take
                // Enter as "open the active row's secret" and Space as "select it".
                <button
                  type="button"
                  onClick={() => column.sort && onSort(column.sort)}
                  onKeyDown={(event) => event.stopPropagation()}
                  className="inline-flex items-center gap-1 rounded hover:underline focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
                >
                  {column.header}
                  {sorted && <span aria-hidden>{order === "desc" ? "↓" : "↑"}</span>}
                </button>
              ) : (
                column.header
              )}
            </div>
          );
        })}
        <div
          role="columnheader"
          className="px-3 py-2 text-left text-xs font-semibold text-zinc-600 dark:text-zinc-300"
        >
          Actions
        </div>
      </div>
      <div
        role="rowgroup"
        className="min-w-[68rem]"
        style={{ height: virtualizer.getTotalSize(), position: "relative" }}
      >
        {grid.items.map((virtual) => {
          const item = items[virtual.index];
          if (!item) return null;
          const isActive = virtual.index === activeIndex;
          const position = { height: ROW_HEIGHT, transform: `translateY(${virtual.start}px)` };
          if (item.type === "group")
            return (
              <div
                role="row"
                key={item.id}
                id={rowId(virtual.index)}
                aria-rowindex={virtual.index + 2}
                aria-selected={isActive}
                data-testid="rotation-group"
                className={`absolute left-0 flex w-full items-end border-b border-zinc-200 bg-zinc-50 px-3 pb-1.5 dark:border-zinc-800 dark:bg-zinc-950 ${isActive ? "ring-2 ring-sky-500 ring-inset" : ""}`}
                style={position}
              >
                <div
                  role="gridcell"
                  aria-colspan={rotationColumns.length + 2}
                  className="text-sm font-semibold"
                >
                  {item.team ?? UNOWNED}
                  <span className="ml-2 text-xs font-normal text-zinc-600 dark:text-zinc-400">
                    {item.keys} key{item.keys === 1 ? "" : "s"} loaded · {item.overdue} overdue
                  </span>
                </div>
              </div>
            );
          const row = item.row;
          const isSelected = selected.has(row.id);
          return (
            <div
              role="row"
              key={item.id}
              id={rowId(virtual.index)}
              aria-rowindex={virtual.index + 2}
              aria-selected={isActive}
              tabIndex={-1}
              data-testid="rotation-row"
              data-key={row.key}
              data-secret={`${row.cluster}/${secretPath(row)}`}
              data-status={row.status}
              onClick={() => setActive(virtual.index)}
              onKeyDown={onKeyDown}
              className={`absolute left-0 grid w-full items-center border-b border-zinc-100 dark:border-zinc-800/60 ${isActive ? "bg-sky-50 dark:bg-sky-950/40" : isSelected ? "bg-sky-50/50 dark:bg-sky-950/20" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40"}`}
              style={{ ...position, gridTemplateColumns: gridTemplate }}
            >
              <div role="gridcell" className="flex items-center px-3">
                {canSelect(row) && (
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={isSelected}
                    aria-label={`Select ${keyText(row)} of ${secretPath(row)} on ${row.cluster}`}
                    onChange={() => onToggle(row)}
                    onClick={(e) => e.stopPropagation()}
                  />
                )}
              </div>
              {rotationColumns.map((column) => (
                <div role="gridcell" key={column.id} className="flex min-w-0 items-center px-3">
                  {column.cell(row, { generatedAt })}
                </div>
              ))}
              <div role="gridcell" className="flex items-center gap-1.5 px-3">
                <RowActions row={row} {...props} />
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function RowActions({ row, allowed, onWaive, onOutcome }: { row: RotationRow } & RotationsTableProps) {
  const target = row.kind === "SealedSecret" ? rotateTargetOf([row]) : null;
  const waivable =
    allowed.editPolicies &&
    row.namespace !== null &&
    !row.waiver &&
    (row.status === "overdue" ||
      row.status === "due-7" ||
      row.status === "due-30" ||
      row.status === "unknown");
  return (
    <>
      {target?.ok && allowed.rotate && (
        <Link
          href={target.href}
          tabIndex={-1}
          className={rowButtonClass}
          onClick={(e) => e.stopPropagation()}
        >
          Rotate now
        </Link>
      )}
      {row.kind !== "SealedSecret" && allowed.forceSync && (
        <ForceSyncButton row={row} onOutcome={onOutcome} />
      )}
      {row.kind !== "SealedSecret" && !allowed.forceSync && (
        <span
          className="text-xs text-zinc-600 dark:text-zinc-400"
          title="Rotate the value at the secret store's provider; the operator syncs it on its refresh interval."
        >
          at the provider
        </span>
      )}
      {waivable && (
        <button
          type="button"
          tabIndex={-1}
          className={rowButtonClass}
          onClick={(e) => {
            e.stopPropagation();
            onWaive(row);
          }}
        >
          Waive…
        </button>
      )}
    </>
  );
}
