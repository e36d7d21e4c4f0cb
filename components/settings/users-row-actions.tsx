"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { changeUserRole } from "@/lib/auth/actions/change-user-role";
import { revokeUserSessions } from "@/lib/auth/actions/revoke-user-sessions";
import { roleLabels, roles, type Role } from "@/lib/auth/roles";

type UsersRowActionsProps = {
  userId: string;
  username: string;
  role: Role;
  openSessions: number;
  part: "role" | "sessions";
};

// One user's role picker or session revoke button (admins only; the actions check again on the server).
export function UsersRowActions({ userId, username, role, openSessions, part }: UsersRowActionsProps) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const id = useId();

  const run = (action: () => Promise<{ ok: boolean; error?: string }>) =>
    startTransition(async () => {
      const result = await action();
      setError(result.ok ? null : (result.error ?? "Failed."));
      router.refresh();
    });

  return (
    <div>
      {part === "role" ? (
        <>
          <label htmlFor={id} className="sr-only">
            Role of {username}
          </label>
          <select
            id={id}
            value={role}
            disabled={pending}
            onChange={(event) => run(() => changeUserRole({ userId, role: event.target.value }))}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-950"
          >
            {roles.map((value) => (
              <option key={value} value={value}>
                {roleLabels[value]}
              </option>
            ))}
          </select>
        </>
      ) : (
        <button
          type="button"
          disabled={pending || openSessions === 0}
          onClick={() => run(() => revokeUserSessions({ userId }))}
          aria-label={`Sign out ${username} everywhere`}
          className="rounded-md border border-zinc-300 px-2 py-1 whitespace-nowrap hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Revoke {openSessions} session{openSessions === 1 ? "" : "s"}
        </button>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
