"use server";

import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { getAuditPoolOrThrow } from "@/lib/audit/get-audit-pool";
import { authorizedAction } from "@/lib/auth/authorized-action";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { logger } from "@/lib/log/logger";
import { readSetting } from "@/lib/settings/read-setting";
import { deliverTestNotice } from "../deliver-test-notice";
import { notificationSettingDefinition } from "../notification-setting";

// Server action – "Send a test": one test notice to a saved channel now; the result (never a secret) is
// shown in the form and in the delivery log.
export const sendTestNotification = authorizedAction({
  permission: "notification:write",
  input: z.object({ id: z.uuid() }),
  async run({ id }, { principal }) {
    const prisma = getPrismaOrThrow();
    const settings = await readSetting(notificationSettingDefinition, prisma);
    const channel = settings.value?.channels.find((c) => c.id === id);
    if (!channel) throw new AppError("not_found", "No such notification channel: save it first.");
    const actor = { userId: principal.userId, name: principal.username, role: principal.role };
    const target = { kind: "NotificationChannel", name: channel.name };
    // Audited first: no record, no message leaves the server.
    try {
      await appendAuditEvent(prisma, {
        actor,
        action: "notification.test.requested",
        target,
        outcome: "pending",
        details: { channelId: id, channelType: channel.type },
      });
    } catch (error) {
      logger.error({ err: error }, "audit write failed; test notification refused");
      throw new AppError(
        "unavailable",
        "The audit log cannot be written right now, so nothing was sent. Try again later.",
      );
    }
    const outcome = await deliverTestNotice(getAuditPoolOrThrow(), channel, {
      env: process.env,
      now: new Date(),
    });
    await appendAuditEvent(prisma, {
      actor,
      action: "notification.test",
      target,
      outcome: outcome.ok ? "success" : "failure",
      details: { channelId: id, channelType: channel.type, ...(outcome.ok ? {} : { error: outcome.error }) },
    }).catch((error: unknown) => logger.error({ err: error }, "audit outcome not recorded"));
    return outcome;
  },
});
