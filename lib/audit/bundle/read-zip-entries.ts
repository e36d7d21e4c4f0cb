import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInflateRaw } from "node:zlib";
import {
  CENTRAL_HEADER_LENGTH,
  CENTRAL_HEADER_SIGNATURE,
  END_OF_CENTRAL_DIRECTORY_LENGTH,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  LOCAL_HEADER_LENGTH,
  LOCAL_HEADER_SIGNATURE,
  METHOD_DEFLATE,
  METHOD_STORED,
} from "./zip-format";

// Reads a ZIP archive's directory and streams one entry at a time, for `sealdeck audit verify` on an
// evidence bundle (the CLI, so no server-only). Stored and DEFLATE entries; no ZIP64, no encryption.
// The entries' own CRC-32s are not checked: what matters, the export's bytes, is checked by its
// manifest's SHA-256.

export type ZipDirectoryEntry = { name: string; method: number; compressedSize: number; dataOffset: number };

export class ZipReadError extends Error {}

/** The archive's entries as its central directory lists them. */
export async function readZipDirectory(file: string): Promise<ZipDirectoryEntry[]> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    // The end record is the last 22 bytes plus a comment of up to 65,535.
    const tailLength = Math.min(size, END_OF_CENTRAL_DIRECTORY_LENGTH + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let at = tailLength - END_OF_CENTRAL_DIRECTORY_LENGTH; at >= 0; at--) {
      if (tail.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new ZipReadError("not a ZIP archive (no end of central directory)");
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset + directorySize > size) throw new ZipReadError("the ZIP directory is cut off");
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const entries: ZipDirectoryEntry[] = [];
    let at = 0;
    for (let index = 0; index < count; index++) {
      if (
        at + CENTRAL_HEADER_LENGTH > directory.length ||
        directory.readUInt32LE(at) !== CENTRAL_HEADER_SIGNATURE
      )
        throw new ZipReadError("the ZIP directory is damaged");
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString(
        "utf8",
        at + CENTRAL_HEADER_LENGTH,
        at + CENTRAL_HEADER_LENGTH + nameLength,
      );
      at += CENTRAL_HEADER_LENGTH + nameLength + extraLength + commentLength;
      const local = Buffer.alloc(LOCAL_HEADER_LENGTH);
      await handle.read(local, 0, LOCAL_HEADER_LENGTH, localOffset);
      if (local.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE)
        throw new ZipReadError(`the entry ${name} is damaged`);
      const dataOffset = localOffset + LOCAL_HEADER_LENGTH + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataOffset + compressedSize > size) throw new ZipReadError(`the entry ${name} is cut off`);
      entries.push({ name, method, compressedSize, dataOffset });
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** One entry's uncompressed bytes, streamed. */
export function readZipEntry(file: string, entry: ZipDirectoryEntry): AsyncIterable<Buffer> {
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE)
    throw new ZipReadError(`the entry ${entry.name} uses ZIP method ${entry.method}, which is not supported`);
  if (entry.compressedSize === 0) return (async function* () {})();
  const raw = createReadStream(file, {
    start: entry.dataOffset,
    end: entry.dataOffset + entry.compressedSize - 1,
  });
  return entry.method === METHOD_STORED ? raw : raw.pipe(createInflateRaw());
}

/** One (small) entry's bytes as UTF-8 text. */
export async function readZipEntryText(file: string, entry: ZipDirectoryEntry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of readZipEntry(file, entry)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
