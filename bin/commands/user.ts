import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { hashPassword } from "@/lib/auth/password-hash";
import { recordAuthEvent } from "@/lib/auth/record-auth-event";
import { roleSchema } from "@/lib/auth/roles";
import { clusterNameSchema, namespaceNameSchema, usernameSchema } from "@/lib/auth/user-schemas";
import { parseEnv } from "@/lib/config/env";
import type { PrismaClient } from "@/lib/db/generated/client";
import { createPrismaClient } from "@/lib/db/prisma";
import { CliError, UsageError, type Command } from "../command";
import { openDatabase } from "../launcher/open-database";

const usage = `
Usage: sealdeck user <subcommand> [options]

Manages local Sealdeck accounts, roles and namespace grants in the database (DATABASE_URL, else the
embedded Postgres under SEALDECK_DATA_DIR). Roles: developer, security-lead, auditor, admin.

  sealdeck user list
      Every user with role, grants and last sign-in.
  sealdeck user create <username> --role <role> [--name "<display name>"] [--grant <cluster>/<namespace>]...
      Creates a local account and prints a one-time password, to be changed at first sign-in.
  sealdeck user reset-password <username>
      Prints a new one-time password, unlocks the account and signs it out everywhere.
  sealdeck user set-role <username> <role>
  sealdeck user grant <username> <cluster>/<namespace>       ("*" for every cluster or namespace)
  sealdeck user revoke <username> <cluster>/<namespace>      removes that grant
  sealdeck user revoke <username> --sessions                 signs the user out everywhere

One-time passwords are printed to stdout once and stored only as a scrypt hash.
`;

const actor = "cli";

function oneTimePassword() {
  return randomBytes(15).toString("base64url");
}

function parseOrUsage<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: string | undefined,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what} is missing or not valid; see \`sealdeck user --help\``);
  return parsed.data;
}

function parseGrant(value: string | undefined) {
  const [cluster, namespace, extra] = (value ?? "").split("/");
  if (extra !== undefined) throw new UsageError(`grant "${value}" must be <cluster>/<namespace>`);
  return {
    cluster: parseOrUsage(clusterNameSchema, cluster, "the cluster of the grant"),
    namespace: parseOrUsage(namespaceNameSchema, namespace, "the namespace of the grant"),
  };
}

async function findUserOrThrow(prisma: PrismaClient, username: string) {
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) throw new CliError(`no user named "${username}"`);
  return user;
}

type Subcommand = (prisma: PrismaClient, args: string[]) => Promise<void>;

const subcommands: Record<string, Subcommand> = {
  async list(prisma) {
    const users = await prisma.user.findMany({ orderBy: { username: "asc" }, include: { grants: true } });
    for (const user of users) {
      const grants = user.grants.map((g) => `${g.cluster}/${g.namespace}`).join(",") || "-";
      console.log([user.username, user.role, grants, user.lastSignInAt?.toISOString() ?? "never"].join("\t"));
    }
  },
  async create(prisma, args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        role: { type: "string" },
        name: { type: "string" },
        grant: { type: "string", multiple: true },
      },
    });
    const username = parseOrUsage(usernameSchema, positionals[0], "<username>");
    const role = parseOrUsage(roleSchema, values.role, "--role");
    const grants = (values.grant ?? []).map(parseGrant);
    if (await prisma.user.findUnique({ where: { username } }))
      throw new CliError(`user "${username}" already exists`);
    const password = oneTimePassword();
    await prisma.user.create({
      data: {
        username,
        displayName: values.name ?? username,
        role,
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
        grants: { create: grants.map((grant) => ({ ...grant, createdBy: actor })) },
      },
    });
    await recordAuthEvent(prisma, { type: "auth.user-created", actor, subject: username, details: { role } });
    console.log(`created ${username} (${role}); one-time password: ${password}`);
  },
  async "reset-password"(prisma, args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const user = await findUserOrThrow(prisma, parseOrUsage(usernameSchema, positionals[0], "<username>"));
    const password = oneTimePassword();
    await prisma.$transaction([
      prisma.user.update({
        where: { id: user.id },
        data: {
          passwordHash: await hashPassword(password),
          mustChangePassword: true,
          failedSignIns: 0,
          lockedUntil: null,
        },
      }),
      prisma.authSession.updateMany({
        where: { userId: user.id, revokedAt: null },
        data: { revokedAt: new Date() },
      }),
    ]);
    await recordAuthEvent(prisma, { type: "auth.password-reset", actor, subject: user.username });
    console.log(`reset ${user.username}; one-time password: ${password}`);
  },
  async "set-role"(prisma, args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const user = await findUserOrThrow(prisma, parseOrUsage(usernameSchema, positionals[0], "<username>"));
    const role = parseOrUsage(roleSchema, positionals[1], "<role>");
    await prisma.user.update({ where: { id: user.id }, data: { role, managedByGroups: false } });
    await recordAuthEvent(prisma, {
      type: "auth.role-changed",
      actor,
      subject: user.username,
      details: { from: user.role, to: role },
    });
    console.log(`${user.username} is now ${role}`);
  },
  async grant(prisma, args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const user = await findUserOrThrow(prisma, parseOrUsage(usernameSchema, positionals[0], "<username>"));
    const grant = parseGrant(positionals[1]);
    await prisma.namespaceGrant.upsert({
      where: { userId_cluster_namespace: { userId: user.id, ...grant } },
      create: { userId: user.id, ...grant, createdBy: actor },
      update: { source: "admin", createdBy: actor },
    });
    await recordAuthEvent(prisma, {
      type: "auth.grant-added",
      actor,
      subject: user.username,
      details: grant,
    });
    console.log(`${user.username} may now act in ${grant.cluster}/${grant.namespace}`);
  },
  async revoke(prisma, args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { sessions: { type: "boolean" } },
    });
    const user = await findUserOrThrow(prisma, parseOrUsage(usernameSchema, positionals[0], "<username>"));
    if (values.sessions) {
      const { count } = await prisma.authSession.updateMany({
        where: { userId: user.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      await recordAuthEvent(prisma, {
        type: "auth.sessions-revoked",
        actor,
        subject: user.username,
        details: { count },
      });
      console.log(`revoked ${count} session(s) of ${user.username}`);
      return;
    }
    const grant = parseGrant(positionals[1]);
    const { count } = await prisma.namespaceGrant.deleteMany({ where: { userId: user.id, ...grant } });
    if (count === 0) throw new CliError(`${user.username} has no grant ${grant.cluster}/${grant.namespace}`);
    await recordAuthEvent(prisma, {
      type: "auth.grant-removed",
      actor,
      subject: user.username,
      details: grant,
    });
    console.log(`removed grant ${grant.cluster}/${grant.namespace} from ${user.username}`);
  },
};

const command: Command = {
  summary: "manage users: list, create, reset-password, set-role, grant, revoke",
  usage,
  async run(args) {
    const [name, ...rest] = args;
    const subcommand = name ? subcommands[name] : undefined;
    if (!subcommand) throw new UsageError(`unknown subcommand "${name ?? ""}"; run \`sealdeck user --help\``);
    const db = await openDatabase(parseEnv(), (line) => console.error(line));
    const prisma = createPrismaClient(db.url);
    try {
      await subcommand(prisma, rest);
    } catch (error) {
      if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
        throw new UsageError(error.message);
      }
      throw error;
    } finally {
      await prisma.$disconnect();
      await db.stop();
    }
    return 0;
  },
};

export default command;
