import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseEnv } from "@/lib/config/env";
import { startAuditRetention } from "@/lib/settings/start-audit-retention";
import { openClusters } from "./open-clusters";
import { openDatabase } from "./open-database";
import { resolveAppDatabaseUrl } from "./resolve-app-database-url";
import { startAuditCheckpoints } from "./start-audit-checkpoints";
import { prepareAuth } from "./prepare-auth";

const require = createRequire(import.meta.url);
// The container image holds a standalone build (next.config.js, SEALDECK_NEXT_OUTPUT): its server.js
// sits at the package root, where a checkout has none.
const standaloneServer = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "server.js");

function log(line: string) {
  console.error(`sealdeck: ${line}`);
}

/**
 * The launcher behind `npm run dev` and `npm start`: it owns the embedded services, starts them, then runs
 * Next.js as a child with their addresses in its environment, and on Ctrl-C or SIGTERM stops the child
 * first and the services after it, so no Postgres is left behind.
 */
export async function runApp(mode: "dev" | "start", args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string", short: "p" } } });
  const env = parseEnv(values.port ? { ...process.env, PORT: values.port } : process.env);

  let stopping = false;
  const stopSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  // Until Next runs, a signal just marks that we must stop as soon as the database call returns.
  const early = () => (stopping = true);
  for (const signal of stopSignals) process.on(signal, early);

  // Services stop in the reverse order they started: the sandbox before the database it may use.
  const started: { name: string; stop(): Promise<void> }[] = [];
  // One service failing to stop must not leave the others (above all the database) running.
  let stopFailed = false;
  const stopServices = async () => {
    for (const service of started.reverse()) {
      try {
        await service.stop();
        log(`${service.name} stopped`);
      } catch (error) {
        stopFailed = true;
        log(
          `${service.name} failed to stop: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        );
      }
    }
  };

  // A second dashboard on the same data directory would share, then stop, the first one's database.
  const db = await openDatabase(env, log, { ifInUse: "refuse" });
  started.push({ name: db.embedded ? "embedded Postgres" : "database connection", stop: db.stop });
  if (db.migrated.applied.length > 0) log(`applied migrations: ${db.migrated.applied.join(", ")}`);
  let clusters: Awaited<ReturnType<typeof openClusters>>;
  let appDatabaseUrl: string;
  try {
    appDatabaseUrl = await resolveAppDatabaseUrl(db.url, env, log);
    const checkpoints = await startAuditCheckpoints(db.url, env, log);
    started.push({ name: "audit checkpoints", stop: checkpoints.stop });
    // Settings → Audit retention, applied daily with the owner's rights (the app's role cannot delete),
    // only through checkpoints this key (or a configured earlier one) signed.
    started.push({
      name: "audit retention",
      stop: startAuditRetention(
        db.url,
        [checkpoints.publicKeyPem, ...(env.SEALDECK_AUDIT_TRUSTED_PUBLIC_KEYS ?? [])],
        log,
        { leaseMs: env.SEALDECK_JOB_LEASE_SECONDS * 1000 },
      ).stop,
    });
    clusters = await openClusters(env, log);
    started.push({ name: "cluster connections", stop: clusters.stop });
  } catch (error) {
    await stopServices();
    throw error;
  }
  if (stopping) {
    await stopServices();
    return 130;
  }
  // Sign-in needs a cookie secret, the public URL and at least one account (see prepare-auth.ts).
  const auth = await prepareAuth(
    env,
    { databaseUrl: db.url, sandbox: clusters.env.SEALDECK_SANDBOX === "1" },
    log,
  ).catch(async (error: unknown) => {
    await stopServices();
    throw error;
  });

  const nextArgs =
    mode === "start" && existsSync(standaloneServer)
      ? [standaloneServer]
      : [require.resolve("next/dist/bin/next"), mode, "--port", String(env.PORT), "--hostname", env.HOSTNAME];
  const child = spawn(process.execPath, nextArgs, {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: mode === "dev" ? "development" : "production",
      // The restricted runtime role; the owner URL stays in the launcher (migrations, pruning).
      DATABASE_URL: appDatabaseUrl,
      PORT: String(env.PORT),
      HOSTNAME: env.HOSTNAME,
      SEALDECK_DATABASE_EMBEDDED: db.embedded ? "1" : "0",
      ...clusters.env,
      ...auth.env,
    },
  });
  log(
    `dashboard on http://${env.HOSTNAME}:${env.PORT} (${db.embedded ? "embedded" : "external"} database, ${clusters.description})`,
  );

  const exitCode = await new Promise<number>((resolveExit) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      child.kill(signal === "SIGHUP" ? "SIGTERM" : signal);
      // Next normally exits within a second; don't let a stuck child keep the database up forever.
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    };
    for (const signal of stopSignals) {
      process.off(signal, early);
      process.on(signal, onSignal);
    }
    child.on("exit", (code, signal) => resolveExit(code ?? (signal ? 0 : 1)));
  });
  await stopServices();
  if (stopFailed) return 1;
  return stopping ? 0 : exitCode;
}
