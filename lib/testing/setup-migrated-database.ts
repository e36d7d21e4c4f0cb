import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import type { PrismaClient } from "../db/generated/client";
import { createPrismaClient } from "../db/prisma";
import {
  createMigratedDatabase,
  newTestDatabaseName,
  testDatabaseUrl,
  type TestDatabase,
} from "./test-database";

// Most database-backed test files want the same thing: a migrated database of their own for the
// enclosing describe block (or the whole file), clients on it, and a teardown that closes the clients
// before the database is dropped. Calling this registers those beforeAll/afterAll hooks; hooks the file
// registers after it run inside them (Vitest runs beforeAll in order and afterAll in reverse). The
// database's name is fixed up front and clients connect on first use, so a file can destructure them at
// the top level and use them in any test or later hook.

export type MigratedDatabaseOptions = {
  /** Size of `pool`, for tests where the number of connections matters; pg's default otherwise. */
  poolMax?: number;
  /** Make `prisma` the app's client, the one getPrismaOrThrow returns, while the database exists. */
  appClient?: boolean;
};

export type MigratedDatabase = {
  readonly url: string;
  /** A pg pool on the database, made on first access and ended in afterAll. */
  readonly pool: pg.Pool;
  /** A Prisma client on the database, made on first access and disconnected in afterAll. */
  readonly prisma: PrismaClient;
  /** Runs one statement on a connection of its own, as the database owner; resolves to the rows. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
};

const globalForPrisma = globalThis as { sealdeckPrisma?: PrismaClient };

/**
 * A migrated database for the tests of the current describe block (or file), with its clients:
 * `const { prisma, query } = setupMigratedDatabase({ appClient: true });`
 */
export function setupMigratedDatabase(options: MigratedDatabaseOptions = {}): MigratedDatabase {
  const name = newTestDatabaseName();
  const url = testDatabaseUrl(name);
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let prisma: PrismaClient | undefined;

  const database: MigratedDatabase = {
    url,
    get pool() {
      return (pool ??= new pg.Pool({ connectionString: url, max: options.poolMax }));
    },
    get prisma() {
      return (prisma ??= createPrismaClient(url));
    },
    async query<T>(sql: string, params?: unknown[]) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
  };

  beforeAll(async () => {
    db = await createMigratedDatabase(name);
    if (options.appClient) globalForPrisma.sealdeckPrisma = database.prisma;
  });
  afterAll(async () => {
    if (options.appClient && globalForPrisma.sealdeckPrisma === prisma) delete globalForPrisma.sealdeckPrisma;
    await pool?.end();
    await prisma?.$disconnect();
    await db?.drop();
  });

  return database;
}
