import "server-only";
import pino from "pino";
import pretty from "pino-pretty";
import { getEnv } from "@/lib/config/env";

// Structured logs: JSON in production (for log shippers), readable lines in development. The redaction
// list is a safety net; the real rule is that request bodies, secret values and credentials are never
// passed to the logger in the first place.
const redact = {
  paths: [
    "body",
    "req.body",
    "request.body",
    "password",
    "*.password",
    "token",
    "*.token",
    "headers.authorization",
    "headers.cookie",
    "req.headers.authorization",
    "req.headers.cookie",
    "databaseUrl",
  ],
  remove: true,
};

function createLogger() {
  const env = getEnv();
  const options = { level: env.LOG_LEVEL, redact, base: { service: "sealdeck" } };
  if (env.NODE_ENV === "production") return pino(options);
  // A synchronous stream, not a worker-thread transport: transports do not survive Next's bundling.
  return pino(options, pretty({ colorize: process.stdout.isTTY, ignore: "pid,hostname,service", sync: true }));
}

const globalForLogger = globalThis as unknown as { sealdeckLogger?: pino.Logger };

export const logger: pino.Logger = (globalForLogger.sealdeckLogger ??= createLogger());
