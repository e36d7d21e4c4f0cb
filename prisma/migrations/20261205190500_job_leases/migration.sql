-- Several replicas over one database (issue 19): background work runs once per period across replicas.
--
-- job_leases: one row per background job (lib/jobs/). A process holds a job while `expires_at` is in the
-- future and renews it well before; another process takes it over only once it expired (the holder died
-- or lost the database), so a job moves within one lease period. Taking and renewing are one atomic
-- INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at < now() OR holder = me, on the database's clock
-- (the replicas' clocks may disagree). `next_run_at` is when the job is due again whoever holds it, so a
-- takeover does not run a job that already ran in this period.
--
-- sign_in_buckets: the sign-in rate limit's token buckets (lib/auth/rate-limit.ts), shared by replicas.
-- The key is a SHA-256 of the client address (and username), never the address or name itself.

-- CreateTable
CREATE TABLE "job_leases" (
    "name" VARCHAR(100) NOT NULL,
    "holder" VARCHAR(200) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "acquired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_run_at" TIMESTAMPTZ(3),
    "last_run_by" VARCHAR(200),
    "next_run_at" TIMESTAMPTZ(3),

    CONSTRAINT "job_leases_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "sign_in_buckets" (
    "key" VARCHAR(64) NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_buckets_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "sign_in_buckets_updated_at_idx" ON "sign_in_buckets"("updated_at");
