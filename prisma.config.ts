// Prisma CLI configuration. The app never runs the Prisma CLI at run time: migrations are applied by
// lib/db/migrate.ts (same table, same checksums), so `prisma migrate deploy` and Sealdeck agree.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/sealdeck" },
});
