"use client";

import { FormAlert } from "@/components/ui/form-alert";
import { HydratedSubmitButton } from "@/components/ui/hydrated-submit-button";
import { useState, type FormEvent } from "react";
import { changeOwnPassword } from "@/lib/auth/actions/change-own-password";

type ChangePasswordFormProps = { username: string; next: string };

const fields = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password (at least 12 characters)", autoComplete: "new-password" },
  { name: "confirmPassword", label: "Repeat the new password", autoComplete: "new-password" },
] as const;

export function ChangePasswordForm({ username, next }: ChangePasswordFormProps) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    const result = await changeOwnPassword(
      Object.fromEntries(fields.map((f) => [f.name, String(form.get(f.name) ?? "")])),
    );
    if (result.ok) {
      window.location.assign(new URL(next, window.location.origin));
      return;
    }
    setPending(false);
    setError(result.error);
    setFieldErrors(result.fieldErrors ?? {});
  };

  return (
    <form
      method="post"
      onSubmit={(event) => void onSubmit(event)}
      className="space-y-4"
      aria-label="Change password"
    >
      {/* Lets password managers pair the new password with the account. */}
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      {fields.map((field) => (
        <div key={field.name}>
          <label htmlFor={field.name} className="block text-sm font-medium">
            {field.label}
          </label>
          <input
            id={field.name}
            name={field.name}
            type="password"
            required
            autoComplete={field.autoComplete}
            aria-invalid={fieldErrors[field.name] ? true : undefined}
            aria-describedby={fieldErrors[field.name] ? `${field.name}-error` : undefined}
            className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
          {fieldErrors[field.name] && (
            <p id={`${field.name}-error`} className="mt-1 text-sm text-red-700 dark:text-red-400">
              {fieldErrors[field.name]?.join("; ")}
            </p>
          )}
        </div>
      ))}
      <FormAlert message={error} />
      <HydratedSubmitButton label="Change password" pendingLabel="Saving…" pending={pending} />
    </form>
  );
}
