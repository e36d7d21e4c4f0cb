"use client";

import { useState } from "react";
import { TruncatedText } from "@/components/ui/truncated-text";
import { useVirtualGrid } from "@/components/ui/use-virtual-grid";
import { actionLabel } from "@/lib/audit/display/action-labels";
import type { AuditEventView } from "@/lib/validations/audit-query";
import { AuditEventDetails } from "./audit-event-details";
import { formatActor, formatTarget, formatTime } from "./format-audit";
import { OutcomeBadge } from "./outcome-badge";

const ROW_HEIGHT = 40;
// The Time column holds a whole "2026-12-06 08:11:01 UTC": at 12rem it was cut before its time zone.
const gridTemplate = "5.5rem 13.5rem minmax(8rem,1fr) minmax(10rem,1fr) minmax(12rem,2fr) 6.5rem";
const columns = ["#", "Time", "Actor", "Action", "Target", "Outcome"];

type AuditTableProps = {
  events: AuditEventView[];
  /** The result recorded for each pending request, by the request's seq (pairAuditResults). */
  results: ReadonlyMap<string, AuditEventView>;
  hasMore: boolean;
  loadingMore: boolean;
  onNearEnd: () => void;
};

/**
 * The audit log, newest first, virtualized: only the visible rows are in the DOM. A row opens to show
 * everything the event holds. Keyboard: focus the table, arrows (Home/End/PageUp/PageDown) move,
 * Enter or Space opens and closes the active row.
 */
export function AuditTable({ events, results, hasMore, loadingMore, onNearEnd }: AuditTableProps) {
  const [focused, setFocused] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (seq: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  const { scrollRef, virtualizer, items, activeIndex, setActive, onKeyDown } = useVirtualGrid({
    count: events.length,
    rowHeight: ROW_HEIGHT,
    getItemKey: (index) => events[index]?.seq ?? index,
    overscan: 12,
    hasMore,
    nearEnd: 30,
    onNearEnd,
    onActivate: (index) => {
      const seq = events[index]?.seq;
      if (seq) toggle(seq);
    },
    activateKeys: [" "],
  });
  const rowId = (index: number) => `audit-row-${index}`;

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label="Audit events"
      aria-rowcount={hasMore ? -1 : events.length + 1}
      aria-activedescendant={events.length > 0 ? rowId(activeIndex) : undefined}
      aria-busy={loadingMore}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
      className="h-[calc(100vh-24rem)] min-h-80 overflow-auto rounded-lg border border-zinc-200 bg-white text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div
        role="row"
        aria-rowindex={1}
        className="sticky top-0 z-10 grid min-w-[56rem] border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950"
        style={{ gridTemplateColumns: gridTemplate }}
      >
        {columns.map((label) => (
          <div
            role="columnheader"
            key={label}
            className="px-3 py-2 text-left text-xs font-semibold text-zinc-600 dark:text-zinc-300"
          >
            {label}
          </div>
        ))}
      </div>
      <div
        role="rowgroup"
        className="min-w-[56rem]"
        style={{ height: virtualizer.getTotalSize(), position: "relative" }}
      >
        {items.map((item) => {
          const event = events[item.index];
          if (!event) return null;
          const isActive = item.index === activeIndex;
          const isOpen = expanded.has(event.seq);
          const showFull = isActive && focused;
          const result = results.get(event.seq);
          return (
            <div
              key={event.seq}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="absolute left-0 w-full border-b border-zinc-100 dark:border-zinc-800/60"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <div
                role="row"
                id={rowId(item.index)}
                aria-rowindex={item.index + 2}
                aria-selected={isActive}
                data-expanded={isOpen}
                tabIndex={-1}
                data-testid="audit-row"
                onClick={() => {
                  setActive(item.index);
                  toggle(event.seq);
                }}
                onKeyDown={onKeyDown}
                className={`grid cursor-pointer items-center ${isActive ? "bg-sky-50 shadow-[inset_3px_0_0_0] shadow-sky-600 dark:bg-sky-950/40 dark:shadow-sky-400" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/40"}`}
                style={{ height: ROW_HEIGHT, gridTemplateColumns: gridTemplate }}
              >
                <div role="gridcell" className="flex items-center gap-1 px-3 font-mono text-xs">
                  <span aria-hidden className="text-zinc-400">
                    {isOpen ? "▾" : "▸"}
                  </span>
                  <span className="sr-only">{isOpen ? "details shown, " : ""}</span>
                  {event.seq}
                </div>
                <div
                  role="gridcell"
                  className="truncate px-3 text-zinc-700 dark:text-zinc-300"
                  data-testid="audit-time"
                >
                  <time dateTime={event.time}>{formatTime(event.time)}</time>
                </div>
                <div role="gridcell" className="min-w-0 px-3">
                  <TruncatedText text={formatActor(event.actor)} focused={showFull} />
                </div>
                <div role="gridcell" className="min-w-0 px-3">
                  <TruncatedText text={`${actionLabel(event.action)} (${event.action})`} focused={showFull}>
                    {actionLabel(event.action)}{" "}
                    <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{event.action}</span>
                  </TruncatedText>
                </div>
                <div role="gridcell" className="min-w-0 px-3">
                  <TruncatedText text={formatTarget(event.target)} focused={showFull} />
                </div>
                <div role="gridcell" className="px-3">
                  <OutcomeBadge outcome={event.outcome} result={result} />
                </div>
              </div>
              {isOpen && (
                <div className="border-t border-zinc-100 bg-zinc-50/60 dark:border-zinc-800 dark:bg-zinc-950/40">
                  <AuditEventDetails event={event} />
                </div>
              )}
            </div>
          );
        })}
      </div>
      {loadingMore && (
        <p
          role="status"
          className="sticky bottom-0 bg-white/90 px-3 py-2 text-xs text-zinc-600 dark:bg-zinc-900/90 dark:text-zinc-400"
        >
          Loading older events…
        </p>
      )}
    </div>
  );
}
