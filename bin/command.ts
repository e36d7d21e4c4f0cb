// The shape every `sealdeck` command module exports (bin/commands/*.ts).
export type Command = {
  /** One line for `sealdeck --help`. */
  summary: string;
  /** Full help text printed by `sealdeck <command> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
};

/** An error whose message is meant for the user as it is: printed as one line, no stack; exit 1. */
export class CliError extends Error {
  override name = "CliError";
  readonly exitCode: number = 1;
}

/** The command line itself is wrong (unknown flag, missing argument): exit 2, like most tools. */
export class UsageError extends CliError {
  override name = "UsageError";
  override readonly exitCode: number = 2;
}
