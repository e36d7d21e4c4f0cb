"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { notificationChannelSchema } from "@/lib/validations/notifications";
import { updateNotificationSettings } from "../notification-setting";

// Server action – add a notification channel (a new id) or change one (an existing id).
export const saveNotificationChannel = authorizedAction({
  permission: "notification:write",
  input: z.object({ channel: notificationChannelSchema }),
  async run({ channel }, { principal }) {
    let added = false;
    await updateNotificationSettings(principal, (current) => {
      const before = current.channels.find((c) => c.id === channel.id);
      added = !before;
      const changed = before
        ? [...new Set([...Object.keys(before), ...Object.keys(channel)])].filter(
            (field) =>
              JSON.stringify((before as Record<string, unknown>)[field]) !==
              JSON.stringify((channel as Record<string, unknown>)[field]),
          )
        : [];
      return {
        next: {
          ...current,
          channels: before
            ? current.channels.map((c) => (c.id === channel.id ? channel : c))
            : [...current.channels, channel],
        },
        summary: {
          change: before ? "notification-channel.updated" : "notification-channel.added",
          channelId: channel.id,
          channelName: channel.name,
          channelType: channel.type,
          enabled: channel.enabled,
          changed,
        },
      };
    });
    revalidatePath("/settings");
    return { id: channel.id, added };
  },
});
