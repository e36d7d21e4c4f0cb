-- CreateTable
CREATE TABLE "settings" (
    "key" VARCHAR(200) NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" VARCHAR(200),

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);
