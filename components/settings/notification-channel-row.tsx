"use client";

import { useState, useTransition } from "react";
import { removeNotificationChannel } from "@/lib/notifications/actions/remove-notification-channel";
import { sendTestNotification } from "@/lib/notifications/actions/send-test-notification";
import type { NotificationChannel } from "@/lib/validations/notifications";
import { NotificationChannelForm } from "./notification-channel-form";
import { buttonClass, mutedClass } from "./settings-classes";
import { ActionStatus, useSettingsAction } from "./use-settings-action";

type NotificationChannelRowProps = {
  channel: NotificationChannel;
  /** Whether each variable the channel names is set on the server (a boolean only). */
  envPresence: Record<string, boolean>;
  canEdit: boolean;
};

function describeTarget(channel: NotificationChannel): string {
  if (channel.type === "slack") return `Slack-compatible webhook, URL from ${channel.urlEnv}`;
  if (channel.type === "webhook") return `Signed JSON to ${channel.url}, secret from ${channel.secretEnv}`;
  return `E-mail via ${channel.host}:${channel.port} (${channel.security}) to ${channel.to.join(", ")}`;
}

const envNames = (channel: NotificationChannel) =>
  channel.type === "slack"
    ? [channel.urlEnv]
    : channel.type === "webhook"
      ? [channel.secretEnv]
      : channel.passwordEnv
        ? [channel.passwordEnv]
        : [];

// One channel: what it sends where, and Edit / Remove / Send a test for admins.
export function NotificationChannelRow({ channel, envPresence, canEdit }: NotificationChannelRowProps) {
  const [editing, setEditing] = useState(false);
  const { run, pending, error, saved } = useSettingsAction();
  const [testing, startTest] = useTransition();
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const missing = envNames(channel).filter((name) => !envPresence[name]);

  const sendTest = () =>
    startTest(async () => {
      setTest(null);
      try {
        const result = await sendTestNotification({ id: channel.id });
        if (!result.ok) setTest({ ok: false, message: result.error });
        else if (result.data.ok) setTest({ ok: true, message: "Test sent: the receiver accepted it." });
        else setTest({ ok: false, message: `Test failed: ${result.data.error}` });
      } catch {
        setTest({ ok: false, message: "Sealdeck could not be reached; nothing was sent." });
      }
    });

  if (editing) return <NotificationChannelForm channel={channel} onDone={() => setEditing(false)} />;
  return (
    <li
      className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700"
      aria-label={`Channel ${channel.name}`}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm font-medium">
          {channel.name}
          {!channel.enabled && <span className={`ml-2 text-xs ${mutedClass}`}>(disabled)</span>}
        </p>
        <p className={`text-xs ${mutedClass}`}>
          {[channel.immediate && "immediate notices", channel.digest && "daily digest"]
            .filter(Boolean)
            .join(" + ") || "nothing (both off)"}
        </p>
      </div>
      <p className={`text-xs break-all ${mutedClass}`}>{describeTarget(channel)}</p>
      {missing.length > 0 && (
        <p className="text-xs text-amber-700 dark:text-amber-400">
          Not set on this server: {missing.join(", ")}.
        </p>
      )}
      {canEdit && (
        <div className="mt-2 flex flex-wrap gap-2">
          <button type="button" className={buttonClass} disabled={testing} onClick={sendTest}>
            {testing ? "Sending…" : "Send a test"}
          </button>
          <button type="button" className={buttonClass} onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            type="button"
            className={buttonClass}
            disabled={pending}
            onClick={() => run(() => removeNotificationChannel({ id: channel.id }))}
          >
            Remove
          </button>
        </div>
      )}
      {test && (
        <p
          role={test.ok ? "status" : "alert"}
          className={`mt-2 text-sm ${test.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
        >
          {test.message}
        </p>
      )}
      <ActionStatus error={error} saved={saved} />
    </li>
  );
}
