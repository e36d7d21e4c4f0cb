export const rowButtonClass =
  "rounded border border-zinc-300 px-2 py-0.5 text-xs font-medium whitespace-nowrap hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const mutedTextClass = "text-xs text-zinc-600 dark:text-zinc-400";
export const linkClass = "text-sky-700 underline-offset-2 hover:underline dark:text-sky-400";
