-- A re-encryption is not a rotation (issue #15 follow-up): a new ciphertext that Sealdeck's
-- re-encryption wrote (the SealedSecret's `sealdeck.io/reencryption` marker lists exactly this
-- ciphertext) is still a row of observed_rotations, so the next value's previous_hash and the
-- exactly-once insert keep working, but `reencryption` is true and it is not rotation evidence
-- (lib/rotation/load-rotation-evidence.ts reads only rows where it is false). Rows written before this
-- migration are rotations, as they were recorded.

-- AlterTable
ALTER TABLE "observed_rotations" ADD COLUMN "reencryption" BOOLEAN NOT NULL DEFAULT false;
