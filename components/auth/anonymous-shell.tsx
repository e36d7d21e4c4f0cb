import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/shell/theme-toggle";

// The frame around pages for someone not signed in (the sign-in page): no navigation, no account menu.
export function AnonymousShell({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between gap-4 border-b border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
        <span className="flex items-center gap-2 font-semibold tracking-tight">
          <span
            aria-hidden
            className="grid size-7 place-items-center rounded-md bg-emerald-600 text-sm text-white"
          >
            S
          </span>
          Sealdeck
        </span>
        <ThemeToggle />
      </header>
      <main id="main" tabIndex={-1} className="flex flex-1 justify-center px-4 py-10">
        {children}
      </main>
    </div>
  );
}
