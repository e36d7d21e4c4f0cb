-- sealdeck: expand-only
-- Re-seal campaigns (issue #21): a secret counts as removed only when its SealedSecret has stayed gone
-- from its synced cluster across closer passes SEALDECK_CAMPAIGN_REMOVED_AFTER_SECONDS apart, so one a
-- GitOps tool deletes and recreates does not close the campaign. When a pass first found it gone; null
-- when present (or never looked at). The runtime role gets UPDATE on the table (lib/db/ensure-app-role.ts).

-- AlterTable
ALTER TABLE "recovery_campaign_secrets" ADD COLUMN "absent_since" TIMESTAMPTZ(3);
