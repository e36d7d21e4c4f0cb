import "server-only";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { principalActor } from "@/lib/audit/principal-actor";
import type { Principal } from "@/lib/auth/principal";
import type { Prisma } from "@/lib/db/generated/client";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import type { SettingDefinition } from "./setting-keys";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type SettingChange<T> = {
  /** The new value, or undefined to remove the row (the default applies again). */
  value: T | undefined;
  /** Who changes it; userId null for the CLI (`sealdeck settings set`). */
  principal: Pick<Principal, "username" | "role" | "client"> & { userId: string | null };
  /**
   * What changed, for the audit event: names, ids and counts, never a credential (repositories only
   * hold environment variable NAMES, and the summary does not even repeat those).
   */
  summarize: (previous: T | null, next: T | null) => Record<string, Json>;
};

/** The transaction client a write runs in. */
export type SettingWriter = Prisma.TransactionClient;

/**
 * Validates and writes one setting inside the caller's transaction, audited FIRST: the
 * `settings.changed` event is appended before the row changes, in the same transaction, so a failed
 * audit write throws and the transaction leaves the setting as it was.
 */
export async function writeSetting<S extends z.ZodType>(
  tx: SettingWriter,
  definition: SettingDefinition<S>,
  change: SettingChange<z.output<S>>,
): Promise<z.output<S> | null> {
  let next: z.output<S> | null = null;
  if (change.value !== undefined) {
    const parsed = definition.schema.safeParse(change.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        "unprocessable",
        `Not saved: ${issue ? `${issue.path.join(".") || "value"}: ${issue.message}` : "invalid value"}.`,
        { fieldErrors: z.flattenError(parsed.error).fieldErrors },
      );
    }
    next = parsed.data;
  }
  const row = await tx.setting.findUnique({ where: { key: definition.key } });
  const previousParsed = row ? definition.schema.safeParse(row.value) : null;
  const previous = previousParsed?.success ? (previousParsed.data as z.output<S>) : null;
  await appendAuditEvent(tx, {
    action: "settings.changed",
    outcome: "success",
    actor: principalActor(change.principal),
    target: { kind: "Setting", name: definition.key },
    details: {
      key: definition.key,
      reset: change.value === undefined,
      ...change.summarize(previous, next),
    },
  });
  if (change.value === undefined) {
    await tx.setting.deleteMany({ where: { key: definition.key } });
  } else {
    const value = next as Prisma.InputJsonValue;
    await tx.setting.upsert({
      where: { key: definition.key },
      create: { key: definition.key, value, updatedBy: change.principal.username },
      update: { value, updatedBy: change.principal.username },
    });
  }
  return next;
}

/** writeSetting in a transaction of its own. */
export async function saveSetting<S extends z.ZodType>(
  definition: SettingDefinition<S>,
  change: SettingChange<z.output<S>>,
): Promise<z.output<S> | null> {
  return getPrismaOrThrow().$transaction((tx) => writeSetting(tx, definition, change));
}
