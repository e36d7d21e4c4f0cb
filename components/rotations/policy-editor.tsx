"use client";

import { useId, useState } from "react";
import { Card } from "@/components/ui/card";
import { FormAlert } from "@/components/ui/form-alert";
import { InlineQueryError } from "@/components/ui/inline-query-error";
import { useRotationPolicies } from "@/lib/queries/use-rotation-policies";
import { deleteRotationPolicy } from "@/lib/rotation/actions/delete-rotation-policy";
import { saveRotationPolicy } from "@/lib/rotation/actions/save-rotation-policy";
import {
  DEFAULT_MAX_AGE_DAYS,
  rotationPolicyInputSchema,
  type RotationPolicy,
} from "@/lib/validations/rotation";
import { secretKinds } from "@/lib/validations/secret-record";
import {
  editableLevels,
  emptyPolicyFields,
  fieldsOfLevel,
  fieldsOfPolicy,
  policyInputOf,
  type PolicyFields,
  scopeText,
} from "./policy-fields";
import { useRotationAction } from "./use-rotation-action";

const fieldClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-950";
const buttonClass =
  "rounded-md border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
const mutedClass = "text-zinc-600 dark:text-zinc-400";

const fieldLabels: Partial<Record<keyof PolicyFields, string>> = {
  environment: "Environment",
  cluster: "Cluster (blank: every cluster)",
  namespace: "Namespace",
  kind: "Kind",
  name: "Secret name",
  key: "Key",
};

/** Rotation policies: listed for everyone who sees the page, edited by security leads and admins. */
export function PolicyEditor({ canEdit }: { canEdit: boolean }) {
  const policies = useRotationPolicies();
  const [editing, setEditing] = useState<{ id?: string; fields: PolicyFields } | null>(null);
  const { run, pending, error } = useRotationAction();
  const list = policies.data?.policies ?? [];

  return (
    <Card title="Rotation policies">
      <p className={`mb-3 text-xs ${mutedClass}`}>
        The most specific policy wins: key, secret, namespace, cluster, environment, global, then the default
        of {DEFAULT_MAX_AGE_DAYS} days. A manifest can set its own with the annotation{" "}
        <code>sealdeck.io/rotate-every: 90d</code> (or <code>sealdeck.io/rotate-every.&lt;key&gt;</code>); at
        the same level, a policy here wins over the annotation.
      </p>
      {!canEdit && (
        <p className="mb-3 rounded-md bg-zinc-100 px-3 py-2 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          Read-only: changing policies needs the Security lead or Admin role (rotation-policy:write).
        </p>
      )}
      {policies.isError ? (
        <InlineQueryError
          message="The policies could not be loaded:"
          error={policies.error}
          onRetry={() => void policies.refetch()}
        />
      ) : policies.isPending ? (
        <p className={`text-sm ${mutedClass}`}>Loading policies…</p>
      ) : list.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>
          No stored policies: every key follows annotations or the default.
        </p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="rotation-policies">
          <thead className={mutedClass}>
            <tr>
              <th scope="col" className="py-1 pr-2 font-medium">
                Level
              </th>
              <th scope="col" className="py-1 pr-2 font-medium">
                Where
              </th>
              <th scope="col" className="py-1 pr-2 font-medium">
                Max age
              </th>
              <th scope="col" className="py-1 pr-2 font-medium">
                Changed
              </th>
              {canEdit && (
                <th scope="col" className="py-1 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.map((policy) => (
              <PolicyRow
                key={policy.id}
                policy={policy}
                canEdit={canEdit}
                pending={pending}
                onEdit={() => setEditing({ id: policy.id, fields: fieldsOfPolicy(policy) })}
                onDelete={() => run(() => deleteRotationPolicy({ id: policy.id }))}
              />
            ))}
          </tbody>
        </table>
      )}
      {canEdit && <FormAlert message={error} />}
      {canEdit &&
        (editing ? (
          <PolicyForm
            key={editing.id ?? "new"}
            id={editing.id}
            initial={editing.fields}
            onDone={() => setEditing(null)}
          />
        ) : (
          <button
            type="button"
            className={`${buttonClass} mt-3 px-3 py-1 text-sm`}
            onClick={() => setEditing({ fields: emptyPolicyFields })}
          >
            Add policy
          </button>
        ))}
    </Card>
  );
}

