"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { saveSetting } from "../write-setting";
import { auditRetentionSchema, settingDefinitions } from "../setting-keys";

// Server action – how many days of audit events to keep (null: keep forever).
export const saveAuditRetention = authorizedAction({
  permission: settingDefinitions.auditRetention.permission,
  input: z.object({ days: auditRetentionSchema }),
  async run({ days }, { principal }) {
    await saveSetting(settingDefinitions.auditRetention, {
      value: days ?? undefined,
      principal,
      summarize: (previous, next) => ({ from: previous, to: next }),
    });
    revalidatePath("/settings");
    return { days };
  },
});
