import { describe, expect, it } from "vitest";
import {
  computeEventHash,
  encodeFields,
  GENESIS_PREV_HASH,
  type ChainedAuditEvent,
} from "./canonical-encoding";
import { verifyChain } from "./verify-chain";

// Pure tests of the encoding and the verifier; the database-backed tests check the same against SQL.

function chain(n: number): ChainedAuditEvent[] {
  const events: ChainedAuditEvent[] = [];
  let prevHash = GENESIS_PREV_HASH;
  for (let i = 1; i <= n; i++) {
    const event = {
      seq: String(i),
      time: `2026-11-23T12:00:0${i % 10}.000Z`,
      actorUserId: null,
      actorName: "Ada",
      actorRole: null,
      actorIp: null,
      actorUserAgent: null,
      action: "secret.viewed",
      targetCluster: "c",
      targetNamespace: "n",
      targetKind: "SealedSecret",
      targetName: "s",
      targetKeys: ["A"],
      outcome: "success",
      details: "{}",
      pullRequestUrl: null,
      requestId: null,
      prevHash,
    };
    const hash = computeEventHash(event);
    events.push({ ...event, hash });
    prevHash = hash;
  }
  return events;
}

describe("canonical encoding", () => {
  it("length-prefixes every field so neighbouring fields cannot trade bytes", () => {
    expect(encodeFields(["ab", "c"]).equals(encodeFields(["a", "bc"]))).toBe(false);
    expect(encodeFields([null]).equals(encodeFields([""]))).toBe(false);
    expect(encodeFields([[]]).equals(encodeFields([null]))).toBe(false);
    expect(encodeFields(["é", null, ["k"]]).toString("hex")).toBe("0100000002c3a900020000000101000000016b");
  });
});

describe("verifyChain", () => {
  it("accepts an intact chain and reports its ends", async () => {
    const events = chain(5);
    expect(await verifyChain(events, { contiguous: true, fromGenesis: true })).toMatchObject({
      ok: true,
      count: 5,
      firstSeq: "1",
      lastSeq: "5",
      firstPrevHash: GENESIS_PREV_HASH,
      lastHash: events[4]!.hash,
    });
  });

  it("names a deleted last event only when something says where the chain ends", async () => {
    const events = chain(5).slice(0, 4);
    expect((await verifyChain(events, { contiguous: true, fromGenesis: true })).ok).toBe(true);
    expect(
      (await verifyChain(events, { contiguous: true, fromGenesis: true, lastSeq: "5" })).broken,
    ).toMatchObject({ seq: "5", kind: "deleted" });
  });

  it("tolerates gaps only in a filtered run", async () => {
    const events = chain(6).filter((e) => e.seq !== "3");
    expect((await verifyChain(events, { contiguous: false })).ok).toBe(true);
    expect((await verifyChain(events, { contiguous: true })).broken).toMatchObject({
      seq: "3",
      kind: "deleted",
    });
  });
});
