import { createHash } from "node:crypto";

// The byte encoding behind every audit hash and signature. The database computes the same bytes in
// SQL (audit_encode_event in prisma/migrations/20261123124500_audit_log); this module reproduces them
// so that an export can be verified offline, with no database. Keep the two in lockstep: a change here
// is a new encoding version, never an edit of v1. Runs in the app and in the CLI (no server-only).

/** Domain tag opening every encoded event, so an event hash can never be confused with another hash. */
export const EVENT_ENCODING_TAG = "sealdeck.audit.v1";

/** `prev_hash` of the first event: 32 zero bytes, hex. */
export const GENESIS_PREV_HASH = "0".repeat(64);

/**
 * One audit event as the chain sees it, every field as text exactly as it is hashed.
 *
 * - `seq`: decimal, no sign or leading zeros (`"1"`, `"2"`, ...).
 * - `time`: UTC with milliseconds, `YYYY-MM-DDTHH:mm:ss.sssZ` (what `Date.prototype.toISOString()` prints).
 * - `details`: the JSON text Postgres prints for the stored `jsonb` (`details::text`): keys sorted by
 *   length then bytes, `", "` and `": "` separators. Exports carry it verbatim as a string, because
 *   re-serialising parsed JSON would not reproduce jsonb's key order or its numbers (`1.50`).
 * - `prevHash`, `hash`: lowercase hex of 32 bytes.
 */
export type ChainedAuditEvent = {
  seq: string;
  time: string;
  actorUserId: string | null;
  actorName: string | null;
  actorRole: string | null;
  actorIp: string | null;
  actorUserAgent: string | null;
  action: string;
  targetCluster: string | null;
  targetNamespace: string | null;
  targetKind: string | null;
  targetName: string | null;
  targetKeys: string[];
  outcome: string;
  details: string;
  pullRequestUrl: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
};

/** A value of the encoding: text, absent (SQL NULL), or an ordered list of text. */
export type EncodedField = string | null | readonly string[];

const NULL_MARKER = Buffer.from([0x00]);
const TEXT_MARKER = 0x01;
const LIST_MARKER = 0x02;

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

function encodeText(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  return Buffer.concat([Buffer.from([TEXT_MARKER]), uint32(bytes.length), bytes]);
}

/**
 * Encodes fields in the given order, each self-delimiting so no two different field lists share bytes:
 *
 * - NULL: the byte `0x00`;
 * - text: `0x01` ‖ uint32 big-endian byte length ‖ the UTF-8 bytes;
 * - list: `0x02` ‖ uint32 big-endian element count ‖ each element encoded as text.
 *
 * Mirrors `audit_encode_text` and `audit_encode_text_array` in the audit_log migration.
 */
export function encodeFields(fields: readonly EncodedField[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    if (field === null) parts.push(NULL_MARKER);
    else if (typeof field === "string") parts.push(encodeText(field));
    else parts.push(Buffer.from([LIST_MARKER]), uint32(field.length), ...field.map(encodeText));
  }
  return Buffer.concat(parts);
}

/**
 * The canonical encoding (v1) of an event: its fields in this fixed order, encoded by
 * {@link encodeFields}. `seq` may be overridden to test whether a row was renumbered.
 */
export function encodeAuditEvent(
  event: Omit<ChainedAuditEvent, "prevHash" | "hash">,
  seq = event.seq,
): Buffer {
  return encodeFields([
    EVENT_ENCODING_TAG,
    seq,
    event.time,
    event.actorUserId,
    event.actorName,
    event.actorRole,
    event.actorIp,
    event.actorUserAgent,
    event.action,
    event.targetCluster,
    event.targetNamespace,
    event.targetKind,
    event.targetName,
    event.targetKeys,
    event.outcome,
    event.details,
    event.pullRequestUrl,
    event.requestId,
  ]);
}

/** `hash = SHA-256(prev_hash bytes ‖ encodeAuditEvent(event))`, as lowercase hex. */
export function computeEventHash(event: Omit<ChainedAuditEvent, "hash">, seq = event.seq): string {
  return createHash("sha256")
    .update(Buffer.from(event.prevHash, "hex"))
    .update(encodeAuditEvent(event, seq))
    .digest("hex");
}
