import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

/** A titled section of the secret page, with an empty-state line when it has nothing to show. */
export function DetailSection({
  title,
  empty,
  children,
}: {
  title: string;
  empty?: string | false;
  children?: ReactNode;
}) {
  return (
    <Card title={title}>
      {empty ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{empty}</p> : children}
    </Card>
  );
}

export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
          <dd className="min-w-0 break-words">{value ?? "—"}</dd>
        </div>
      ))}
    </dl>
  );
}
