-- GitOps history backfill (issue 14, evidence 3): when each SealedSecret key last changed in Git.
--
-- git_key_changes: per configured repository (its Settings id) and base branch, per manifest file and per
-- `spec.encryptedData.<key>` of each SealedSecret in it, the latest first-parent commit of the branch that
-- changed that key's ciphertext (added or modified). `value_hash` is the SHA-256 of the ciphertext string
-- (as lib/kube/rotation-watcher.ts hashes it, so a commit can be matched to an observed rotation); the
-- ciphertext itself is never stored. The cluster is not stored: it follows from `path` and the
-- repository's path templates when read (lib/rotation/read-git-key-changes.ts).
--
-- git_history_cursors: the last commit read per repository and branch, so the next pass reads only
-- `last_commit..head` (lib/rotation/backfill-git-history.ts). A cursor that is no longer an ancestor of
-- the branch (a force-push) makes the next pass start again from scratch.

-- CreateTable
CREATE TABLE "git_key_changes" (
    "repository" VARCHAR(63) NOT NULL,
    "branch" VARCHAR(200) NOT NULL,
    "path" VARCHAR(1000) NOT NULL,
    "namespace" VARCHAR(253) NOT NULL,
    "name" VARCHAR(253) NOT NULL,
    "key" VARCHAR(253) NOT NULL,
    "commit" VARCHAR(64) NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL,
    "author" VARCHAR(500) NOT NULL,
    "value_hash" VARCHAR(64) NOT NULL,

    CONSTRAINT "git_key_changes_pkey" PRIMARY KEY ("repository", "branch", "path", "namespace", "name", "key")
);

-- CreateIndex
CREATE INDEX "git_key_changes_namespace_name_idx" ON "git_key_changes"("namespace", "name");

-- CreateTable
CREATE TABLE "git_history_cursors" (
    "repository" VARCHAR(63) NOT NULL,
    "branch" VARCHAR(200) NOT NULL,
    "last_commit" VARCHAR(64) NOT NULL,
    "head_commit" VARCHAR(64) NOT NULL,
    "commits_read" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "git_history_cursors_pkey" PRIMARY KEY ("repository", "branch")
);
