import Link from "next/link";

export type SealTool = "cluster" | "value";

const tabs: { tool: SealTool; label: string; href: string }[] = [
  { tool: "cluster", label: "Seal for a cluster", href: "/seal" },
  { tool: "value", label: "Seal a single value", href: "/seal?tool=value" },
];

/** The seal page's two tools, as links so each is addressable and works by keyboard. */
export function SealTabs({ current }: { current: SealTool }) {
  return (
    <nav aria-label="Seal tools" className="mb-5 border-b border-zinc-200 dark:border-zinc-800">
      <ul className="-mb-px flex gap-4 text-sm">
        {tabs.map((tab) => (
          <li key={tab.tool}>
            <Link
              href={tab.href}
              aria-current={tab.tool === current ? "page" : undefined}
              className="inline-block border-b-2 border-transparent px-1 pb-2 font-medium text-zinc-600 hover:text-zinc-900 aria-[current=page]:border-emerald-600 aria-[current=page]:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-[current=page]:border-emerald-500 dark:aria-[current=page]:text-zinc-100"
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
