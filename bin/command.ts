// The shape every `sealdeck` command module exports (bin/commands/*.ts).
export type Command = {
  /** One line for `sealdeck --help`. */
  summary: string;
  /** Full help text printed by `sealdeck <command> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
};

/** An error whose message is meant for the user as it is: printed as one line, no stack. */
export class UsageError extends Error {
  override name = "UsageError";
}
