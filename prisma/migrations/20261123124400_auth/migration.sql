-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "username" VARCHAR(200) NOT NULL,
    "email" VARCHAR(320),
    "display_name" VARCHAR(200) NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "password_hash" VARCHAR(300),
    "must_change_password" BOOLEAN NOT NULL DEFAULT false,
    "failed_sign_ins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_sign_in_at" TIMESTAMPTZ(3),
    "external_provider" VARCHAR(50),
    "external_subject" VARCHAR(300),
    "managed_by_groups" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    -- Not expressible in schema.prisma: the app validates roles too (lib/auth/roles.ts).
    CONSTRAINT "users_role_check" CHECK ("role" IN ('developer', 'security-lead', 'auditor', 'admin'))
);

-- CreateTable
CREATE TABLE "namespace_grants" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "cluster" VARCHAR(253) NOT NULL,
    "namespace" VARCHAR(63) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" VARCHAR(200),

    CONSTRAINT "namespace_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth_sessions" (
    "id" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "provider" VARCHAR(50) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "users_external_provider_external_subject_key" ON "users"("external_provider", "external_subject");

-- CreateIndex
CREATE UNIQUE INDEX "namespace_grants_user_id_cluster_namespace_key" ON "namespace_grants"("user_id", "cluster", "namespace");

-- CreateIndex
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions"("user_id");

-- AddForeignKey
ALTER TABLE "namespace_grants" ADD CONSTRAINT "namespace_grants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
