-- sealdeck: expand-only
-- Which applied migrations an older version of Sealdeck may keep serving beside, during a rolling
-- upgrade (docs/operations.md, "Upgrades and migrations"). lib/db/migrate.ts records every migration it
-- applies here, with whether its first line declares it expand-only; /api/readyz of an older version
-- stays ready when every migration it does not know is recorded here as expand-only.
CREATE TABLE "migration_compatibility" (
    "migration_name" VARCHAR(255) NOT NULL,
    "expand_only" BOOLEAN NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "migration_compatibility_pkey" PRIMARY KEY ("migration_name")
);
