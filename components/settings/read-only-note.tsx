/** Says why a section cannot be edited, so read-only values never look like a broken form. */
export function ReadOnlyNote({ need }: { need: string }) {
  return (
    <p className="mb-3 rounded-md bg-zinc-100 px-3 py-2 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
      Read-only: changing this needs {need}.
    </p>
  );
}
