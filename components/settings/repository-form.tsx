"use client";

import { useId, useState, type FormEvent } from "react";
import { DEFAULT_GIT_HOSTS, gitHostField, gitHostProblem } from "@/lib/validations/git-hosts";
import {
  GIT_CREDENTIAL_ENV_PREFIX,
  gitProviderKinds,
  gitopsRepositorySchema,
  type GitopsRepository,
} from "@/lib/validations/gitops";
import {
  type Draft,
  type FieldSpec,
  fieldLabel,
  fromDraft,
  isEnvField,
  providerFields,
  toDraft,
} from "./repository-fields";
import { buttonClass, fieldClass, mutedClass, primaryButtonClass } from "./settings-classes";

const providerLabels: Record<string, string> = {
  "plain-git": "Plain git",
  github: "GitHub (token or GitHub App)",
  gitlab: "GitLab",
  gitea: "Gitea / Forgejo",
};

function hostRule(key: string, allowedHosts: readonly string[] | null): string {
  if (allowedHosts) return `Allowed Git hosts (SEALDECK_GIT_ALLOWED_HOSTS): ${allowedHosts.join(", ")}.`;
  return key === "remote"
    ? "Any remote: SEALDECK_GIT_ALLOWED_HOSTS is not set."
    : `Only ${DEFAULT_GIT_HOSTS.join(" and ")} while SEALDECK_GIT_ALLOWED_HOSTS is not set.`;
}

type RepositoryFormProps = {
  initial: GitopsRepository | null;
  /** The operator's SEALDECK_GIT_ALLOWED_HOSTS; null when unset (the public forges only). */
  allowedHosts: readonly string[] | null;
  pending: boolean;
  onSubmit: (repository: GitopsRepository) => void;
  onCancel: () => void;
};

// Add or edit one repository; the fields come from the schema of the chosen provider.
export function RepositoryForm({ initial, allowedHosts, pending, onSubmit, onCancel }: RepositoryFormProps) {
  const id = useId();
  const [provider, setProvider] = useState<string>(initial?.provider ?? "github");
  const [draft, setDraft] = useState<Draft>(() =>
    toDraft(providerFields[initial?.provider ?? "github"] ?? [], (initial ?? {}) as Record<string, unknown>),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const fields = providerFields[provider] ?? [];

  const changeProvider = (next: string) => {
    setProvider(next);
    // Keep what the providers share (id, branches, templates…); the rest starts empty.
    setDraft((current) => toDraft(providerFields[next] ?? [], fromDraft(fields, current)));
    setErrors({});
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = gitopsRepositorySchema.safeParse({ provider, ...fromDraft(fields, draft) });
    if (!parsed.success) {
      const found: Record<string, string> = {};
      for (const issue of parsed.error.issues) found[issue.path.join(".")] ??= issue.message;
      setErrors(found);
      return;
    }
    // The server checks the host again when saving and before every request.
    const hostProblem = gitHostProblem(parsed.data, allowedHosts ?? undefined);
    if (hostProblem) {
      setErrors({ [gitHostField(parsed.data)]: hostProblem });
      return;
    }
    setErrors({});
    onSubmit(parsed.data);
  };

  const setAt = (path: string[], value: string) =>
    setDraft((current) => {
      const copy: Draft = structuredClone(current);
      let node = copy;
      for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Draft;
      node[path.at(-1)!] = value;
      return copy;
    });

  const render = (spec: FieldSpec, path: string[], values: Draft): React.ReactNode => {
    if (spec.kind === "fixed") return null;
    const name = [...path, spec.key].join(".");
    const fieldId = `${id}-${name}`;
    if (spec.kind === "object" || spec.kind === "choice") {
      const inner = (values[spec.key] ?? {}) as Draft;
      const chosen =
        spec.kind === "choice"
          ? (spec.options.find((o) => o.value === inner[spec.discriminator]) ?? spec.options[0])
          : undefined;
      return (
        <fieldset
          key={name}
          className="space-y-2 rounded-md border border-zinc-200 p-2 sm:col-span-2 dark:border-zinc-800"
        >
          <legend className="px-1 text-xs font-medium">{fieldLabel(spec.key)}</legend>
          {spec.kind === "choice" && spec.options.length > 1 && (
            <div>
              <label htmlFor={`${fieldId}-type`} className="block text-xs font-medium">
                Type
              </label>
              <select
                id={`${fieldId}-type`}
                value={chosen?.value}
                onChange={(e) => setAt([...path, spec.key, spec.discriminator], e.target.value)}
                className={fieldClass}
              >
                {spec.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.value === "token" ? "Access token" : o.value === "github-app" ? "GitHub App" : o.value}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="grid gap-2 sm:grid-cols-2">
            {(spec.kind === "object" ? spec.fields : (chosen?.fields ?? [])).map((f) =>
              render(f, [...path, spec.key], inner),
            )}
          </div>
        </fieldset>
      );
    }
    const value = typeof values[spec.key] === "string" ? (values[spec.key] as string) : "";
    const common = {
      id: fieldId,
      value,
      "aria-invalid": Boolean(errors[name]),
      "aria-describedby": `${fieldId}-error`,
      placeholder: spec.placeholder,
      autoComplete: "off",
      spellCheck: false,
      className: fieldClass,
    };
    return (
      <div key={name} className={spec.kind === "lines" ? "sm:col-span-2" : undefined}>
        <label htmlFor={fieldId} className="block text-xs font-medium">
          {fieldLabel(spec.key)}
          {!spec.required && <span className={`font-normal ${mutedClass}`}> (optional)</span>}
        </label>
        {spec.kind === "lines" ? (
          <textarea {...common} rows={2} onChange={(e) => setAt([...path, spec.key], e.target.value)} />
        ) : (
          <input
            {...common}
            inputMode={spec.kind === "number" ? "numeric" : undefined}
            onChange={(e) => setAt([...path, spec.key], e.target.value)}
          />
        )}
        {isEnvField(spec.key) && (
          <p className={`text-xs ${mutedClass}`}>
            The variable&apos;s name, starting with {GIT_CREDENTIAL_ENV_PREFIX} (e.g.{" "}
            {GIT_CREDENTIAL_ENV_PREFIX}GITHUB_TOKEN) — never the value.
          </p>
        )}
        {(spec.key === "baseUrl" || spec.key === "remote") && (
          <p className={`text-xs ${mutedClass}`}>{hostRule(spec.key, allowedHosts)}</p>
        )}
        <p id={`${fieldId}-error`} className="text-xs text-red-700 dark:text-red-400">
          {errors[name]}
        </p>
      </div>
    );
  };

  return (
    <form
      onSubmit={submit}
      aria-label={initial ? `Edit repository ${initial.id}` : "Add a repository"}
      className="space-y-3 rounded-md border border-zinc-300 p-3 dark:border-zinc-700"
    >
      <div>
        <label htmlFor={`${id}-provider`} className="block text-xs font-medium">
          Provider
        </label>
        <select
          id={`${id}-provider`}
          value={provider}
          onChange={(e) => changeProvider(e.target.value)}
          className={fieldClass}
        >
          {gitProviderKinds.map((kind) => (
            <option key={kind} value={kind}>
              {providerLabels[kind] ?? kind}
            </option>
          ))}
        </select>
      </div>
      <div className="grid gap-2 sm:grid-cols-2">{fields.map((spec) => render(spec, [], draft))}</div>
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Some fields are not valid; see the messages above.
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Saving…" : initial ? "Save repository" : "Add repository"}
        </button>
        <button type="button" onClick={onCancel} className={buttonClass}>
          Cancel
        </button>
      </div>
    </form>
  );
}
