import type { Metadata } from "next";
import Link from "next/link";
import { navItems } from "@/lib/navigation";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="max-w-xl">
      <p className="text-sm font-medium text-zinc-500">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        There is nothing at this address. It may have moved, or the link may be mistyped.
      </p>
      <ul className="mt-4 flex flex-wrap gap-2">
        {navItems.map((item) => (
          <li key={item.href}>
            <Link href={item.href} className="text-sm font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
