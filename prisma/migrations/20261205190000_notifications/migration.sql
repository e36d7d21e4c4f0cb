-- Notifications (issue #15): a daily digest and immediate notices over webhooks and e-mail.
--
-- notification_items: what is wrong now (a rotation overdue, a sealing key overdue, a secret not
-- syncing), one row per item, refreshed by every replica's scheduler. An item whose last sighting is
-- older than the scheduler's grace is closed; seen again later, it opens again (and is notified again).
-- "item" is the notice's content: names, dates and statuses only, never a value.
--
-- notification_deliveries: one row per channel, item and UTC day. The UNIQUE key is what makes "each
-- item notified once per day" hold with several replicas: every replica inserts with ON CONFLICT DO
-- NOTHING, and sends only rows it claimed with FOR UPDATE SKIP LOCKED. "last_error" never holds a
-- channel secret (the sender redacts them).

-- CreateTable
CREATE TABLE "notification_items" (
    "item_key" VARCHAR(1200) NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "item" JSONB NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_items_pkey" PRIMARY KEY ("item_key"),
    CONSTRAINT "notification_items_kind_check" CHECK ("kind" IN ('rotation-overdue', 'sealing-key-overdue', 'sealing-keys-piling-up', 'secret-not-syncing'))
);

-- CreateIndex
CREATE INDEX "notification_items_last_seen_at_idx" ON "notification_items"("last_seen_at");

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "channel_id" VARCHAR(64) NOT NULL,
    "item_key" VARCHAR(1200) NOT NULL,
    "day" DATE NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_until" TIMESTAMPTZ(3),
    "last_error" VARCHAR(500),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_deliveries_kind_check" CHECK ("kind" IN ('immediate', 'digest', 'test')),
    CONSTRAINT "notification_deliveries_status_check" CHECK ("status" IN ('pending', 'sending', 'delivered', 'failed')),
    CONSTRAINT "notification_deliveries_attempts_check" CHECK ("attempts" >= 0)
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_channel_id_item_key_day_key" ON "notification_deliveries"("channel_id", "item_key", "day");

-- CreateIndex
CREATE INDEX "notification_deliveries_next_attempt_at_idx" ON "notification_deliveries"("next_attempt_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_created_at_idx" ON "notification_deliveries"("created_at");
