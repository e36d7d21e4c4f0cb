"use client";

import { useState } from "react";
import { saveRepositories } from "@/lib/settings/actions/save-repositories";
import type { GitopsRepository } from "@/lib/validations/gitops";
import { ReadOnlyNote } from "./read-only-note";
import { RepositoryForm } from "./repository-form";
import { envNamesOf } from "./repository-fields";
import { buttonClass, mutedClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

type RepositoriesSettingsProps = {
  /** What is stored; null when nothing is, and `inEffect` is the local default. */
  stored: GitopsRepository[] | null;
  inEffect: GitopsRepository[];
  /** Whether each named environment variable is set on the server: a boolean, never the value. */
  envPresence: Record<string, boolean>;
  /** The operator's SEALDECK_GIT_ALLOWED_HOSTS; null when unset. */
  allowedHosts: string[] | null;
  canEdit: boolean;
  error: string | null;
};

function where(repo: GitopsRepository): string {
  return repo.provider === "plain-git" ? repo.remote : `${repo.baseUrl} · ${repo.repository}`;
}

// Settings → Repositories: where proposals go, and whether their credentials' variables are set.
export function RepositoriesSettings({
  stored,
  inEffect,
  envPresence,
  allowedHosts,
  canEdit,
  error: storedError,
}: RepositoriesSettingsProps) {
  const { run, pending, error, saved } = useSettingsAction();
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const list = stored ?? [];

  const save = (next: GitopsRepository[] | null) =>
    run(
      () => saveRepositories({ repositories: next }),
      () => setEditing(null),
    );

  return (
    <div className="space-y-3">
      {!canEdit && <ReadOnlyNote need="the Admin role (repositories:write)" />}
      {storedError && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {storedError} Proposals are refused until it is fixed; save the list again or reset it.
        </p>
      )}
      {stored === null && (
        <p className={`text-sm ${mutedClass}`}>
          None configured: proposals go to the local default below (plain git, no credentials).
        </p>
      )}
      <ul className="space-y-2">
        {inEffect.map((repo, index) => (
          <li
            key={repo.id}
            data-testid={`repository-${repo.id}`}
            className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800"
          >
            {editing === index ? (
              <RepositoryForm
                initial={repo}
                allowedHosts={allowedHosts}
                pending={pending}
                onCancel={() => setEditing(null)}
                onSubmit={(next) => save(list.map((r, i) => (i === index ? next : r)))}
              />
            ) : (
              <>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p>
                    <span className="font-medium">{repo.id}</span>{" "}
                    <span className={mutedClass}>
                      {repo.provider}
                      {stored === null && " · local default"}
                    </span>
                  </p>
                  {canEdit && stored !== null && (
                    <span className="flex gap-2">
                      <button type="button" className={buttonClass} onClick={() => setEditing(index)}>
                        Edit<span className="sr-only"> {repo.id}</span>
                      </button>
                      <button
                        type="button"
                        className={buttonClass}
                        disabled={pending}
                        onClick={() => save(list.length === 1 ? null : list.filter((_, i) => i !== index))}
                      >
                        Remove<span className="sr-only"> {repo.id}</span>
                      </button>
                    </span>
                  )}
                </div>
                <p className={`font-mono text-xs break-all ${mutedClass}`}>{where(repo)}</p>
                <p className={`text-xs ${mutedClass}`}>
                  base {repo.baseBranch} · branches {repo.branchPrefix}/… · {repo.pathTemplates.join(", ")}
                  {repo.labels.length > 0 && ` · labels ${repo.labels.join(", ")}`}
                  {repo.reviewers.length > 0 && ` · reviewers ${repo.reviewers.join(", ")}`}
                </p>
                {envNamesOf(repo).length > 0 && (
                  <ul className="mt-1 flex flex-wrap gap-2 text-xs">
                    {envNamesOf(repo).map((name) => (
                      <li key={name} className="font-mono">
                        {name}:{" "}
                        {envPresence[name] ? (
                          <span className="text-emerald-700 dark:text-emerald-400">set on the server</span>
                        ) : (
                          <span className="text-red-700 dark:text-red-400">not set on the server</span>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {canEdit &&
        (editing === "new" ? (
          <RepositoryForm
            initial={null}
            allowedHosts={allowedHosts}
            pending={pending}
            onCancel={() => setEditing(null)}
            onSubmit={(repo) => save([...list, repo])}
          />
        ) : (
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonClass} onClick={() => setEditing("new")}>
              Add repository
            </button>
            {stored !== null && (
              <button type="button" className={buttonClass} disabled={pending} onClick={() => save(null)}>
                Reset to the local default
              </button>
            )}
          </div>
        ))}
      <ActionStatus error={error} saved={saved} />
    </div>
  );
}
