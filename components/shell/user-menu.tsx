"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useId, useRef, useState } from "react";
import { useSignedInUser } from "@/components/auth/signed-in-user";
import { roleLabels } from "@/lib/auth/roles";
import { ThemeToggle } from "./theme-toggle";

function initials(name: string) {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() ?? "");
  return (letters.length > 1 ? letters[0]! + letters.at(-1)! : (letters[0] ?? "?")).slice(0, 2);
}

// The signed-in user, their role, and sign-out. Sign-out revokes the server-side session (not only the cookie).
export function UserMenu() {
  const user = useSignedInUser();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
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

  if (!user) return null;

  const onSignOut = () => {
    setSigningOut(true);
    // An OIDC session ends at the provider too (RP-initiated logout) when its discovery offers it.
    void signOut({ callbackUrl: user.providerLogout ? "/api/sso/logout" : "/sign-in" });
  };

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Account: ${user.displayName}`}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-full border border-zinc-300 py-1 pr-3 pl-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        <span
          aria-hidden
          className="grid size-7 place-items-center rounded-full bg-zinc-200 text-xs font-semibold dark:bg-zinc-700"
        >
          {initials(user.displayName)}
        </span>
        <span aria-hidden className="hidden sm:inline">
          {user.displayName}
        </span>
      </button>
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          role="region"
          aria-label="Account"
          className="absolute right-0 z-20 mt-2 w-72 rounded-lg border border-zinc-200 bg-white p-4 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <p className="font-medium">{user.displayName}</p>
          <p className="text-zinc-600 dark:text-zinc-400">{user.username}</p>
          <p className="mt-2">
            Role: <span data-testid="user-role">{roleLabels[user.role]}</span>
          </p>
          <div className="mt-4 flex items-center justify-between gap-2">
            <span className="text-zinc-600 dark:text-zinc-400">Theme</span>
            <ThemeToggle />
          </div>
          <div className="mt-4 flex items-center justify-between gap-2 border-t border-zinc-200 pt-3 dark:border-zinc-700">
            {user.hasPassword === false ? (
              <span />
            ) : (
              <Link
                href="/change-password"
                className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
              >
                Change password
              </Link>
            )}
            <button
              type="button"
              onClick={onSignOut}
              disabled={signingOut}
              className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700 disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900"
            >
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
