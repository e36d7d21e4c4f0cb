-- Who owns a namespace grant (issue #17): "mapping" grants come from the OIDC group mapping and are
-- replaced at each sign-in of a group-managed user; "admin" grants were added by a person (Settings,
-- CLI) and the mapping never removes them. Grants the mapping wrote before this migration carry
-- created_by = 'group-mapping'.
ALTER TABLE "namespace_grants" ADD COLUMN "source" VARCHAR(10) NOT NULL DEFAULT 'admin';
UPDATE "namespace_grants" SET "source" = 'mapping' WHERE "created_by" = 'group-mapping';
ALTER TABLE "namespace_grants"
  ADD CONSTRAINT "namespace_grants_source_check" CHECK ("source" IN ('mapping', 'admin'));

-- External sign-ins are re-checked against the identity provider after SEALDECK_SSO_RECHECK_MINUTES:
-- when this time has passed, the session ends and the user signs in again (groups re-read).
ALTER TABLE "auth_sessions" ADD COLUMN "recheck_at" TIMESTAMPTZ(3);
