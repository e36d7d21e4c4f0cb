-- Audit log: an append-only, hash-chained table (see lib/audit/README.md for the canonical encoding,
-- which lib/audit/canonical-encoding.ts reproduces byte for byte for offline verification).

-- CreateTable
CREATE TABLE "audit_events" (
    "seq" BIGINT NOT NULL DEFAULT 0,
    "time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_user_id" VARCHAR(200),
    "actor_name" VARCHAR(200),
    "actor_role" VARCHAR(50),
    "actor_ip" VARCHAR(100),
    "actor_user_agent" VARCHAR(500),
    "action" VARCHAR(100) NOT NULL,
    "target_cluster" VARCHAR(200),
    "target_namespace" VARCHAR(253),
    "target_kind" VARCHAR(100),
    "target_name" VARCHAR(253),
    "target_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "outcome" VARCHAR(20) NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "pull_request_url" VARCHAR(2000),
    "request_id" VARCHAR(200),
    "prev_hash" BYTEA NOT NULL DEFAULT '\x'::bytea,
    "hash" BYTEA NOT NULL DEFAULT '\x'::bytea,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq"),
    CONSTRAINT "audit_events_outcome_check" CHECK ("outcome" IN ('success', 'failure', 'denied', 'pending')),
    -- The encoding has no representation for a NULL key or a NULL list.
    CONSTRAINT "audit_events_target_keys_check" CHECK ("target_keys" IS NOT NULL AND array_position("target_keys", NULL) IS NULL),
    CONSTRAINT "audit_events_hash_check" CHECK (octet_length("hash") = 32 AND octet_length("prev_hash") = 32)
);

-- CreateTable
CREATE TABLE "audit_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,
    "head_time" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "prev_signature" BYTEA,
    "signature" BYTEA NOT NULL,
    "key_id" VARCHAR(64) NOT NULL,
    "public_key" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_events_time_idx" ON "audit_events"("time");

-- CreateIndex
CREATE INDEX "audit_events_target_cluster_target_namespace_target_name_idx" ON "audit_events"("target_cluster", "target_namespace", "target_name");

-- CreateIndex
CREATE INDEX "audit_checkpoints_seq_idx" ON "audit_checkpoints"("seq");

-- The canonical encoding (v1), field by field: NULL is the byte 0x00; text is 0x01 ‖ uint32 big-endian
-- byte length ‖ its UTF-8 bytes; a list is 0x02 ‖ uint32 big-endian element count ‖ each element as text.
-- Written out inline rather than through a helper per field: Postgres inlines this SQL function into
-- the trigger's expression, where a helper call per field costs several times more.

-- A list of strings (target_keys).
CREATE FUNCTION "audit_encode_text_array"(value TEXT[]) RETURNS BYTEA
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  encoded BYTEA := '\x02'::bytea || int4send(coalesce(cardinality(value), 0));
  item TEXT;
BEGIN
  IF value IS NOT NULL THEN
    FOREACH item IN ARRAY value LOOP
      encoded := encoded || '\x01'::bytea || int4send(octet_length(convert_to(item, 'UTF8'))) || convert_to(item, 'UTF8');
    END LOOP;
  END IF;
  RETURN encoded;
END
$$;

