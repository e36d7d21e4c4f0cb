"use client";

import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useRowVirtualizer } from "@/components/secrets/use-row-virtualizer";

type VirtualGridOptions = {
  count: number;
  rowHeight: number;
  getItemKey: (index: number) => string | number;
  overscan: number;
  /** More rows exist on the server: `onNearEnd` is called once the last `nearEnd` rows are in view. */
  hasMore: boolean;
  nearEnd: number;
  onNearEnd: () => void;
  /** Enter (and any of `activateKeys`) on the active row. */
  onActivate: (index: number) => void;
  activateKeys?: readonly string[];
};

/**
 * What the virtualized tables share (Secrets, Audit): fixed-height rows in a scroll container, loading
 * more near the end, and a keyboard model where the focused grid has one active row (arrows,
 * PageUp/PageDown, Home/End move it; Enter activates it) announced with aria-activedescendant.
 */
export function useVirtualGrid(options: VirtualGridOptions) {
  const { count, rowHeight, hasMore, nearEnd, onNearEnd, onActivate } = options;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useRowVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: options.getItemKey,
    overscan: options.overscan,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastVisible >= count - nearEnd) onNearEnd();
  }, [hasMore, lastVisible, count, nearEnd, onNearEnd]);
  const activeIndex = Math.min(active, Math.max(count - 1, 0));

  const move = (index: number) => {
    const next = Math.max(0, Math.min(count - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };
  const activateKeys = new Set(["Enter", ...(options.activateKeys ?? [])]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      move(target);
    } else if (activateKeys.has(event.key)) {
      event.preventDefault();
      onActivate(activeIndex);
    }
  };
  return { scrollRef, virtualizer, items, activeIndex, setActive, onKeyDown };
}
