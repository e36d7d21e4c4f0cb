-- "Fix a value" (issue #21 item 3): a rotation (or, for an ExternalSecret, a force-sync after the
-- provider was updated) followed by one restart of the secret's consumers, as the requesting user, once
-- the cluster has applied the new value. One row per fix; its id is the correlation id every audit event
-- of the fix carries in `details.fixId`.
--
-- state: proposing (waiting for the user's pull request) → waiting_merge → waiting_apply → restarting →
-- restarted; or failed / cancelled. The restart is claimed with UPDATE ... WHERE state = 'waiting_apply'
-- RETURNING under the value-fix job lease, so two replicas never both restart. Key names only, never values.
-- No foreign keys: a fix outlives its requester's account and its proposal row (the audit trail names both).

-- CreateTable
CREATE TABLE "value_fixes" (
    "id" UUID NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "keys" VARCHAR(253)[],
    "state" VARCHAR(20) NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "requested_by_name" VARCHAR(200) NOT NULL,
    "proposal_id" UUID,
    "synced_version_before" VARCHAR(200),
    "force_synced_at" TIMESTAMPTZ(3),
    "proposed_at" TIMESTAMPTZ(3),
    "merged_at" TIMESTAMPTZ(3),
    "applied_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "restarted" VARCHAR(600)[],
    "failure" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "value_fixes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "value_fixes_state_check" CHECK ("state" IN ('proposing', 'waiting_merge', 'waiting_apply',
        'restarting', 'restarted', 'failed', 'cancelled')),
    CONSTRAINT "value_fixes_kind_check" CHECK ("kind" IN ('SealedSecret', 'ExternalSecret'))
);

-- CreateIndex
CREATE INDEX "value_fixes_secret_idx" ON "value_fixes"("cluster", "namespace", "kind", "name", "created_at");

-- CreateIndex
CREATE INDEX "value_fixes_state_idx" ON "value_fixes"("state");