type PolicyRowProps = {
  policy: RotationPolicy;
  canEdit: boolean;
  pending: boolean;
  onEdit: () => void;
  onDelete: () => void;
};

function PolicyRow({ policy, canEdit, pending, onEdit, onDelete }: PolicyRowProps) {
  return (
    <tr className="border-t border-zinc-200 align-top dark:border-zinc-800">
      <td className="py-1 pr-2">{policy.scope.level}</td>
      <td className="py-1 pr-2">
        {scopeText(policy.scope)}
        {policy.note && <span className={`block text-xs ${mutedClass}`}>{policy.note}</span>}
      </td>
      <td className="py-1 pr-2 tabular-nums">{policy.maxAgeDays} days</td>
      <td className={`py-1 pr-2 text-xs ${mutedClass}`}>
        {policy.updatedBy}, {policy.updatedAt.slice(0, 10)}
      </td>
      {canEdit && (
        <td className="flex gap-1 py-1">
          <button
            type="button"
            className={buttonClass}
            onClick={onEdit}
            aria-label={`Edit policy for ${scopeText(policy.scope)}`}
          >
            Edit
          </button>
          <button
            type="button"
            className={buttonClass}
            disabled={pending}
            onClick={onDelete}
            aria-label={`Delete policy for ${scopeText(policy.scope)}`}
          >
            Delete
          </button>
        </td>
      )}
    </tr>
  );
}

type PolicyFormProps = { id?: string; initial: PolicyFields; onDone: () => void };

function PolicyForm({ id, initial, onDone }: PolicyFormProps) {
  const formId = useId();
  const [fields, setFields] = useState(initial);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const { run, pending, error } = useRotationAction();
  const set = (patch: Partial<PolicyFields>) => setFields((current) => ({ ...current, ...patch }));

  const submit = () => {
    const parsed = rotationPolicyInputSchema.safeParse(policyInputOf(fields, id));
    if (!parsed.success) {
      // scope.namespace → namespace; maxAge → maxAge
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path.at(-1)), i.message])));
      return;
    }
    setIssues({});
    run(() => saveRotationPolicy(parsed.data), onDone);
  };
  const input = (name: keyof PolicyFields, label: string, placeholder?: string) => (
    <label key={name} className="block text-xs">
      {label}
      <input
        className={fieldClass}
        value={fields[name]}
        placeholder={placeholder}
        onChange={(e) => set({ [name]: e.target.value })}
        aria-invalid={Boolean(issues[name])}
        aria-describedby={`${formId}-${name}`}
      />
      <span id={`${formId}-${name}`} className="text-red-700 dark:text-red-400">
        {issues[name]}
      </span>
    </label>
  );

  return (
    <form
      aria-label={id ? "Edit policy" : "Add policy"}
      className="mt-3 grid gap-2 rounded-md border border-zinc-200 p-3 sm:grid-cols-2 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="block text-xs">
        Level
        <select
          className={fieldClass}
          value={fields.level}
          onChange={(e) => set({ level: e.target.value as PolicyFields["level"] })}
        >
          {editableLevels.map((level) => (
            <option key={level} value={level}>
              {level}
            </option>
          ))}
        </select>
      </label>
      {input("maxAge", "Max age (90d, 12w, 6m, 1y)")}
      {fieldsOfLevel[fields.level].map((name) =>
        name === "kind" ? (
          <label key={name} className="block text-xs">
            Kind
            <select
              className={fieldClass}
              value={fields.kind}
              onChange={(e) => set({ kind: e.target.value as PolicyFields["kind"] })}
            >
              {secretKinds.map((kind) => (
                <option key={kind}>{kind}</option>
              ))}
            </select>
          </label>
        ) : (
          input(name, fieldLabels[name] ?? name)
        ),
      )}
      <div className="sm:col-span-2">{input("note", "Note (why this policy)")}</div>
      <div className="sm:col-span-2">
        <FormAlert message={error} />
      </div>
      <div className="flex gap-2 sm:col-span-2">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-zinc-900 px-3 py-1 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900"
        >
          {pending ? "Saving…" : id ? "Save policy" : "Add policy"}
        </button>
        <button type="button" className={`${buttonClass} px-3 py-1 text-sm`} onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
