"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";
import { saveNotificationChannel } from "@/lib/notifications/actions/save-notification-channel";
import type { NotificationChannel } from "@/lib/validations/notifications";
import {
  type ChannelFields,
  channelFromFields,
  emptyChannelFields,
  fieldsOfChannel,
} from "./notification-channel-fields";
import { buttonClass, fieldClass, mutedClass, primaryButtonClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

type NotificationChannelFormProps = {
  /** The channel to edit; absent: a new one. */
  channel?: NotificationChannel;
  onDone: () => void;
};

// Adds or edits one notification channel. Secrets are named by their environment variable, never typed.
export function NotificationChannelForm({ channel, onDone }: NotificationChannelFormProps) {
  const id = useId();
  const { run, pending, error, setError, saved } = useSettingsAction();
  const [fields, setFields] = useState<ChannelFields>(
    channel ? fieldsOfChannel(channel) : emptyChannelFields,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof ChannelFields>(key: K, value: ChannelFields[K]) =>
    setFields((current) => ({ ...current, [key]: value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const result = channelFromFields(fields, channel?.id ?? crypto.randomUUID());
    if (!result.ok) {
      setErrors(result.errors);
      setError(null);
      return;
    }
    setErrors({});
    run(() => saveNotificationChannel({ channel: result.channel }), onDone);
  };

  const text = (key: keyof ChannelFields, label: string, hint?: ReactNode, type = "text") => (
    <div>
      <label htmlFor={`${id}-${key}`} className="block text-xs font-medium">
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        type={type}
        value={String(fields[key])}
        onChange={(e) => set(key, e.target.value as never)}
        aria-invalid={Boolean(errors[key])}
        aria-describedby={`${id}-${key}-help`}
        className={fieldClass}
      />
      <p id={`${id}-${key}-help`} className="text-xs">
        {errors[key] ? (
          <span className="text-red-700 dark:text-red-400">{errors[key]}</span>
        ) : (
          <span className={mutedClass}>{hint}</span>
        )}
      </p>
    </div>
  );
  const check = (key: "enabled" | "immediate" | "digest", label: string) => (
    <label className="inline-flex items-center gap-2 text-sm">
      <input type="checkbox" checked={fields[key]} onChange={(e) => set(key, e.target.checked)} />
      {label}
    </label>
  );

  return (
    <form
      onSubmit={onSubmit}
      aria-label={channel ? `Edit channel ${channel.name}` : "New notification channel"}
      className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-700"
    >
      <div className="grid gap-2 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-type`} className="block text-xs font-medium">
            Type
          </label>
          <select
            id={`${id}-type`}
            value={fields.type}
            disabled={Boolean(channel)}
            onChange={(e) => set("type", e.target.value as ChannelFields["type"])}
            className={fieldClass}
          >
            <option value="slack">Slack-compatible webhook</option>
            <option value="webhook">Generic JSON webhook (HMAC-signed)</option>
            <option value="email">E-mail (SMTP)</option>
          </select>
        </div>
        {text("name", "Name")}
      </div>
      {fields.type === "slack" &&
        text(
          "urlEnv",
          "Environment variable holding the webhook URL",
          "The incoming-webhook URL is itself the credential: set it on the server, name the variable here.",
        )}
      {fields.type === "webhook" && (
        <div className="grid gap-2 sm:grid-cols-2">
          {text("url", "Receiver URL", "https; no token in the URL: the receiver checks the signature.")}
          {text("secretEnv", "Environment variable holding the HMAC secret")}
        </div>
      )}
      {fields.type === "email" && (
        <div className="grid gap-2 sm:grid-cols-2">
          {text("host", "SMTP host")}
          {text("port", "Port", "465 for TLS, 587 for STARTTLS", "number")}
          <div>
            <label htmlFor={`${id}-security`} className="block text-xs font-medium">
              Security
            </label>
            <select
              id={`${id}-security`}
              value={fields.security}
              onChange={(e) => set("security", e.target.value as ChannelFields["security"])}
              aria-invalid={Boolean(errors.security)}
              aria-describedby={`${id}-security-help`}
              className={fieldClass}
            >
              <option value="starttls">STARTTLS (required)</option>
              <option value="tls">TLS</option>
              <option value="none">None (plain SMTP)</option>
            </select>
            <p id={`${id}-security-help`} className="text-xs text-red-700 dark:text-red-400">
              {errors.security}
            </p>
          </div>
          {text("username", "User name (empty: no sign-in)")}
          {text("passwordEnv", "Environment variable holding the password")}
          {text("from", "From address")}
          <div className="sm:col-span-2">
            <label htmlFor={`${id}-to`} className="block text-xs font-medium">
              Recipients (one per line)
            </label>
            <textarea
              id={`${id}-to`}
              rows={2}
              value={fields.to}
              onChange={(e) => set("to", e.target.value)}
              aria-invalid={Boolean(errors.to)}
              aria-describedby={`${id}-to-help`}
              className={fieldClass}
            />
            <p id={`${id}-to-help`} className="text-xs text-red-700 dark:text-red-400">
              {errors.to}
            </p>
          </div>
        </div>
      )}
      <div className="flex flex-wrap gap-4">
        {check("enabled", "Enabled")}
        {check("immediate", "Immediate notices")}
        {check("digest", "Daily digest")}
      </div>
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={primaryButtonClass}>
          {pending ? "Saving…" : channel ? "Save channel" : "Add channel"}
        </button>
        <button type="button" onClick={onDone} className={buttonClass}>
          Cancel
        </button>
      </div>
      <ActionStatus error={error} saved={saved} />
    </form>
  );
}
