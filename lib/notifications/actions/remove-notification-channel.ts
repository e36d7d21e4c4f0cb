"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { AppError } from "@/lib/errors/app-error";
import { updateNotificationSettings } from "../notification-setting";

// Server action – remove a notification channel; its queued deliveries then fail as "channel removed".
export const removeNotificationChannel = authorizedAction({
  permission: "notification:write",
  input: z.object({ id: z.uuid() }),
  async run({ id }, { principal }) {
    await updateNotificationSettings(principal, (current) => {
      const channel = current.channels.find((c) => c.id === id);
      if (!channel) throw new AppError("not_found", "No such notification channel (already removed?).");
      return {
        next: { ...current, channels: current.channels.filter((c) => c.id !== id) },
        summary: {
          change: "notification-channel.removed",
          channelId: id,
          channelName: channel.name,
          channelType: channel.type,
        },
      };
    });
    revalidatePath("/settings");
    return { id };
  },
});
