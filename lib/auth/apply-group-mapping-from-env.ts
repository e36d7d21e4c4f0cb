import "server-only";
import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { PrismaClient } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import { diffById } from "@/lib/settings/summarize-changes";
import { writeSetting } from "@/lib/settings/write-setting";
import type { GroupMapping } from "./map-groups-to-access";
import { parseGroupMappingFile } from "./parse-group-mapping-file";

// SEALDECK_AUTH_GROUP_MAPPING: the group mapping lives in a file (a ConfigMap in GitOps-managed installs)
// and is written to the settings table at each start, audited (settings.changed, actor "env") when it
// differs, so every replica and every sign-in sees it as before. While set, Settings shows the mapping
// read-only and the save action refuses: the file is the one source.

export const groupMappingEnvName = "SEALDECK_AUTH_GROUP_MAPPING";

export class GroupMappingFileError extends Error {
  override name = "GroupMappingFileError";
}

/** Reads and validates the file; the error names the variable and the file, never its content. */
export async function readGroupMappingFile(path: string): Promise<GroupMapping> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new GroupMappingFileError(`${groupMappingEnvName}: ${path}: cannot be read (${code})`);
  }
  const parsed = parseGroupMappingFile(text);
  if (!parsed.ok) throw new GroupMappingFileError(`${groupMappingEnvName}: ${path}: ${parsed.problem}`);
  return parsed.mapping;
}

/** Writes the file's mapping to the settings table when it differs; returns whether it changed. */
export async function applyGroupMappingFromEnv(
  prisma: PrismaClient,
  path: string,
): Promise<{ changed: boolean; groups: number }> {
  const mapping = await readGroupMappingFile(path);
  const definition = settingDefinitions.groupMapping;
  return prisma.$transaction(async (tx) => {
    const row = await tx.setting.findUnique({ where: { key: definition.key } });
    const stored = definition.schema.safeParse(row?.value);
    if (row && stored.success && isDeepStrictEqual(stored.data, mapping)) {
      return { changed: false, groups: mapping.length };
    }
    await writeSetting(tx, definition, {
      value: mapping,
      principal: { userId: null, username: "env", role: "admin" },
      summarize: (previous, next) => ({
        ...diffById<GroupMapping[number]>(previous, next, (entry) => entry.group),
        groups: next?.length ?? 0,
        source: groupMappingEnvName,
      }),
    });
    return { changed: true, groups: mapping.length };
  });
}

/** At server start: applies SEALDECK_AUTH_GROUP_MAPPING, or stops the process with one clear line. */
export async function applyGroupMappingFromEnvOrExit(
  prisma: PrismaClient,
  path: string | undefined,
): Promise<void> {
  if (!path) return;
  try {
    const { changed, groups } = await applyGroupMappingFromEnv(prisma, path);
    logger.info(
      { event: "auth.group-mapping-from-env", changed, groups },
      `group mapping from ${groupMappingEnvName}`,
    );
  } catch (error) {
    if (!(error instanceof GroupMappingFileError)) throw error;
    console.error(`sealdeck: ${error.message}`);
    process.exit(1);
  }
}
