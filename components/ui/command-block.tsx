/**
 * A shell command to copy, shown in a warning. It wraps instead of scrolling: a scrolling box would have
 * to be focusable to be usable by keyboard (axe: scrollable-region-focusable), and copying wrapped text
 * still gives the one-line command.
 */
export function CommandBlock({ command }: { command: string }) {
  return (
    <pre className="mt-1 rounded bg-amber-100 p-1.5 text-xs break-all whitespace-pre-wrap dark:bg-amber-900/40">
      <code>{command}</code>
    </pre>
  );
}
