"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { isActive, navItems } from "@/lib/navigation";

// Only the sections the user may open are listed; the pages still check for themselves.
export function AppNav({ hrefs }: { hrefs: readonly string[] }) {
  const pathname = usePathname();
  const allowed = new Set(hrefs);
  return (
    <nav aria-label="Main" className="flex gap-1 overflow-x-auto md:flex-col">
      {navItems
        .filter((item) => allowed.has(item.href))
        .map((item) => {
          const active = isActive(item.href, pathname);
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? "page" : undefined}
              className="rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap text-zinc-700 hover:bg-zinc-200/70 aria-[current=page]:bg-zinc-900 aria-[current=page]:text-white dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-zinc-100 dark:aria-[current=page]:text-zinc-900"
            >
              {item.label}
            </Link>
          );
        })}
    </nav>
  );
}
