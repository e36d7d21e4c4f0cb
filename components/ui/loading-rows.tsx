type LoadingRowsProps = {
  /** Read by screen readers, e.g. "Loading secrets…". */
  label: string;
  rows: number;
  /** The height of one placeholder row (a Tailwind class such as "h-9"), close to the real row's. */
  rowClassName: string;
};

/** Pulsing placeholder rows while a client list loads its first page, announced politely. */
export function LoadingRows({ label, rows, rowClassName }: LoadingRowsProps) {
  return (
    <div role="status" aria-live="polite" className="space-y-2">
      <span className="sr-only">{label}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={`${rowClassName} animate-pulse rounded bg-zinc-200 dark:bg-zinc-800`} />
      ))}
    </div>
  );
}
