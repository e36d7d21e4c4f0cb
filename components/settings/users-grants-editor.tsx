"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { addNamespaceGrant } from "@/lib/auth/actions/add-namespace-grant";
import { removeNamespaceGrant } from "@/lib/auth/actions/remove-namespace-grant";

type UsersGrantsEditorProps = {
  userId: string;
  username: string;
  grants: { id: string; cluster: string; namespace: string; source: "mapping" | "admin" }[];
  /** Role and mapping grants follow the user's OIDC groups at each sign-in. */
  groupManaged?: boolean;
};

// A user's namespace grants with remove buttons, and a small form to add one.
export function UsersGrantsEditor({
  userId,
  username,
  grants,
  groupManaged = false,
}: UsersGrantsEditorProps) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<{ ok: boolean; error?: string }>, onDone?: () => void) =>
    startTransition(async () => {
      const result = await action();
      setError(result.ok ? null : (result.error ?? "Failed."));
      if (result.ok) onDone?.();
      router.refresh();
    });

  const onAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    run(
      () =>
        addNamespaceGrant({
          userId,
          cluster: String(data.get("cluster") ?? ""),
          namespace: String(data.get("namespace") ?? ""),
        }),
      () => form.reset(),
    );
  };

  return (
    <div className="space-y-2">
      <ul className="flex flex-wrap gap-1">
        {grants.map((grant) => (
          <li
            key={grant.id}
            className="flex items-center gap-1 rounded bg-zinc-100 px-2 py-0.5 font-mono text-xs dark:bg-zinc-800"
          >
            {grant.cluster}/{grant.namespace}
            {groupManaged && (
              <span
                className="font-sans text-zinc-600 dark:text-zinc-400"
                title={
                  grant.source === "mapping"
                    ? "From the group mapping: follows the user's groups at each sign-in"
                    : "Added by an admin: kept whatever the groups say"
                }
              >
                {grant.source === "mapping" ? "· group mapping" : "· admin"}
              </span>
            )}
            <button
              type="button"
              disabled={pending}
              onClick={() => run(() => removeNamespaceGrant({ grantId: grant.id }))}
              aria-label={`Remove grant ${grant.cluster}/${grant.namespace} from ${username}`}
              className="text-zinc-500 hover:text-red-700"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={onAdd}
        className="flex flex-wrap items-center gap-1"
        aria-label={`Add a grant for ${username}`}
      >
        <input
          name="cluster"
          required
          placeholder="cluster or *"
          aria-label={`Cluster for ${username}`}
          className="w-28 rounded border border-zinc-300 bg-white px-2 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
        <input
          name="namespace"
          required
          placeholder="namespace or *"
          aria-label={`Namespace for ${username}`}
          className="w-32 rounded border border-zinc-300 bg-white px-2 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
        <button
          type="submit"
          disabled={pending}
          className="rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Add grant
        </button>
      </form>
      {groupManaged && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Grants from the group mapping are replaced at each sign-in; grants added here are kept.
        </p>
      )}
      {error && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