-- One event: the fields in this fixed order. The time is UTC with milliseconds, exactly as JavaScript's
-- Date.prototype.toISOString() prints it; details is jsonb's own text output (keys sorted by length
-- then bytes, ", " and ": " separators). lib/audit/canonical-encoding.ts reproduces these bytes.
CREATE FUNCTION "audit_encode_event"(e "audit_events") RETURNS BYTEA
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN 'sealdeck.audit.v1' IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to('sealdeck.audit.v1', 'UTF8'))) || convert_to('sealdeck.audit.v1', 'UTF8') END
  || CASE WHEN e.seq::text IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.seq::text, 'UTF8'))) || convert_to(e.seq::text, 'UTF8') END
  || CASE WHEN to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8'))) || convert_to(to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'UTF8') END
  || CASE WHEN e.actor_user_id IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.actor_user_id, 'UTF8'))) || convert_to(e.actor_user_id, 'UTF8') END
  || CASE WHEN e.actor_name IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.actor_name, 'UTF8'))) || convert_to(e.actor_name, 'UTF8') END
  || CASE WHEN e.actor_role IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.actor_role, 'UTF8'))) || convert_to(e.actor_role, 'UTF8') END
  || CASE WHEN e.actor_ip IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.actor_ip, 'UTF8'))) || convert_to(e.actor_ip, 'UTF8') END
  || CASE WHEN e.actor_user_agent IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.actor_user_agent, 'UTF8'))) || convert_to(e.actor_user_agent, 'UTF8') END
  || CASE WHEN e.action IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.action, 'UTF8'))) || convert_to(e.action, 'UTF8') END
  || CASE WHEN e.target_cluster IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.target_cluster, 'UTF8'))) || convert_to(e.target_cluster, 'UTF8') END
  || CASE WHEN e.target_namespace IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.target_namespace, 'UTF8'))) || convert_to(e.target_namespace, 'UTF8') END
  || CASE WHEN e.target_kind IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.target_kind, 'UTF8'))) || convert_to(e.target_kind, 'UTF8') END
  || CASE WHEN e.target_name IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.target_name, 'UTF8'))) || convert_to(e.target_name, 'UTF8') END
  || audit_encode_text_array(e.target_keys)
  || CASE WHEN e.outcome IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.outcome, 'UTF8'))) || convert_to(e.outcome, 'UTF8') END
  || CASE WHEN e.details::text IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.details::text, 'UTF8'))) || convert_to(e.details::text, 'UTF8') END
  || CASE WHEN e.pull_request_url IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.pull_request_url, 'UTF8'))) || convert_to(e.pull_request_url, 'UTF8') END
  || CASE WHEN e.request_id IS NULL THEN '\x00'::bytea
         ELSE '\x01'::bytea || int4send(octet_length(convert_to(e.request_id, 'UTF8'))) || convert_to(e.request_id, 'UTF8') END
$$;

-- Assigns seq, time, prev_hash and hash. The transaction-scoped advisory lock serializes every writer
-- (any connection, any replica) until its transaction ends, so the row read as the head is the last
-- committed one and seq stays gap-free: a rolled-back insert releases its number with the lock.
-- The lock id is the first 8 bytes of sha256('sealdeck.audit_events') as a signed bigint.
CREATE FUNCTION "audit_events_chain"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  head RECORD;
BEGIN
  PERFORM pg_advisory_xact_lock(7050244041008635915);
  SELECT seq, hash INTO head FROM audit_events ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    NEW.seq := 1;
    NEW.prev_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  ELSE
    NEW.seq := head.seq + 1;
    NEW.prev_hash := head.hash;
  END IF;
  -- Truncated to the column's precision first, so the encoded time is the stored time.
  NEW.time := date_trunc('milliseconds', clock_timestamp());
  NEW.target_keys := coalesce(NEW.target_keys, ARRAY[]::text[]);
  NEW.hash := sha256(NEW.prev_hash || audit_encode_event(NEW));
  RETURN NEW;
END
$$;

-- Refuses UPDATE, DELETE and TRUNCATE. The one exception is audit_prune() below, which deletes the
-- oldest events through a signed checkpoint with a transaction-local flag set. Setting that flag gives
-- nothing to a role without DELETE on the table, and the table's owner, the only role with it, could
-- disable this trigger anyway.
CREATE FUNCTION "audit_reject_change"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events'
     AND coalesce(current_setting('sealdeck.audit_prune', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Retention: deletes every event up to and including `through_seq`, which must be the head of a signed
-- checkpoint, so the remaining chain starts from a signed hash (its first prev_hash is that
-- checkpoint's hash). Checkpoints are never deleted. Returns the number of events deleted.
CREATE FUNCTION "audit_prune"(through_seq BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  deleted BIGINT;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_checkpoints c JOIN audit_events e ON e.seq = c.seq AND e.hash = c.hash
                 WHERE c.seq = through_seq) THEN
    RAISE EXCEPTION 'event #% is not the head of a signed checkpoint', through_seq
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM set_config('sealdeck.audit_prune', 'on', true);
  DELETE FROM audit_events WHERE seq <= through_seq;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  PERFORM set_config('sealdeck.audit_prune', 'off', true);
  RETURN deleted;
END
$$;
REVOKE ALL ON FUNCTION audit_prune(BIGINT) FROM PUBLIC;

-- Pin the trigger's search path to this schema, pg_temp last: otherwise a session could shadow
-- audit_events with a temporary table, or the encoders with functions of its own, and feed the trigger
-- a forged head. The encoders run inside the trigger (inlined), so they resolve names under this path.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_events_chain() SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION audit_prune(bigint) SET search_path = %I, pg_temp', current_schema());
END
$$;

CREATE TRIGGER "audit_events_chain" BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
