"use client";

import { useState } from "react";
import type { NotificationChannel } from "@/lib/validations/notifications";
import { NotificationChannelForm } from "./notification-channel-form";
import { NotificationChannelRow } from "./notification-channel-row";
import { buttonClass, mutedClass } from "./settings-classes";

type NotificationChannelsEditorProps = {
  channels: NotificationChannel[];
  envPresence: Record<string, boolean>;
  canEdit: boolean;
};

// The channel list, with "Add channel" for admins.
export function NotificationChannelsEditor({
  channels,
  envPresence,
  canEdit,
}: NotificationChannelsEditorProps) {
  const [adding, setAdding] = useState(false);
  return (
    <div className="space-y-2">
      {channels.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>No channels: nobody is notified.</p>
      ) : (
        <ul className="space-y-2" aria-label="Notification channels">
          {channels.map((channel) => (
            <NotificationChannelRow
              key={channel.id}
              channel={channel}
              envPresence={envPresence}
              canEdit={canEdit}
            />
          ))}
        </ul>
      )}
      {canEdit &&
        (adding ? (
          <NotificationChannelForm onDone={() => setAdding(false)} />
        ) : (
          <button type="button" className={buttonClass} onClick={() => setAdding(true)}>
            Add channel
          </button>
        ))}
    </div>
  );
}
