// Shared Tailwind classes of the settings forms (light and dark).
export const fieldClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm aria-invalid:border-red-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-950";
export const buttonClass =
  "rounded-md border border-zinc-300 px-3 py-1 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
export const primaryButtonClass =
  "rounded-md bg-zinc-900 px-3 py-1 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300";
export const mutedClass = "text-zinc-600 dark:text-zinc-400";
