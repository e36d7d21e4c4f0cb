import { computeEventHash, GENESIS_PREV_HASH, type ChainedAuditEvent } from "./canonical-encoding";

// Offline verification of a run of audit events, from an export file or from the live table. Used by
// the app and by `sealdeck audit verify` (so no server-only here). It streams: memory stays constant
// whatever the number of events.

/** How a chain was broken, as best the evidence tells. */
export type TamperKind = "changed" | "deleted" | "inserted" | "reordered";

/**
 * The first broken event. `seq` is the sequence number of the event that was changed, deleted, inserted
 * or moved (null when only a count tells, e.g. a filtered export lost a row); `position` is the 0-based
 * index in the input where the break was seen.
 */
export type ChainBreak = { seq: string | null; position: number; kind: TamperKind; message: string };

/**
 * What the events must add up to, from a manifest or a signed checkpoint.
 *
 * - `contiguous`: the input claims to hold every event in its range (an unfiltered export, the live
 *   table), so a missing sequence number is a deletion. A filtered export sets it to false: gaps are
 *   then expected, and only events whose numbers are consecutive are linked by `prev_hash`.
 * - `fromGenesis`: the first event must be #1 with the all-zero `prev_hash`.
 * - the rest must match the first and last events and the count exactly.
 */
export type ChainExpectations = {
  contiguous: boolean;
  fromGenesis?: boolean;
  firstSeq?: string;
  firstPrevHash?: string;
  lastSeq?: string;
  lastHash?: string;
  count?: number;
};

export type ChainVerification = {
  ok: boolean;
  count: number;
  firstSeq: string | null;
  lastSeq: string | null;
  firstPrevHash: string | null;
  lastHash: string | null;
  broken?: ChainBreak;
};

type Positioned = { event: ChainedAuditEvent; seq: bigint; position: number };

const hashAt = (event: ChainedAuditEvent, seq: bigint) => computeEventHash(event, seq.toString());

/**
 * Verifies events pushed in order, one at a time, looking one event ahead to tell the kinds of
 * tampering apart. Every event's own hash is recomputed with the canonical encoding (see
 * `canonical-encoding.ts`); consecutive events must link (`prev_hash` = the previous `hash`).
 *
 * How a break is named, for a single edit:
 * - **changed**: the event's hash does not match its content, or it was re-hashed and the next event
 *   no longer links to it;
 * - **deleted**: a sequence number is missing (or later events were renumbered down to hide it);
 * - **inserted**: two events claim one number, one appears beyond the manifest's last, or later events
 *   were renumbered up to make room;
 * - **reordered**: numbers go backwards, a missing number turns up later, or two events were swapped.
 */
export class ChainVerifier {
  private pending: Positioned | undefined;
  private prev: Positioned | undefined;
  private first: Positioned | undefined;
  private gap: { seq: bigint; position: number } | undefined;
  private broken: ChainBreak | undefined;
  private count = 0;
  private position = 0;

  constructor(private readonly expect: ChainExpectations = { contiguous: true }) {}

  /** Adds the next event in input order. Returns false once a break was found (later input is moot). */
  push(event: ChainedAuditEvent): boolean {
    const next = { event, seq: BigInt(event.seq), position: this.position++ };
    if (this.pending) this.check(this.pending, next);
    this.pending = next;
    return this.broken === undefined;
  }

  /** Ends the input and returns the verdict. */
  finish(): ChainVerification {
    if (this.pending) this.check(this.pending, undefined);
    this.pending = undefined;
    if (!this.broken) this.checkEnd();
    return {
      ok: this.broken === undefined,
      count: this.count,
      firstSeq: this.first?.event.seq ?? null,
      lastSeq: this.prev?.event.seq ?? null,
      firstPrevHash: this.first?.event.prevHash ?? null,
      lastHash: this.prev?.event.hash ?? null,
      ...(this.broken ? { broken: this.broken } : {}),
    };
  }

  private fail(seq: bigint | null, position: number, kind: TamperKind, message: string) {
    this.broken ??= { seq: seq === null ? null : seq.toString(), position, kind, message };
  }

