-- Re-seal campaigns (issue #21 item 1): after a cluster lost a sealing key, every affected SealedSecret
-- is sealed again by its owner. A campaign lists them as they were when it started; their progress
-- (proposed, merged, healthy) is derived from the proposals and the cluster's own reports, not stored.
-- One open campaign per cluster; it is closed (closed_at, audited) once every secret is healthy.

-- CreateTable
CREATE TABLE "recovery_campaigns" (
    "id" UUID NOT NULL,
    "incident_id" VARCHAR(300) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "missing_keys" VARCHAR(64)[] NOT NULL,
    "started_by_id" UUID,
    "started_by_name" VARCHAR(200) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "recovery_campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recovery_campaign_secrets" (
    "campaign_id" UUID NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "keys" VARCHAR(253)[] NOT NULL,
    "owner" VARCHAR(200),
    "owner_source" VARCHAR(20),

    CONSTRAINT "recovery_campaign_secrets_pkey" PRIMARY KEY ("campaign_id", "namespace", "name")
);

-- A second "Start campaign" for the same cluster while one is open fails here, whatever the race.
CREATE UNIQUE INDEX "recovery_campaigns_open_cluster_key" ON "recovery_campaigns"("cluster") WHERE "closed_at" IS NULL;

-- CreateIndex
CREATE INDEX "recovery_campaigns_started_at_idx" ON "recovery_campaigns"("started_at");

-- AddForeignKey
ALTER TABLE "recovery_campaign_secrets" ADD CONSTRAINT "recovery_campaign_secrets_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "recovery_campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;
