import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createDeflateRaw } from "node:zlib";
import {
  CENTRAL_HEADER_SIGNATURE,
  DATA_DESCRIPTOR_SIGNATURE,
  dosDateTime,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  LOCAL_HEADER_SIGNATURE,
  MAX_ZIP32,
  METHOD_DEFLATE,
  VERSION_NEEDED,
} from "./zip-format";

// Writes a ZIP archive as its entries' data arrive: each entry is deflated while it streams, its CRC-32
// and sizes written after it, and the central directory at the end. Memory stays constant however
// large an entry is.

export type ZipEntry = {
  name: string;
  /** The entry's bytes: a stream (read once, in order) or a buffer. */
  data: AsyncIterable<Uint8Array> | Uint8Array;
};

type Written = { name: Buffer; crc: number; compressed: number; size: number; offset: number };

const FLAGS = FLAG_DATA_DESCRIPTOR | FLAG_UTF8;

function localHeader(name: Buffer, stamp: { time: number; date: number }): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(FLAGS, 6);
  header.writeUInt16LE(METHOD_DEFLATE, 8);
  header.writeUInt16LE(stamp.time, 10);
  header.writeUInt16LE(stamp.date, 12);
  // CRC-32 and sizes stay 0 here: they follow the data (flag bit 3).
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function dataDescriptor(entry: Written): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(DATA_DESCRIPTOR_SIGNATURE, 0);
  descriptor.writeUInt32LE(entry.crc, 4);
  descriptor.writeUInt32LE(entry.compressed, 8);
  descriptor.writeUInt32LE(entry.size, 12);
  return descriptor;
}

function centralHeader(entry: Written, stamp: { time: number; date: number }): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER_SIGNATURE, 0);
  header.writeUInt16LE((3 << 8) | VERSION_NEEDED, 4); // made by: Unix
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(FLAGS, 8);
  header.writeUInt16LE(METHOD_DEFLATE, 10);
  header.writeUInt16LE(stamp.time, 12);
  header.writeUInt16LE(stamp.date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressed, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY_SIGNATURE, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}

function tooLarge(): Error {
  return new Error("the archive would exceed 4 GiB, which ZIP without ZIP64 cannot hold");
}

/**
 * The archive's bytes for `entries`, taken one at a time as the archive reaches them (so a later
 * entry may be produced from what an earlier one streamed, e.g. an export's manifest after its file).
 */
export async function* streamZip(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, modified: Date) {
  const stamp = dosDateTime(modified);
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const record: Written = { name, crc: 0, compressed: 0, size: 0, offset };
    const header = localHeader(name, stamp);
    offset += header.length;
    yield header;
    const source = entry.data instanceof Uint8Array ? [entry.data] : entry.data;
    const counted = async function* () {
      for await (const chunk of source) {
        record.crc = crc32(chunk, record.crc);
        record.size += chunk.length;
        if (record.size > MAX_ZIP32) throw tooLarge();
        yield chunk;
      }
    };
    const deflate = createDeflateRaw();
    const pumped = pipeline(Readable.from(counted()), deflate);
    // Surfaced by the loop below (the deflate stream errors too); not an unhandled rejection meanwhile.
    pumped.catch(() => {});
    for await (const compressed of deflate as AsyncIterable<Buffer>) {
      record.compressed += compressed.length;
      offset += compressed.length;
      if (offset > MAX_ZIP32) throw tooLarge();
      yield compressed;
    }
    await pumped;
    const descriptor = dataDescriptor(record);
    offset += descriptor.length;
    written.push(record);
    yield descriptor;
  }
  const directory = Buffer.concat(written.map((entry) => centralHeader(entry, stamp)));
  if (offset + directory.length > MAX_ZIP32) throw tooLarge();
  yield directory;
  yield endOfCentralDirectory(written.length, directory.length, offset);
}