  private check(cur: Positioned, next: Positioned | undefined) {
    if (this.broken) return;
    const { prev, expect } = this;
    const { event, seq, position } = cur;

    if (prev && seq <= prev.seq) {
      if (this.gap?.seq === seq)
        return this.fail(seq, position, "reordered", `event #${seq} appears after #${prev.seq}`);
      if (seq === prev.seq) return this.fail(seq, position, "inserted", `a second event claims #${seq}`);
      return this.fail(seq, position, "reordered", `event #${seq} appears after #${prev.seq}`);
    }
    if (expect.lastSeq !== undefined && seq > BigInt(expect.lastSeq)) {
      return this.fail(
        seq,
        position,
        "inserted",
        `event #${seq} is beyond the last event #${expect.lastSeq}`,
      );
    }

    if (hashAt(event, seq) !== event.hash) return this.classifyBadHash(cur, next);

    if (!prev) {
      const expectedFirst = expect.fromGenesis
        ? 1n
        : expect.firstSeq !== undefined
          ? BigInt(expect.firstSeq)
          : undefined;
      if (expectedFirst !== undefined && seq < expectedFirst) {
        return this.fail(
          seq,
          position,
          "inserted",
          `event #${seq} comes before the first event #${expectedFirst}`,
        );
      }
      if (expectedFirst !== undefined && seq > expectedFirst) {
        if (next && next.seq === expectedFirst) {
          return this.fail(seq, position, "reordered", `event #${seq} appears before #${expectedFirst}`);
        }
        // Deleted, or moved further down: the rest of the input decides.
        this.gap = { seq: expectedFirst, position };
        this.first = cur;
        this.prev = cur;
        this.count++;
        return;
      }
      const firstPrevHash = expect.fromGenesis ? GENESIS_PREV_HASH : expect.firstPrevHash;
      if (firstPrevHash !== undefined && event.prevHash !== firstPrevHash) {
        return this.fail(
          seq,
          position,
          "changed",
          `event #${seq} does not link to the expected previous hash`,
        );
      }
      this.first = cur;
    } else if (seq === prev.seq + 1n) {
      if (event.prevHash !== prev.event.hash) {
        // Both are self-consistent: one of them was re-hashed. If the next event links past this one,
        // this one was slipped in; otherwise the previous one was rewritten.
        if (next && next.event.prevHash === prev.event.hash) {
          return this.fail(
            seq,
            position,
            "inserted",
            `event #${seq} does not belong between #${prev.seq} and #${next.seq}`,
          );
        }
        return this.fail(
          prev.seq,
          prev.position,
          "changed",
          `event #${prev.seq} was rewritten: #${seq} does not link to it`,
        );
      }
    } else if (expect.contiguous) {
      const missing = prev.seq + 1n;
      if (next && next.seq === missing) {
        return this.fail(seq, position, "reordered", `event #${seq} appears before #${missing}`);
      }
      if (this.gap)
        return this.fail(this.gap.seq, this.gap.position, "deleted", `event #${this.gap.seq} is missing`);
      // Deleted, or moved further down: the rest of the input decides.
      this.gap = { seq: missing, position };
    }
    this.prev = cur;
    this.count++;
  }

  private classifyBadHash(cur: Positioned, next: Positioned | undefined) {
    const { event, seq, position } = cur;
    if (
      next &&
      next.seq === seq + 1n &&
      hashAt(event, next.seq) === event.hash &&
      hashAt(next.event, seq) === next.event.hash
    ) {
      return this.fail(seq, position, "reordered", `events #${seq} and #${next.seq} were swapped`);
    }
    if (this.prev && hashAt(event, seq - 1n) === event.hash) {
      return this.fail(
        seq - 1n,
        this.prev.position,
        "inserted",
        `event #${seq - 1n} was inserted; later events were renumbered`,
      );
    }
    if (next && next.seq === seq + 1n && hashAt(next.event, seq) === next.event.hash) {
      return this.fail(seq, position, "inserted", `event #${seq} was inserted; later events were renumbered`);
    }
    if (hashAt(event, seq + 1n) === event.hash) {
      return this.fail(seq, position, "deleted", `event #${seq} was deleted; later events were renumbered`);
    }
    return this.fail(
      seq,
      position,
      "changed",
      `event #${seq} was changed: its hash does not match its content`,
    );
  }

  private checkEnd() {
    const { expect, prev } = this;
    if (this.gap)
      return this.fail(this.gap.seq, this.gap.position, "deleted", `event #${this.gap.seq} is missing`);
    if (expect.lastSeq !== undefined) {
      const lastSeq = BigInt(expect.lastSeq);
      if (!prev || prev.seq < lastSeq) {
        const missing = expect.contiguous && prev ? prev.seq + 1n : lastSeq;
        return this.fail(
          missing,
          this.position,
          "deleted",
          `the events end at ${prev ? `#${prev.seq}` : "nothing"}; #${lastSeq} is missing`,
        );
      }
      if (expect.lastHash !== undefined && prev.event.hash !== expect.lastHash) {
        return this.fail(
          prev.seq,
          prev.position,
          "changed",
          `event #${prev.seq} does not match the signed hash`,
        );
      }
    }
    if (expect.count !== undefined && this.count !== expect.count) {
      const kind = this.count < expect.count ? "deleted" : "inserted";
      return this.fail(null, this.position, kind, `${expect.count} events expected, ${this.count} found`);
    }
  }
}

/** Verifies a whole sequence of events (an array, a generator or an async stream). */
export async function verifyChain(
  events: Iterable<ChainedAuditEvent> | AsyncIterable<ChainedAuditEvent>,
  expect: ChainExpectations = { contiguous: true },
): Promise<ChainVerification> {
  const verifier = new ChainVerifier(expect);
  for await (const event of events) {
    if (!verifier.push(event)) break;
  }
  return verifier.finish();
}
