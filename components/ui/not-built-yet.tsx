import { Card } from "./card";

type NotBuiltYetProps = { feature: string; what: string[] };

/** Says plainly that a section is not built yet, and what it will do; nothing here pretends to work. */
export function NotBuiltYet({ feature, what }: NotBuiltYetProps) {
  return (
    <Card>
      <p className="inline-flex items-center rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
        Not available yet
      </p>
      <p className="mt-3 text-sm">
        <span className="font-medium">{feature}</span>: not built yet. When it is, this page will:
      </p>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
        {what.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </Card>
  );
}
