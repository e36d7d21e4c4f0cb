import { createHash } from "node:crypto";
import { readExportEvents, type ExportFormat } from "./export-formats";
import { verifyManifestSignature, type ExportManifest } from "./export-manifest";
import { ChainVerifier, type ChainExpectations, type ChainVerification } from "./verify-chain";
import { verifyCheckpointSignature } from "./verify-checkpoint";

// Offline verification of an export file against its manifest: what `sealdeck audit verify FILE` runs.
// Shared with the app (no server-only). Streams the file once, hashing and verifying as it reads.

export type ExportVerification = {
  ok: boolean;
  format: ExportFormat;
  fileSha256: string;
  chain: ChainVerification;
  /** One line per failed check other than the chain itself (signatures, file hash, manifest). */
  problems: string[];
  /** True when the signatures were checked against a key the auditor supplied. */
  pinned: boolean;
  /**
   * Without a manifest: the numbers missing between the file's events. A filtered export has such gaps
   * and so has one with deleted events; only the manifest tells which, so none is called a deletion.
   */
  gaps?: { count: number; firstAfter: string; firstBefore: string };
};

export type VerifyExportOptions = {
  chunks: AsyncIterable<Buffer | string>;
  format: ExportFormat;
  manifest?: ExportManifest;
  /** SPKI PEM of the signing key, obtained out of band: without it a forger could re-sign everything. */
  publicKeyPem?: string;
};

function expectationsFrom(manifest: ExportManifest | undefined): ChainExpectations {
  // Without a manifest nothing says whether the file was filtered: gaps are counted and reported as
  // unexplained (see `gaps`), never named deletions, and events with consecutive numbers must link.
  if (!manifest) return { contiguous: false };
  return {
    contiguous: manifest.contiguous,
    fromGenesis: manifest.contiguous && manifest.firstSeq === "1",
    count: manifest.count,
    ...(manifest.firstSeq !== null ? { firstSeq: manifest.firstSeq } : {}),
    ...(manifest.firstPrevHash !== null ? { firstPrevHash: manifest.firstPrevHash } : {}),
    ...(manifest.lastSeq !== null ? { lastSeq: manifest.lastSeq } : {}),
    ...(manifest.lastHash !== null ? { lastHash: manifest.lastHash } : {}),
  };
}

/** Verifies an export: every event, the links between consecutive ones, and the signed manifest. */
export async function verifyExport(options: VerifyExportOptions): Promise<ExportVerification> {
  const { manifest, publicKeyPem, format } = options;
  const problems: string[] = [];
  if (manifest) {
    if (manifest.format !== format)
      problems.push(`the manifest describes a ${manifest.format} export, not ${format}`);
    const checkpoint = verifyCheckpointSignature(manifest.checkpoint, publicKeyPem);
    if (!checkpoint.ok) problems.push(`checkpoint: ${checkpoint.reason ?? "invalid"}`);
    const signed = verifyManifestSignature(manifest, publicKeyPem);
    if (!signed.ok) problems.push(`manifest: ${signed.reason ?? "invalid"}`);
    const headSeq = BigInt(manifest.checkpoint.seq);
    if (manifest.lastSeq !== null && BigInt(manifest.lastSeq) > headSeq) {
      problems.push(`manifest: its last event #${manifest.lastSeq} is beyond the signed head #${headSeq}`);
    }
    if (manifest.contiguous) {
      // An unfiltered export ends at the signed head: its last hash is the signed one.
      const endsAtHead =
        manifest.count === 0
          ? headSeq === 0n
          : manifest.lastSeq === manifest.checkpoint.seq && manifest.lastHash === manifest.checkpoint.hash;
      if (!endsAtHead) problems.push(`manifest: the export does not end at the signed head #${headSeq}`);
    }
  }

  const fileHash = createHash("sha256");
  const verifier = new ChainVerifier(expectationsFrom(manifest));
  let gaps: ExportVerification["gaps"];
  let previousSeq: bigint | undefined;
  try {
    // No early exit on a break: the file hash needs every byte, and later events cost little once
    // the verifier has its verdict.
    // Version 1 manifests predate neutralised CSV cells; without a manifest, the current form.
    const rawCsv = manifest?.version === 1;
    for await (const event of readExportEvents(options.chunks, format, (chunk) => fileHash.update(chunk), {
      rawCsv,
    })) {
      verifier.push(event);
      const seq = BigInt(event.seq);
      if (!manifest && previousSeq !== undefined && seq > previousSeq + 1n) {
        if (gaps) gaps.count += 1;
        else gaps = { count: 1, firstAfter: previousSeq.toString(), firstBefore: event.seq };
      }
      previousSeq = seq;
    }
  } catch (error) {
    problems.push(`the file cannot be read: ${(error as Error).message}`);
  }
  const chain = verifier.finish();
  const fileSha256 = fileHash.digest("hex");
  if (manifest && manifest.fileSha256 !== fileSha256)
    problems.push("the file's SHA-256 differs from the manifest's");
  if (gaps)
    problems.push(
      `no manifest: events are missing between #${gaps.firstAfter} and #${gaps.firstBefore}${gaps.count > 1 ? ` and in ${gaps.count - 1} other place(s)` : ""}; a filtered export leaves such gaps and so does a deletion, and only the export's signed manifest tells them apart. Verify the evidence bundle (.zip) or pass --manifest`,
    );
  return {
    ok: chain.ok && problems.length === 0,
    format,
    fileSha256,
    chain,
    problems,
    pinned: publicKeyPem !== undefined,
    ...(gaps ? { gaps } : {}),
  };
}
