// Dispatches `sealdeck <command> [args]` to bin/commands/*.ts. Commands are loaded lazily so that
// `sealdeck seal` does not pay for Next.js or Postgres.
import type { Command } from "./command";
import { CliError } from "./command";

const commands: Record<string, () => Promise<{ default: Command }>> = {
  dev: () => import("./commands/dev"),
  start: () => import("./commands/start"),
  "db migrate": () => import("./commands/db-migrate"),
  "audit verify": () => import("./commands/audit-verify"),
  bench: () => import("./commands/bench"),
  sandbox: () => import("./commands/sandbox"),
  rotations: () => import("./commands/rotations"),
  recovery: () => import("./commands/recovery"),
  seal: () => import("./commands/seal"),
  user: () => import("./commands/user"),
  "settings set": () => import("./commands/settings-set"),
};

function isHelp(arg: string | undefined) {
  return arg === "--help" || arg === "-h" || arg === "help";
}

async function printOverview() {
  const lines = ["Usage: sealdeck <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(commands)) {
    const { default: command } = await load();
    lines.push(`  ${name.padEnd(14)} ${command.summary}`);
  }
  lines.push("", "Run `sealdeck <command> --help` for a command's options.");
  console.log(lines.join("\n"));
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || isHelp(argv[0])) {
    await printOverview();
    return argv.length === 0 ? 2 : 0;
  }
  // Longest match first: "db migrate" before "db".
  const name = Object.keys(commands)
    .sort((a, b) => b.length - a.length)
    .find((key) => key.split(" ").every((word, i) => argv[i] === word));
  if (!name) {
    const group = Object.keys(commands).filter((key) => key.startsWith(`${argv[0]} `));
    if (group.length > 0 && (argv.length === 1 || isHelp(argv[1]))) {
      console.log(`Usage: sealdeck ${argv[0]} <${group.map((g) => g.split(" ")[1]).join("|")}> [options]`);
      return isHelp(argv[1]) ? 0 : 2;
    }
    console.error(`sealdeck: unknown command "${argv.join(" ")}"; run \`sealdeck --help\``);
    return 2;
  }
  const rest = argv.slice(name.split(" ").length);
  const { default: command } = await commands[name]!();
  if (rest.some(isHelp)) {
    console.log(command.usage.trim());
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`sealdeck: ${message}`);
    if (!(error instanceof CliError) && process.env.SEALDECK_DEBUG === "1" && error instanceof Error) {
      console.error(error.stack);
    }
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  },
);
