import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { getEnv } from "@/lib/config/env";
import { AppError } from "@/lib/errors/app-error";
import { PrismaClient } from "./generated/client";

/** A client on a connection string, or on a pool the caller owns (and ends). */
function createClient(connection: string | ConstructorParameters<typeof PrismaPg>[0]) {
  return new PrismaClient({
    adapter: new PrismaPg(typeof connection === "string" ? { connectionString: connection } : connection),
  });
}

const globalForPrisma = globalThis as unknown as { sealdeckPrisma?: PrismaClient };

/** The app's Prisma client. The launcher always provides DATABASE_URL (embedded or external). */
export function getPrismaOrThrow(): PrismaClient {
  if (globalForPrisma.sealdeckPrisma) return globalForPrisma.sealdeckPrisma;
  const url = getEnv().DATABASE_URL;
  if (!url) {
    throw new AppError(
      "unavailable",
      "DATABASE_URL is not set; start Sealdeck with `npm run dev` or `npm start`",
    );
  }
  // Kept on globalThis so Next's hot reload does not open a new pool on every edit.
  globalForPrisma.sealdeckPrisma = createClient(url);
  return globalForPrisma.sealdeckPrisma;
}

export { createClient as createPrismaClient };
