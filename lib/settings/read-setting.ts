import "server-only";
import type { z } from "zod";
import { getPrismaOrThrow } from "@/lib/db/prisma";
import type { SettingDefinition } from "./setting-keys";

/** Anything that can look a setting row up: the Prisma client or a transaction's client. */
export type SettingReader = {
  setting: {
    findUnique(args: { where: { key: string } }): Promise<{
      value: unknown;
      updatedAt: Date;
      updatedBy: string | null;
    } | null>;
  };
};

export type StoredSetting<T> =
  | { stored: false; value: T | null; updatedAt: null; updatedBy: null; error: null }
  | { stored: true; value: T; updatedAt: string; updatedBy: string | null; error: null }
  /** A stored value that no longer meets its schema: shown as an error, never silently replaced. */
  | { stored: true; value: null; updatedAt: string; updatedBy: string | null; error: string };

/** Reads one setting and validates it; the fallback when no row is stored. */
export async function readSetting<S extends z.ZodType>(
  definition: SettingDefinition<S>,
  db: SettingReader = getPrismaOrThrow(),
): Promise<StoredSetting<z.output<S>>> {
  const row = await db.setting.findUnique({ where: { key: definition.key } });
  if (!row)
    return { stored: false, value: definition.fallback, updatedAt: null, updatedBy: null, error: null };
  const parsed = definition.schema.safeParse(row.value);
  const meta = { stored: true as const, updatedAt: row.updatedAt.toISOString(), updatedBy: row.updatedBy };
  if (parsed.success) return { ...meta, value: parsed.data, error: null };
  const issue = parsed.error.issues[0];
  return {
    ...meta,
    value: null,
    error: `The stored value is not valid${issue ? ` (${issue.path.join(".") || "value"}: ${issue.message})` : ""}.`,
  };
}
