-- Kubernetes access history and observed rotations (issue 8).
--
-- k8s_access_events: the API server's audit events (audit webhook, POST /api/k8s-audit) that touch
-- secrets, sealedsecrets, externalsecrets or clusterexternalsecrets. Metadata only: the request and
-- response objects of an audit event are never stored (at RequestResponse level they hold Secret data).
-- (cluster, audit_id) is unique, so a batch the API server retries is inserted once (ON CONFLICT DO NOTHING).
--
-- observed_rotations: every distinct value (a SHA-256 of a SealedSecret key's ciphertext, or of an
-- ExternalSecret target's data-hash annotation) Sealdeck has seen per key. The unique constraint makes
-- the first replica that inserts a new value the only one that records its "rotation.observed" audit
-- event (lib/audit/observe-rotations.ts). `previous_hash` is NULL for a first sighting (a baseline).

-- CreateTable
CREATE TABLE "k8s_access_events" (
    "id" BIGSERIAL NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "audit_id" VARCHAR(100) NOT NULL,
    "stage" VARCHAR(30) NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "username" VARCHAR(500),
    "groups" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "impersonated_user" VARCHAR(500),
    "verb" VARCHAR(50) NOT NULL,
    "resource" VARCHAR(100) NOT NULL,
    "subresource" VARCHAR(100),
    "api_group" VARCHAR(253) NOT NULL DEFAULT '',
    "api_version" VARCHAR(50),
    "namespace" VARCHAR(253),
    "name" VARCHAR(253),
    "source_ips" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "user_agent" VARCHAR(500),
    "response_code" INTEGER,
    "request_uri" VARCHAR(2000),

    CONSTRAINT "k8s_access_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "k8s_access_events_cluster_audit_id_key" ON "k8s_access_events"("cluster", "audit_id");

-- CreateIndex
CREATE INDEX "k8s_access_events_cluster_namespace_name_idx" ON "k8s_access_events"("cluster", "namespace", "name");

-- CreateIndex
CREATE INDEX "k8s_access_events_time_idx" ON "k8s_access_events"("time");

-- CreateIndex
CREATE INDEX "k8s_access_events_username_idx" ON "k8s_access_events"("username");

-- CreateTable
CREATE TABLE "observed_rotations" (
    "id" BIGSERIAL NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "kind" VARCHAR(100) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "key" VARCHAR(253) NOT NULL,
    "value_hash" VARCHAR(64) NOT NULL,
    "previous_hash" VARCHAR(64),
    "resource_version" VARCHAR(100),
    "observed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "observed_rotations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "observed_rotations_value_key" ON "observed_rotations"("cluster", "kind", "namespace", "name", "key", "value_hash");

-- CreateIndex
CREATE INDEX "observed_rotations_latest_idx" ON "observed_rotations"("cluster", "kind", "namespace", "name", "key", "id");
