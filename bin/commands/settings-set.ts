import { readFile } from "node:fs/promises";
import { parseGroupMappingFile } from "@/lib/auth/parse-group-mapping-file";
import { parseEnv } from "@/lib/config/env";
import { createPrismaClient } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors/app-error";
import { settingDefinitions } from "@/lib/settings/setting-keys";
import { diffById } from "@/lib/settings/summarize-changes";
import { writeSetting } from "@/lib/settings/write-setting";
import { CliError, UsageError, type Command } from "../command";
import { openDatabase } from "../launcher/open-database";

const usage = `
Usage: sealdeck settings set <key> <file.json|file.yaml>

Writes one admin setting from a JSON or YAML file, validated like the Settings page does and audited
(settings.changed, actor "cli"), for installs whose configuration lives in Git. Keys:

  auth.group-mapping   OIDC groups → role and namespace grants:
                       [{"group": "platform", "role": "admin"},
                        {"group": "payments-devs", "role": "developer",
                         "grants": [{"cluster": "prod", "namespace": "payments"}]}]
`;

// Only settings without server-side side effects beyond the row itself are settable here.
const settable = { "auth.group-mapping": settingDefinitions.groupMapping } as const;

const command: Command = {
  summary: "set an admin setting from a JSON file (auth.group-mapping)",
  usage,
  async run(args) {
    const [key, file, extra] = args;
    if (!key || !file || extra !== undefined) throw new UsageError("expected <key> <file>; see --help");
    if (!(key in settable))
      throw new UsageError(`"${key}" cannot be set here; settable: ${Object.keys(settable).join(", ")}`);
    const definition = settable[key as keyof typeof settable];
    const env = parseEnv();
    if (env.SEALDECK_AUTH_GROUP_MAPPING) {
      throw new CliError(
        `${key} is managed by SEALDECK_AUTH_GROUP_MAPPING (${env.SEALDECK_AUTH_GROUP_MAPPING}): change that file`,
      );
    }
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new CliError(`${file}: not readable (${(error as { code?: string }).code ?? "error"})`);
    }
    const parsed = parseGroupMappingFile(text);
    if (!parsed.ok) throw new CliError(`Not saved: ${file}: ${parsed.problem}`);
    const value = parsed.mapping;
    const db = await openDatabase(env, (line) => console.error(line));
    const prisma = createPrismaClient(db.url);
    try {
      const saved = await prisma.$transaction((tx) =>
        writeSetting(tx, definition, {
          value,
          principal: { userId: null, username: "cli", role: "admin" },
          summarize: (previous, next) => ({
            ...diffById(previous, next, (row) => row.group),
            groups: next?.length ?? 0,
          }),
        }),
      );
      console.log(`${key}: saved (${saved?.length ?? 0} groups); applies at each user's next sign-in`);
    } catch (error) {
      if (error instanceof AppError) throw new CliError(error.message);
      throw error;
    } finally {
      await prisma.$disconnect();
      await db.stop();
    }
    return 0;
  },
};

export default command;
