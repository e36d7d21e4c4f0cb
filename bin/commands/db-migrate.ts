import { parseArgs } from "node:util";
import { parseEnv } from "@/lib/config/env";
import type { Command } from "../command";
import { openDatabase } from "../launcher/open-database";

const command: Command = {
  summary: "apply pending database migrations",
  usage: `
Usage: sealdeck db migrate

Applies every migration in prisma/migrations that the database has not run yet, recording it in
Prisma's _prisma_migrations table (so \`prisma migrate deploy\` agrees). Uses DATABASE_URL when set,
else the embedded Postgres under SEALDECK_DATA_DIR: the running dashboard's when there is one (left
running), otherwise started and stopped for the occasion.
Safe to run from several processes at once: they take Prisma's advisory lock in turn.
`,
  async run(args) {
    parseArgs({ args, options: {}, allowPositionals: false });
    const env = parseEnv();
    const db = await openDatabase(env, (line) => console.error(line));
    await db.stop();
    const { applied, alreadyApplied } = db.migrated;
    console.log(
      applied.length === 0
        ? `database is up to date (${alreadyApplied} migrations applied earlier)`
        : `applied ${applied.length} migration(s): ${applied.join(", ")}`,
    );
    return 0;
  },
};

export default command;
