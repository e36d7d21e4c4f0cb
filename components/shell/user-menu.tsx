"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ThemeToggle } from "./theme-toggle";

// Sign-in is not built yet: the menu says so rather than showing a fake user.
export function UserMenu() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-full border border-zinc-300 py-1 pr-3 pl-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <span aria-hidden className="grid size-7 place-items-center rounded-full bg-zinc-200 text-xs font-semibold dark:bg-zinc-700">
          ?
        </span>
        <span>Account</span>
      </button>
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          role="region"
          aria-label="Account"
          className="absolute right-0 z-20 mt-2 w-72 rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <p className="font-medium">Not signed in</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            Sign-in, roles and namespace grants are not available yet. Until they are, Sealdeck offers no action
            that changes a cluster or a repository.
          </p>
          <div className="mt-4 flex items-center justify-between gap-2">
            <span className="text-zinc-600 dark:text-zinc-400">Theme</span>
            <ThemeToggle />
          </div>
        </div>
      )}
    </div>
  );
}
