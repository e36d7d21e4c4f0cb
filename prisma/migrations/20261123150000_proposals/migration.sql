-- Pull requests (merge requests; for plain git, pushed branches) that Sealdeck opened, for the Changes
-- page and each secret's page. Git stays the source of truth: this is a record of what was proposed and
-- the last state the provider reported, refreshed by polling and webhooks.

-- CreateTable
CREATE TABLE "proposals" (
    "id" UUID NOT NULL,
    "repository" VARCHAR(63) NOT NULL,
    "provider" VARCHAR(20) NOT NULL,
    "number" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "branch" VARCHAR(255) NOT NULL,
    "base_branch" VARCHAR(255) NOT NULL,
    "head_sha" VARCHAR(64) NOT NULL,
    "state" VARCHAR(10) NOT NULL,
    "title" VARCHAR(300) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "clusters" VARCHAR(253)[] NOT NULL,
    "keys" VARCHAR(253)[] NOT NULL,
    "requested_by_id" UUID,
    "requested_by_name" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "state_checked_at" TIMESTAMPTZ(3),

    CONSTRAINT "proposals_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "proposals_state_check" CHECK ("state" IN ('open', 'merged', 'closed'))
);

-- CreateIndex
CREATE INDEX "proposals_repository_branch_idx" ON "proposals"("repository", "branch");

-- CreateIndex
CREATE INDEX "proposals_namespace_name_idx" ON "proposals"("namespace", "name");

-- CreateIndex
CREATE INDEX "proposals_state_updated_at_idx" ON "proposals"("state", "updated_at");
