import type { ReactNode } from "react";

type TruncatedTextProps = {
  text: string;
  className?: string;
  children?: ReactNode;
  /**
   * Inside a grid that keeps focus itself (aria-activedescendant), cells take no Tab stop: the grid says
   * when its active row's cells count as focused.
   */
  focused?: boolean;
};

/**
 * Text cut to one line with an ellipsis, whose whole text shows on hover and on keyboard focus (a
 * `title` alone reaches neither keyboard nor touch users). The visible copy is hidden from assistive
 * technology; the cut text itself is already complete for them.
 */
export function TruncatedText({ text, className = "", children, focused }: TruncatedTextProps) {
  const inGrid = focused !== undefined;
  return (
    <span className={`group/trunc relative block min-w-0 ${className}`}>
      <span
        tabIndex={inGrid ? undefined : 0}
        title={text}
        className="block truncate rounded-sm focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:outline-none"
      >
        {children ?? text}
      </span>
      <span
        aria-hidden
        className={`pointer-events-none absolute top-full left-0 z-30 mt-1 w-max max-w-md ${focused ? "block" : "hidden"} rounded bg-zinc-900 px-2 py-1 text-xs font-normal break-words whitespace-normal text-white shadow-lg group-focus-within/trunc:block group-hover/trunc:block group-data-[show-full=true]/row:block dark:bg-zinc-100 dark:text-zinc-900`}
      >
        {text}
      </span>
    </span>
  );
}
