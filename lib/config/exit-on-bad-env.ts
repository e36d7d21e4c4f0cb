import "server-only";
import { ConfigError, parseEnv } from "./env";

/** A bad environment stops the server with one line naming the variable, before any request is served. */
export function exitOnBadEnv() {
  try {
    parseEnv();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`sealdeck: ${error.message}`);
    process.exit(1);
  }
}
