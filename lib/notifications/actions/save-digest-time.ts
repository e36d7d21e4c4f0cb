"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { digestTimeSchema } from "@/lib/validations/notifications";
import { updateNotificationSettings } from "../notification-setting";

// Server action – the time of day (UTC) the daily digest is sent.
export const saveDigestTime = authorizedAction({
  permission: "notification:write",
  input: z.object({ digestTime: digestTimeSchema }),
  async run({ digestTime }, { principal }) {
    await updateNotificationSettings(principal, (current) => ({
      next: { ...current, digestTime },
      summary: { change: "notification-digest-time", from: current.digestTime, to: digestTime },
    }));
    revalidatePath("/settings");
    return { digestTime };
  },
});
