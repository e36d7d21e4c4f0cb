-- Rotation policies and waivers (issue #14).
--
-- rotation_policies: a maximum age for the keys in one scope, set by a security lead or an admin. The
-- scope columns a level does not use are NULL (a namespace policy has no name); "scope_key" is the
-- scope's canonical text (level and every column, NULLs included), unique, so there is one policy per
-- scope even where NULL columns would make a plain multi-column unique index accept duplicates.
--
-- rotation_waivers: a security lead accepts an overdue key (key NULL: every key of the secret) until a
-- date, with a reason. Never deleted: a revoked waiver keeps its row with revoked_at/revoked_by, so what
-- was accepted, by whom and until when stays provable.

-- CreateTable
CREATE TABLE "rotation_policies" (
    "id" UUID NOT NULL,
    "level" VARCHAR(20) NOT NULL,
    "scope_key" VARCHAR(1400) NOT NULL,
    "environment" VARCHAR(63),
    "cluster" VARCHAR(253),
    "namespace" VARCHAR(253),
    "kind" VARCHAR(40),
    "name" VARCHAR(253),
    "key" VARCHAR(253),
    "max_age_days" INTEGER NOT NULL,
    "note" VARCHAR(500) NOT NULL DEFAULT '',
    "updated_by" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rotation_policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rotation_policies_level_check" CHECK ("level" IN ('global', 'environment', 'cluster', 'namespace', 'secret', 'key')),
    CONSTRAINT "rotation_policies_max_age_check" CHECK ("max_age_days" > 0)
);

-- CreateIndex
CREATE UNIQUE INDEX "rotation_policies_scope_key_key" ON "rotation_policies"("scope_key");

-- CreateTable
CREATE TABLE "rotation_waivers" (
    "id" UUID NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "key" VARCHAR(253),
    "until" TIMESTAMPTZ(3) NOT NULL,
    "reason" VARCHAR(1000) NOT NULL,
    "created_by" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" VARCHAR(200),

    CONSTRAINT "rotation_waivers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "rotation_waivers_target_idx" ON "rotation_waivers"("cluster", "namespace", "kind", "name");
