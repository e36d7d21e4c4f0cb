"use client";

import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
} from "@tanstack/react-virtual";
import { useLayoutEffect, useReducer, useState } from "react";

type RowVirtualizerOptions = {
  count: number;
  getScrollElement: () => HTMLElement | null;
  estimateSize: () => number;
  getItemKey: (index: number) => string | number;
  overscan: number;
};

/**
 * TanStack Virtual's row virtualizer, wired the way its `useVirtualizer` is but without flushSync:
 * the table's rows have a fixed height, so nothing needs measuring synchronously. (Calling
 * `useVirtualizer` directly is flagged by the React Compiler lint as an incompatible library.)
 */
export function useRowVirtualizer(options: RowVirtualizerOptions): Virtualizer<HTMLElement, Element> {
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const resolved = {
    ...options,
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    onChange: () => rerender(),
  };
  const [instance] = useState(() => new Virtualizer<HTMLElement, Element>(resolved));
  instance.setOptions(resolved);
  useLayoutEffect(() => instance._didMount(), [instance]);
  useLayoutEffect(() => instance._willUpdate());
  return instance;
}
