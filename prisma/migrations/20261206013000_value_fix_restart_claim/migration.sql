-- sealdeck: expand-only
-- "Fix a value" restart robustness (issue #21): when a fix's restart was claimed, so that a claim whose
-- replica died before finishing expires and another replica resumes it. The restart patch itself carries
-- the fix's id (pod template annotation `sealdeck.io/restarted-for-fix`), so a resumed restart skips the
-- workloads the first one already restarted. Rows claimed before this column fall back to applied_at,
-- which the claim set at the same moment.

-- AlterTable
ALTER TABLE "value_fixes" ADD COLUMN "restart_claimed_at" TIMESTAMPTZ(3);
