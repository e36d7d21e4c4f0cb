import Link from "next/link";
import type { ReactNode } from "react";
import { AppNav } from "./app-nav";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

/** `navHrefs`: the sections the signed-in user may open (lib/auth/visible-nav-hrefs.ts). */
export function AppShell({ children, navHrefs }: { children: ReactNode; navHrefs: readonly string[] }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-white px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 dark:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="flex items-center justify-between gap-4 border-b border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span
            aria-hidden
            className="grid size-7 place-items-center rounded-md bg-emerald-600 text-sm text-white"
          >
            S
          </span>
          Sealdeck
        </Link>
        <div className="flex items-center gap-3">
          <div className="hidden sm:block">
            <ThemeToggle />
          </div>
          <UserMenu />
        </div>
      </header>
      <div className="flex flex-1 flex-col md:flex-row">
        <aside className="border-b border-zinc-200 bg-white p-2 md:w-56 md:shrink-0 md:border-r md:border-b-0 dark:border-zinc-800 dark:bg-zinc-900">
          <AppNav hrefs={navHrefs} />
        </aside>
        {/* min-w-0: a wide table scrolls inside its own box instead of squeezing the sidebar or the page. */}
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
